/**
 * Cloud-neutral helpers for checking and normalizing raw resource inputs, as
 * the engine hands them to a dialect's `check`. Every cloud's schema uses the
 * same helpers so that the same spelling (`"true"`, `"1568688761"`, an unknown
 * value at preview) means the same thing on every cloud, and so that the
 * failures they report read alike.
 *
 * Helpers that judge a value report through a {@link Fail} callback instead
 * of throwing: `check` must return every problem at once, not the first.
 */
import type { ValidationFailure } from "./errors";
import { isUnknown, pathsOverlap, unknownPaths, withoutUnknowns } from "./unknown";

/** Raw arguments: a JSON-like object whose values are not trusted yet. */
export type RawArgs = Record<string, unknown>;

/** Records one failure on `property` (a user-facing path such as `filter.prefix`). */
export type Fail = (property: string, reason: string) => void;

/**
 * Whether an argument counts as not given: `undefined` or `null`. Every
 * optional argument treats `null` like leaving it out (JSON and YAML programs
 * and some SDKs write `null` for "not set"), and every required one reports
 * it as missing, so `null` never reaches the wire.
 */
export function isAbsent(x: unknown): x is undefined | null {
  return x === undefined || x === null;
}

/** Whether `x` is a plain object (not `null`, not an array). */
export function isRecord(x: unknown): x is RawArgs {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * `true`, `"true"`, `"True"` → true; likewise false; anything else is
 * returned unchanged for the caller to reject. Strings are accepted because
 * config values and some language SDKs deliver booleans as text, and `"true"`
 * and `true` must not show as a diff.
 */
export function normalizeBoolean(x: unknown): boolean | unknown {
  if (typeof x === "string" && /^(true|false)$/i.test(x.trim())) {
    return x.trim().toLowerCase() === "true";
  }
  return x;
}

/**
 * `"1568688761"` → 1568688761 (digits only, surrounding spaces allowed);
 * anything else is returned unchanged for the caller to reject. Accepted for
 * the same reason as {@link normalizeBoolean}: numbers often arrive as text.
 */
export function normalizeInteger(x: unknown): number | unknown {
  if (typeof x === "string" && /^\s*\d+\s*$/.test(x)) {
    return Number(x.trim());
  }
  return x;
}

/** Whether `x` is a whole number from 0 to `Number.MAX_SAFE_INTEGER`. */
export function isNonNegativeInteger(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** `["a"]` → `a`; `["a", "b"]` → `a or b`; `["a", "b", "c"]` → `a, b or c`. */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join("");
  }
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** A shallow copy of `x` without the keys whose value is `undefined` (state must not carry them). */
export function dropUndefined(x: RawArgs): RawArgs {
  const out: RawArgs = {};
  for (const [k, v] of Object.entries(x)) {
    if (v !== undefined) {
      out[k] = v;
    }
  }
  return out;
}

/** Options of {@link rejectUnknownArguments}. */
export interface UnknownArgumentOptions {
  /**
   * Path of the object, e.g. `destination`; empty (the default) for the
   * resource's top level, where engine-internal keys (`__provider`, …) are
   * skipped and the message lists every argument.
   */
  path?: string;
  /** Keys accepted but not advertised in the message (e.g. `schemaVersion`, kept in state). */
  hidden?: readonly string[];
}

/**
 * Fails every key of `raw` that is not in `allowed`, naming the key, so a
 * misspelt argument is reported instead of silently ignored.
 */
export function rejectUnknownArguments(
  raw: RawArgs,
  allowed: readonly string[],
  fail: Fail,
  options: UnknownArgumentOptions = {},
): void {
  const path = options.path ?? "";
  const hidden = options.hidden ?? [];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) {
      continue;
    }
    // A key that is not a plain name (such as "" or "a b") is written as
    // `["…"]`, so the path still names it.
    const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
    if (path === "") {
      // The engine adds its own `__`-prefixed keys at the top level.
      if (key.startsWith("__")) {
        continue;
      }
      fail(
        plain ? key : `[${JSON.stringify(key)}]`,
        `unknown argument ${JSON.stringify(key)}; the arguments are ${allowed.filter((k) => !hidden.includes(k)).join(", ")}`,
      );
    } else {
      fail(
        plain ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
        `unknown argument; use ${joinOr(allowed.filter((k) => !hidden.includes(k)))}`,
      );
    }
  }
}

/**
 * Normalizes a boolean argument ({@link normalizeBoolean}) and fails
 * `property` when the result is neither a boolean nor the unknown marker.
 * Returns the normalized value.
 */
export function booleanArgument(value: unknown, property: string, fail: Fail): unknown {
  const v = normalizeBoolean(value);
  if (!isUnknown(v) && typeof v !== "boolean") {
    fail(property, "must be true or false");
  }
  return v;
}

/**
 * Normalizes a whole, non-negative number argument ({@link normalizeInteger}).
 * Returns `undefined` when the argument is absent, `null` or `""` (so it disappears
 * from state); fails `property` with `hint` when the value is neither such a
 * number nor the unknown marker, and then returns `undefined`.
 */
export function wholeNumberArgument(value: unknown, property: string, hint: string, fail: Fail): unknown {
  const v = normalizeInteger(value);
  if (isAbsent(v) || v === "") {
    return undefined;
  }
  if (!isUnknown(v) && !isNonNegativeInteger(v)) {
    fail(property, hint);
    // Dropped, so nothing downstream has to describe an arbitrary value.
    return undefined;
  }
  // -0 is written and read back as 0; keep one normal form.
  return v === 0 ? 0 : v;
}

/**
 * A string argument whose value is judged later (by the wire rules): returns
 * `undefined` when it is absent or `null`, the value when it is a string or
 * the unknown marker, and otherwise fails `property` with `hint` and returns
 * `undefined`, so a number or a list never reaches the XML writer.
 */
export function stringArgument(value: unknown, property: string, hint: string, fail: Fail): unknown {
  if (isAbsent(value)) {
    return undefined;
  }
  if (typeof value !== "string" && !isUnknown(value)) {
    fail(property, hint);
    return undefined;
  }
  return value;
}

/** Options of {@link objectArgument}. */
export interface ObjectArgumentOptions {
  /** The keys the object may have; any other is reported by name. */
  allowed: readonly string[];
  /** What to say when the value is not an object, e.g. `must be an object such as { frequency: "Daily" }`. */
  hint: string;
}

/**
 * An object argument: returns `undefined` when it is absent or `null`, the
 * unknown marker as is, and the object itself after failing each key not in
 * `options.allowed` (named `<property>.<key>`). Anything else (a string, a
 * list, a number) fails `property` with `options.hint` and returns `undefined`.
 */
export function objectArgument(
  value: unknown,
  property: string,
  options: ObjectArgumentOptions,
  fail: Fail,
): RawArgs | string | undefined {
  if (isAbsent(value)) {
    return undefined;
  }
  if (isUnknown(value)) {
    return value as string;
  }
  if (!isRecord(value)) {
    fail(property, options.hint);
    return undefined;
  }
  rejectUnknownArguments(value, options.allowed, fail, { path: property });
  return value;
}

/**
 * {@link objectArgument}, then `read` over the object when there is one,
 * which is what most object arguments do next. Returns what `read` returns,
 * the unknown marker as is, and `undefined` when the value is absent or not
 * an object (failed with `options.hint`).
 */
export function objectFields<T>(
  value: unknown,
  property: string,
  options: ObjectArgumentOptions,
  fail: Fail,
  read: (fields: RawArgs) => T,
): T | string | undefined {
  const raw = objectArgument(value, property, options, fail);
  return isRecord(raw) ? read(raw) : raw;
}

/**
 * Runs a cloud's wire rules over normalized inputs and adds their failures,
 * already translated to user-facing paths by `validate`, to `failures`.
 *
 * `validate` sees the inputs with every unknown value removed. A rule failure
 * on a path that holds, or lies under, an unknown value is dropped: it may be
 * caused by the missing value and is checked again once the value is known.
 * A rule failure on a path already reported by the schema is dropped too, so
 * each problem is named once, with the schema's more specific message.
 */
export function addRuleFailures(
  normalized: RawArgs,
  failures: ValidationFailure[],
  validate: (known: RawArgs) => readonly ValidationFailure[],
): void {
  const unknown = unknownPaths(normalized);
  for (const f of validate(withoutUnknowns(normalized))) {
    if (unknown.some((u) => pathsOverlap(f.property, u))) {
      continue;
    }
    if (!failures.some((g) => pathsOverlap(g.property, f.property))) {
      failures.push(f);
    }
  }
}

/**
 * `items` without repeats (the first of each kept), with the index each kept
 * item had in `items`, so a failure found on the de-duplicated list can name
 * the position the user wrote. Unknown markers are never merged: two unknown
 * values need not be equal.
 */
export function uniqueWithIndex(items: readonly unknown[]): { items: unknown[]; index: number[] } {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  const index: number[] = [];
  items.forEach((item, i) => {
    if (!isUnknown(item)) {
      if (seen.has(item)) {
        return;
      }
      seen.add(item);
    }
    out.push(item);
    index.push(i);
  });
  return { items: out, index };
}

/** Whether `xs` holds only known strings (no unknown marker, nothing else). */
export function allKnownStrings(xs: readonly unknown[]): xs is string[] {
  return xs.every((x) => typeof x === "string" && !isUnknown(x));
}

/** Sorted copy of `xs` without repeats: the normal form of a list whose order means nothing. */
export function sortedUnique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}
