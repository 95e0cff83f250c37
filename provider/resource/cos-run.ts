/**
 * `cos.InventoryRun`: a one-shot COS inventory report (`POST /?inventory`),
 * produced when the resource is created and again when its arguments or
 * `triggers` change. Deleting the resource sends no request: COS keeps
 * nothing of a run but its report, which stays.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CosInventoryDestinationArgs, CosInventoryFilterArgs, CosOptionalField } from "./cos";
import { type CommonRunArgs, InventoryRunResource } from "./run";

/** Arguments of {@link InventoryRun}: a COS inventory job's, without `enabled`, `schedule` and `adopt`. */
export type InventoryRunArgs = CommonRunArgs<
  CosInventoryFilterArgs,
  CosInventoryDestinationArgs,
  CosOptionalField
>;

/** A one-shot COS inventory run. The resource ID is `<region>/<bucket>/<runId>`. */
export class InventoryRun extends InventoryRunResource {
  /** The service's id of the run (`JobId`). */
  declare public readonly jobId: pulumi.Output<string>;
  /**
   * Where the report's manifest is expected:
   * `<prefix>/<appid>/<bucket name>/<runId>/<YYYYMMDD>/manifest.json`, the date in
   * China Standard Time on the day the run started (see docs/protocol.md).
   */
  declare public readonly manifestKey: pulumi.Output<string>;

  /**
   * Runs a one-shot inventory of a COS bucket.
   *
   * @param name the resource name (the stem of generated run ids)
   * @param args the run
   * @param opts resource options
   */
  constructor(name: string, args: InventoryRunArgs, opts?: pulumi.CustomResourceOptions) {
    super("cos", name, args as InventoryRunArgs & Record<string, unknown>, opts);
  }
}
