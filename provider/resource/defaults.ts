/**
 * The defaults a `BucketInventory` fills in inside the Pulumi program, before
 * its inputs reach the provider: the region from the cloud's stack config or
 * environment, and the resource name as the job id. Shared by every cloud's
 * resource class.
 */
import * as pulumi from "@pulumi/pulumi";

/** Where a program finds a cloud's default region (the cloud's own Pulumi provider settings). */
export interface RegionDefault {
  /** The stack config namespace whose `region` key holds it, e.g. `tencentcloud`. */
  configNamespace: string;
  /** The environment variable holding it, e.g. `TENCENTCLOUD_REGION`. */
  env: string;
}

/** The arguments {@link inventoryInputs} fills in. */
export interface DefaultedArgs {
  /** Region of the source bucket; defaulted from {@link RegionDefault}. */
  region?: pulumi.Input<string>;
  /** Job id; defaulted to the resource name. */
  inventoryId?: pulumi.Input<string>;
}

/**
 * The inputs a `BucketInventory` registers: `args` with the region and job id
 * defaulted. `schemaVersion` and `filter` are named even when not given,
 * because a resource only gets an output for each input it names, and both
 * are outputs a program may leave out (the provider sets `schemaVersion`).
 */
export function inventoryInputs(name: string, args: DefaultedArgs, region: RegionDefault): pulumi.Inputs {
  return {
    schemaVersion: undefined,
    filter: undefined,
    ...args,
    region: args.region ?? new pulumi.Config(region.configNamespace).get("region") ?? process.env[region.env],
    inventoryId: args.inventoryId ?? name,
  };
}
