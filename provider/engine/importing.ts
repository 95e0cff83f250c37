/**
 * The `import` resource option and `BucketInventory.get`, as the engine sees
 * them. The engine's own import reads a resource by its ID alone, and the
 * dynamic-provider host then has no provider code to run; so the resource
 * class takes `import` out of the options and passes the ID as an input
 * instead, and `get` marks its read with another (`IMPORT_KEY` and `GET_KEY`
 * of `./contract`, which the program side loads). Pure: the checks and
 * messages; the engine does the I/O.
 */
import type { ValidationFailure } from "../core/errors";
import { isUnknown } from "../core/unknown";
import { type FieldDifference, type JobAddress, parseResourceId, resourceId } from "./job";

/** The address part of checked inputs, where each part is known text. */
function knownAddress(inputs: Record<string, unknown>): JobAddress | undefined {
  const { region, bucket, inventoryId } = inputs;
  return typeof region === "string" && typeof bucket === "string" && typeof inventoryId === "string"
    ? { region, bucket, inventoryId }
    : undefined;
}

/**
 * What is wrong with an `import` ID for a declaration, if anything: it must
 * be the declared job's `<region>/<bucket>/<inventoryId>`. An ID or address
 * still unknown at preview passes; create checks again once it is known.
 */
export function importIdFailure(id: unknown, inputs: Record<string, unknown>): ValidationFailure | undefined {
  if (isUnknown(id)) return undefined;
  const address = knownAddress(inputs);
  const expected = address ? `"${resourceId(address)}"` : `"<region>/<bucket>/<inventoryId>"`;
  if (typeof id !== "string" || parseResourceId(id) === undefined) {
    return {
      property: "import",
      reason: `${JSON.stringify(id)} is not a job ID; the ID of this resource's job is ${expected}.`,
    };
  }
  if (address && id !== resourceId(address)) {
    return {
      property: "import",
      reason:
        `"${id}" is not the job this resource declares: its region, bucket and inventoryId make the ID ` +
        `${expected}. Fix the ID, or the resource's region, bucket or inventoryId.`,
    };
  }
  return undefined;
}

/**
 * Checks the `import` input of a resource. It applies only to a resource not
 * yet in the stack (`inState` false), as Pulumi's own option does; once
 * imported it is dropped, so keeping or removing it changes nothing and a
 * later replacement creates its new job instead of importing it.
 */
export function checkImport(
  id: unknown,
  inputs: Record<string, unknown>,
  inState: boolean,
): { id?: unknown; failures: ValidationFailure[] } {
  if (id === undefined || id === null || inState) return { failures: [] };
  const failures: ValidationFailure[] = [];
  const bad = importIdFailure(id, inputs);
  if (bad) failures.push(bad);
  if (inputs.adopt === true) {
    failures.push({
      property: "import",
      reason:
        `"import" and "adopt: true" do not go together: "import" takes the job over only when it equals this ` +
        `declaration and never writes it; "adopt: true" overwrites it with the declaration. Remove one of them.`,
    });
  }
  return { id, failures };
}

function shown(x: unknown): string {
  return x === undefined ? "(not set)" : JSON.stringify(x);
}

/** The error of an import whose job differs from the declaration: each field, existing vs declared. */
export function importMismatchMessage(typeName: string, where: string, diffs: FieldDifference[]): string {
  const lines = diffs.map(
    (d) => `  - ${d.property}: existing ${shown(d.existing)}, declared ${shown(d.declared)}`,
  );
  return (
    `${typeName}: cannot import the inventory job ${where}: it differs from this resource's declaration in ` +
    `${diffs.length} field${diffs.length === 1 ? "" : "s"}:\n${lines.join("\n")}\n` +
    `Nothing was changed. Make the declaration match the job (the existing values above) and run again; or, to ` +
    `overwrite the job with the declaration, remove "import" and set "adopt: true" (see "Import" in the README).`
  );
}

/** The error of an import whose job does not exist. */
export function importMissingMessage(typeName: string, where: string): string {
  return (
    `${typeName}: cannot import the inventory job ${where}: it does not exist. Check the region, bucket and ` +
    `inventoryId (\`bucket-inventory list\` shows a bucket's jobs), or remove the "import" option to create the job.`
  );
}

/** The error of a `get` whose job does not exist. */
export function getMissingMessage(typeName: string, id: string): string {
  return (
    `${typeName}.get: no inventory job "${id}" exists (the ID is "<region>/<bucket>/<inventoryId>"). ` +
    `Check the ID, and the credentials and endpoint the stack uses.`
  );
}
