/**
 * Alibaba Cloud OSS: the `BucketInventory` resource, its argument types, and
 * the signed inventory client for use outside Pulumi.
 *
 * @packageDocumentation
 */
export { BucketInventory } from "./resource/oss";
export { InventoryRun } from "./resource/oss-run";
export type { InventoryRunArgs } from "./resource/oss-run";
export type {
  BucketInventoryArgs,
  OssInventoryDestinationArgs,
  OssInventoryEncryptionArgs,
  OssInventoryFilterArgs,
  OssOptionalField,
  OssStorageClass,
} from "./resource/oss";
export { OssInventoryClient } from "./clouds/oss/client";
export type { OssClientOptions, OssSignatureVersion } from "./clouds/oss/client";
export type { OssCredentials } from "./clouds/oss/signer";
export type { OssInventoryConfiguration } from "./clouds/oss/model";
