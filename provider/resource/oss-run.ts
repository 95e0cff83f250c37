/**
 * `oss.InventoryRun`: a one-shot OSS inventory report. OSS has no one-shot
 * request, so the run is an inventory configuration with frequency `Once`,
 * created when the resource is created and again (deleted first) when its
 * arguments or `triggers` change. It never overwrites an existing
 * configuration with the same id.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OssInventoryDestinationArgs, OssInventoryFilterArgs, OssOptionalField } from "./oss";
import { type CommonRunArgs, InventoryRunResource } from "./run";

/** Arguments of {@link InventoryRun}: an OSS inventory job's, without `enabled`, `schedule` and `adopt`. */
export interface InventoryRunArgs extends CommonRunArgs<
  OssInventoryFilterArgs,
  OssInventoryDestinationArgs,
  OssOptionalField
> {
  /**
   * Whether OSS deletes the `Once` configuration after the run. Default `true`
   * (deleting the resource then sends no request). With `false` it stays,
   * visible in the bucket's inventory list, until this resource is deleted,
   * which deletes it while it is still the configuration the run wrote.
   */
  autoDelete?: pulumi.Input<boolean>;
}

/** A one-shot OSS inventory run. The resource ID is `<region>/<bucket>/<runId>`. */
export class InventoryRun extends InventoryRunResource {
  /** Whether OSS deletes the configuration after the run. */
  declare public readonly autoDelete: pulumi.Output<boolean>;

  /**
   * Runs a one-shot inventory of an OSS bucket.
   *
   * @param name the resource name (the stem of generated run ids)
   * @param args the run
   * @param opts resource options
   */
  constructor(name: string, args: InventoryRunArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "oss",
      name,
      { autoDelete: undefined, ...args } as InventoryRunArgs & Record<string, unknown>,
      opts,
    );
  }
}
