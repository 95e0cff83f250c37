/**
 * The request-body size limit `check` applies to a whole configuration, the
 * same on both clouds: a job whose XML would be too large is refused before
 * any request, naming the property to shorten.
 */
import type { Fail, RawArgs } from "../../core/normalize";
import { unknownPaths } from "../../core/unknown";
import { refusedCharacter, utf8Length } from "./text";

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
