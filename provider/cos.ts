/**
 * Tencent Cloud COS: the `BucketInventory` resource, its argument types, and
 * the signed inventory client for use outside Pulumi.
 *
 * @packageDocumentation
 */
export { BucketInventory } from "./resource/cos";
export { InventoryRun } from "./resource/cos-run";
export type { InventoryRunArgs } from "./resource/cos-run";
export type {
  BucketInventoryArgs,
  CosInventoryDestinationArgs,
  CosInventoryFilterArgs,
  CosOptionalField,
  CosTagFilterArgs,
} from "./resource/cos";
export { CosInventoryClient } from "./clouds/cos/client";
export type { CosClientOptions } from "./clouds/cos/client";
export type { CosEndpoint } from "./clouds/cos/endpoint";
export type { CosCredentials } from "./clouds/cos/signer";
export type { CosInventoryConfiguration } from "./clouds/cos/model";
