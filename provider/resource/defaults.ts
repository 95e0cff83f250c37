/**
 * The defaults a `BucketInventory` fills in inside the Pulumi program, before
 * its inputs reach the provider: the region from the cloud's stack config or
 * environment, and the resource name as the job id. Shared by every cloud's
 * resource class.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RuntimeKind } from "../engine/contract";
import { REGION_SOURCES, defaultRegion } from "../engine/region";

/** The arguments {@link inventoryInputs} fills in. */
export interface DefaultedArgs {
  /** Source bucket; part of the job's address. */
  bucket?: pulumi.Input<string>;
  /** Region of the source bucket; defaulted from the cloud's `REGION_SOURCES` entry (see `../engine/region`). */
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
export function inventoryInputs(kind: RuntimeKind, name: string, args: DefaultedArgs): pulumi.Inputs {
  const typeName = `${kind}.BucketInventory`;
  const source = REGION_SOURCES[kind];
  const resolvedRegion = defaultRegion(
    args.region,
    () => new pulumi.Config(source.configNamespace).get("region") ?? process.env[source.env],
  );
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
