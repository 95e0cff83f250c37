/**
 * The parts of the `BucketInventory` argument schema that are the same on
 * every cloud: the top-level argument names, the required address arguments
 * (region, bucket, inventory id) and `adopt`. Each cloud's `schema.ts` calls
 * these from its `check` and keeps what differs (messages, normal forms,
 * filter and destination).
 */
import type { ValidationFailure } from "../../core/errors";
import { type Fail, type RawArgs, booleanArgument, rejectUnknownArguments } from "../../core/normalize";
import { isUnknown } from "../../core/unknown";

/**
 * The top-level arguments of a `BucketInventory`, the same on each cloud.
 * `schemaVersion` is accepted because state carries it, but is not
 * advertised: users never set it.
 */
export const INVENTORY_ARGUMENTS: readonly string[] = [
  "region",
  "bucket",
  "inventoryId",
  "enabled",
  "includedObjectVersions",
  "schedule",
  "filter",
  "optionalFields",
  "destination",
  "adopt",
  "schemaVersion",
];

/** Fails every top-level argument of `news` that is not one of {@link INVENTORY_ARGUMENTS}. */
export function rejectUnknownInventoryArguments(news: RawArgs, fail: Fail): void {
  rejectUnknownArguments(news, INVENTORY_ARGUMENTS, fail, { hidden: ["schemaVersion"] });
}

/** What to say about a required string argument that is wrong before its value is judged. */
export interface RequiredStringReasons {
  /** When it is absent or `""`. */
  missing: string;
  /** When it is not a string. */
  notString: string;
}

/**
 * Judges a required string argument such as the source bucket: absent or
 * `""` fails with `reasons.missing`; an unknown value passes (it is judged
 * once known, at update); anything but a string fails with
 * `reasons.notString`; a string gets `check`'s failures.
 */
export function requiredStringArgument(
  value: unknown,
  property: string,
  reasons: RequiredStringReasons,
  check: (value: string) => ValidationFailure[],
  fail: Fail,
): void {
  if (value === undefined || value === "") {
    fail(property, reasons.missing);
  } else if (!isUnknown(value)) {
    if (typeof value !== "string") {
      fail(property, reasons.notString);
    } else {
      for (const f of check(value)) {
        fail(f.property, f.reason);
      }
    }
  }
}

/**
 * Fails a missing `inventoryId`. The resource class defaults it to the
 * resource name before it gets here, so this catches an explicit `""`; its
 * form is judged by the cloud's wire rules (`Id`).
 */
export function requireInventoryId(value: unknown, maxLength: number, fail: Fail): void {
  if (value === undefined || value === "") {
    fail(
      "inventoryId",
      `required: the job id, 1 to ${maxLength} characters of a-z, A-Z, 0-9, "-", "_" and "."`,
    );
  }
}

/**
 * The `adopt` argument to keep in the inputs: `true` or an unknown value.
 * `false` (the default) is dropped, so writing `adopt: false` or leaving it
 * out never shows as a change.
 */
export function adoptArgument(value: unknown, fail: Fail): unknown {
  if (value === undefined) {
    return undefined;
  }
  const adopt = booleanArgument(value, "adopt", fail);
  return adopt === true || isUnknown(adopt) ? adopt : undefined;
}
