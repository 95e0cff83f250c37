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
  /** Source bucket; part of the job's address. */
  bucket?: pulumi.Input<string>;
  /** Region of the source bucket; defaulted from {@link RegionDefault}. */
  region?: pulumi.Input<string>;
  /** Job id; defaulted to the resource name. */
  inventoryId?: pulumi.Input<string>;
}

/** The jobs declared so far in this program, by `<type> <region>/<bucket>/<id>`, with the resource name. */
const declared = new Map<string, string>();

/**
 * The `__stack` input: `<project>/<stack>`, which the provider records as the
 * job's manager (see `./journal`). It resolves only once the job's address is
 * known, and fails the resource when another resource of this program already
 * declared the same job: two resources managing one job would overwrite and
 * delete each other's work.
 */
function stackInput(
  typeName: string,
  name: string,
  address: pulumi.Input<string | undefined>[],
): pulumi.Output<string> {
  const stack = `${pulumi.getProject()}/${pulumi.getStack()}`;
  return pulumi.all(address).apply(([region, bucket, id]) => {
    const key = `${typeName} ${region}/${bucket}/${id}`;
    const other = declared.get(key);
    if (other !== undefined && other !== name) {
      const error = new Error(
        `${typeName} "${name}" and "${other}" both declare the inventory job "${id}" on bucket "${bucket}" ` +
          `(${region}); a job may be declared by one resource only. Remove one of them, or give one another inventoryId.`,
      );
      // No stack: the SDK maps a failed apply's stack through every source map it passes, which took minutes.
      error.stack = `Error: ${error.message}`;
      throw error;
    }
    declared.set(key, name);
    return stack;
  });
}

/**
 * The inputs a `BucketInventory` registers: `args` with the region and job id
 * defaulted, and the stack that declares it (`__stack`). `schemaVersion`,
 * `filter` and `adoptedConfiguration` are named even when not given, because
 * a resource only gets an output for each input it names, and these are
 * outputs a program may leave out (the provider sets the others).
 */
export function inventoryInputs(
  typeName: string,
  name: string,
  args: DefaultedArgs,
  region: RegionDefault,
): pulumi.Inputs {
  const resolvedRegion =
    args.region ?? new pulumi.Config(region.configNamespace).get("region") ?? process.env[region.env];
  const inventoryId = args.inventoryId ?? name;
  return {
    schemaVersion: undefined,
    filter: undefined,
    adoptedConfiguration: undefined,
    ...args,
    region: resolvedRegion,
    inventoryId,
    __stack: stackInput(typeName, name, [resolvedRegion, args.bucket, inventoryId]),
  };
}
