/**
 * The parts of the `BucketInventory` argument schema that are the same on
 * every cloud: the top-level argument names, the required address arguments
 * (region, bucket, inventory id) and `adopt`. Each cloud's `schema.ts` calls
 * these from its `check` and keeps what differs (messages, normal forms,
 * filter and destination).
 */
import type { ValidationFailure } from "../../core/errors";
import {
  type Fail,
  type RawArgs,
  booleanArgument,
  isAbsent,
  rejectUnknownArguments,
} from "../../core/normalize";
import { isUnknown, unknownPaths } from "../../core/unknown";
import { refusedCharacter, utf8Length } from "./text";

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
 * Judges a required string argument such as the source bucket: absent,
 * `null` or `""` fails with `reasons.missing`; an unknown value passes (it is
 * judged once known, at update); anything but a string fails with
 * `reasons.notString`; a string gets `check`'s failures.
 */
export function requiredStringArgument(
  value: unknown,
  property: string,
  reasons: RequiredStringReasons,
  check: (value: string) => ValidationFailure[],
  fail: Fail,
): void {
  if (isAbsent(value) || value === "") {
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
 * Fails a missing or non-string `inventoryId`. The resource class defaults it
 * to the resource name before it gets here, so this catches an explicit `""`
 * or `null`; the form of a string is judged by the cloud's wire rules (`Id`).
 */
export function requireInventoryId(value: unknown, maxLength: number, fail: Fail): void {
  const form = `1 to ${maxLength} characters of a-z, A-Z, 0-9, "-", "_" and "."`;
  if (isAbsent(value) || value === "") {
    fail("inventoryId", `required: the job id, ${form}`);
  } else if (typeof value !== "string") {
    fail("inventoryId", `must be a string: the job id, ${form}`);
  }
}

/**
 * The `adopt` argument to keep in the inputs: `true` or an unknown value.
 * `false` (the default), `null` and absence are dropped, so writing `adopt: false` or leaving it
 * out never shows as a change.
 */
export function adoptArgument(value: unknown, fail: Fail): unknown {
  if (isAbsent(value)) {
    return undefined;
  }
  const adopt = booleanArgument(value, "adopt", fail);
  return adopt === true || isUnknown(adopt) ? adopt : undefined;
}

/**
 * Largest `InventoryConfiguration` body `check` lets through, in bytes.
 * Neither cloud documents a limit, so this is our own conservative one: the
 * per-value limits keep every body well under it, except a COS job listing
 * very many `x-cos-meta-` columns (see docs/validation.md).
 */
export const INVENTORY_BODY_MAX_BYTES = 64 * 1024;

/**
 * Fails a configuration whose encoded body would exceed
 * {@link INVENTORY_BODY_MAX_BYTES}, naming the largest of `parts` (user
 * property paths and their values) as the one to shorten. Only runs on
 * inputs without unknown values (the size of an unknown value is not known
 * yet). `encode` is the cloud's real XML writer; should it throw, which
 * means a value slipped past the rules, the failure is reported instead of
 * thrown, because `check` must never throw.
 */
export function checkBodySize(
  normalized: RawArgs,
  encode: () => string,
  parts: readonly (readonly [string, unknown])[],
  fail: Fail,
): void {
  if (unknownPaths(normalized).length > 0) {
    return;
  }
  let body: string;
  try {
    body = encode();
  } catch (e) {
    // Only a bug in the rules gets here; name the part holding a character
    // the writer refuses when there is one.
    const culprit = parts.find(([, value]) => strings(value).some((s) => refusedCharacter(s) !== undefined));
    fail(
      culprit?.[0] ?? "",
      `the configuration cannot be written as XML (${e instanceof Error ? e.message : String(e)}); change this value`,
    );
    return;
  }
  const size = utf8Length(body);
  if (size <= INVENTORY_BODY_MAX_BYTES) {
    return;
  }
  const sized = parts.map(
    ([property, value]) => [property, utf8Length(JSON.stringify(value) ?? "")] as const,
  );
  const largest = sized.reduce((a, b) => (b[1] > a[1] ? b : a), ["", 0] as const)[0];
  fail(
    largest,
    `the request body would be ${size} bytes; at most ${INVENTORY_BODY_MAX_BYTES} are allowed, ` +
      `so shorten ${largest === "" ? "the configuration" : largest}`,
  );
}

/** Every string inside a JSON-like value. */
function strings(x: unknown): string[] {
  if (typeof x === "string") return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (typeof x === "object" && x !== null) return Object.values(x).flatMap(strings);
  return [];
}
