/**
 * The `BucketInventory` argument schema's steps that are the same on every
 * cloud, and {@link checkInventoryInputs}, which runs them in one order for
 * both: unknown arguments, region, bucket, inventory id, `enabled`,
 * `includedObjectVersions`, `schedule`, `filter`, `optionalFields`,
 * `destination`, `adopt`, then the cloud's rules and the body size. Each
 * cloud's `schema.ts` describes itself as an {@link InventorySchema} and
 * keeps what differs (messages, normal forms, filter and destination).
 */
import type { ValidationFailure } from "../../core/errors";
import {
  addRuleFailures,
  allKnownStrings,
  booleanArgument,
  dropUndefined,
  type Fail,
  isAbsent,
  isRecord,
  objectArgument,
  objectFields,
  type RawArgs,
  rejectUnknownArguments,
  sortedUnique,
  stringArgument,
  uniqueWithIndex,
  wholeNumberArgument,
} from "../../core/normalize";
import { isUnknown } from "../../core/unknown";
import { checkBodySize } from "./body";
import {
  INCLUDED_OBJECT_VERSIONS,
  INVENTORY_ID_MAX_LENGTH,
  MONTHLY_DAY_RANGE,
  type PathName,
  argumentPath,
} from "./rules";

/**
 * Normalized inputs (and outputs) of an inventory job, as kept in state, the
 * same shape on each cloud: `Filter` is the cloud's normalized filter and
 * `Destination` its wire model's destination (the normal form of the
 * destination is the one sent).
 */
export interface InventoryInputs<Filter, Destination, Schedule = { frequency: string }> {
  /** State layout version (the cloud's `*_STATE_SCHEMA_VERSION`). */
  schemaVersion: number;
  /** Source bucket region, in the cloud's stored spelling. */
  region: string;
  /** Source bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
  /** Whether the job runs. */
  enabled: boolean;
  /** `All` or `Current`. */
  includedObjectVersions: "All" | "Current";
  /** Report frequency, and the cloud's other schedule arguments. */
  schedule: Schedule;
  /** Object filter; absent when it would select every object. */
  filter?: Filter;
  /** Extra report columns, sorted and without duplicates. */
  optionalFields: string[];
  /** Where reports go, as the wire model holds it. */
  destination: Destination & { format: "CSV" };
  /** Take over an existing job with the same id instead of refusing to create. */
  adopt?: boolean;
}

/** A required address argument (region, bucket) as a cloud judges it. */
export interface AddressArgument {
  /** What to say when it is missing or not a string. */
  reasons: RequiredStringReasons;
  /** The cloud's rule for a string value; failures name the argument. */
  check: (value: string) => ValidationFailure[];
}

/**
 * One cloud's schema, as {@link checkInventoryInputs} runs it. `C` is the
 * cloud's wire model.
 */
export interface InventorySchema<C> {
  /** Written into every normalized input as `schemaVersion`. */
  stateSchemaVersion: number;
  /** The source region; `normalize` turns an accepted spelling into the stored one. */
  region: AddressArgument & { normalize?: (region: string) => string };
  /** The source bucket. */
  bucket: AddressArgument;
  /** Values of `schedule.frequency`. */
  frequencies: readonly string[];
  /** The schedule's other arguments, by name: a whole number or a boolean, with what to say when it is not. */
  scheduleArguments: Readonly<Record<string, ScheduleArgument>>;
  /** Top-level arguments only this cloud has, each with its normalizer (`undefined` when not set). */
  moreArguments: Readonly<Record<string, (raw: unknown, fail: Fail) => unknown>>;
  /** Normalizes `filter`; `undefined` when it selects every object. */
  normalizeFilter: (raw: unknown, fail: Fail) => unknown;
  /** Normalizes `destination`; `region` is the source region as given (maybe unknown or invalid). */
  normalizeDestination: (raw: unknown, region: unknown, fail: Fail) => unknown;
  /** Normalized (possibly partial) inputs → the wire model. */
  toConfiguration: (inputs: RawArgs) => C;
  /** The cloud's rules on the wire model, naming paths through `name`. */
  validate: (cfg: C, name: PathName) => ValidationFailure[];
  /** Model paths the rules report whose argument has another name (e.g. `id` → `inventoryId`). */
  argumentNames: Readonly<Record<string, string>>;
  /** The cloud's XML writer, for the body-size check. */
  encode: (cfg: C) => string;
  /**
   * Paths of the inputs that can make a body large, for {@link checkBodySize}
   * to name, as {@link valuesAt} reads them; on a tie the first is named.
   */
  bodyPaths: readonly string[];
}

/** A schedule argument besides `frequency` (a day of the month, a switch). */
export interface ScheduleArgument {
  /** Its kind: a whole number, or `true`/`false`. */
  kind: "wholeNumber" | "boolean";
  /** What it must be, for the failure, e.g. `must be a day of the month such as 1`. */
  hint: string;
}

/** The day-of-the-month argument of a monthly schedule (COS `monthlyDate`, OSS `dayOfMonth`). */
export const MONTHLY_DAY_ARGUMENT: ScheduleArgument = {
  kind: "wholeNumber",
  hint: `must be a day of the month from ${MONTHLY_DAY_RANGE.min} to ${MONTHLY_DAY_RANGE.max}, such as 1`,
};

/** Result of {@link checkInventoryInputs}. */
export interface InventoryCheckResult {
  /** Normalized inputs; unknown values are kept as the engine's unknown marker. */
  inputs: Record<string, unknown>;
  /** Every problem, each naming the property (in argument terms) and the fix. */
  failures: ValidationFailure[];
}

/**
 * A copy of a schedule with its frequency and those of `extras` that are set
 * (`monthlyDate`, `dayOfMonth`, `autoDelete`), the same way in both
 * directions between inputs and the wire model, so an unset extra never
 * appears as `undefined` and shows as a diff.
 */
export function scheduleOf<S extends { frequency: string }>(
  schedule: Partial<S> | undefined,
  extras: readonly Exclude<keyof S, "frequency">[],
): S {
  const out: Partial<S> = { frequency: schedule?.frequency } as Partial<S>;
  for (const key of extras) {
    if (schedule?.[key] !== undefined) out[key] = schedule[key];
  }
  return out as S;
}

/**
 * Validates and normalizes raw resource inputs, as `check` gets them from the
 * engine, for the cloud `schema` describes. Never calls the network and never
 * throws, whatever `news` holds. Unknown values (outputs of resources not yet
 * created, at preview) pass through unvalidated, wherever they are. `null` is
 * treated as absent: optional arguments take their default, required ones are
 * reported missing, and `""` is no region. A region the program leaves out
 * is filled in from the provider's config or env by the engine before this
 * runs (`engine/region.ts`).
 */
export function checkInventoryInputs<C>(news: RawArgs, schema: InventorySchema<C>): InventoryCheckResult {
  const failures: ValidationFailure[] = [];
  const fail: Fail = (property, reason) => {
    failures.push({ property, reason });
  };
  rejectUnknownInventoryArguments(news, fail, Object.keys(schema.moreArguments));

  const out: RawArgs = { schemaVersion: schema.stateSchemaVersion };

  const region: unknown = news.region === "" ? undefined : news.region;
  const normalizeRegion = schema.region.normalize ?? ((r: string) => r);
  requiredStringArgument(
    region,
    "region",
    schema.region.reasons,
    (r) => schema.region.check(normalizeRegion(r)),
    fail,
  );
  // The unknown marker is left alone: a cloud's normal form never changes it.
  out.region = typeof region === "string" && !isUnknown(region) ? normalizeRegion(region) : region;

  requiredStringArgument(news.bucket, "bucket", schema.bucket.reasons, schema.bucket.check, fail);
  out.bucket = news.bucket;

  requireInventoryId(news.inventoryId, INVENTORY_ID_MAX_LENGTH, fail);
  out.inventoryId = news.inventoryId;

  out.enabled = booleanArgument(news.enabled ?? true, "enabled", fail);
  out.includedObjectVersions =
    stringArgument(
      news.includedObjectVersions,
      "includedObjectVersions",
      `must be a string: ${INCLUDED_OBJECT_VERSIONS.map((v) => `"${v}"`).join(" or ")}`,
      fail,
    ) ?? "Current";
  out.schedule = normalizeSchedule(news.schedule, schema.frequencies, schema.scheduleArguments, fail);
  // filter: empty parts disappear, so `{}` and no filter are the same.
  out.filter = schema.normalizeFilter(news.filter, fail);

  // optionalFields: de-duplicated (a repeat is harmless), validated with the
  // user's indexes, stored sorted.
  let fieldIndex: number[] = [];
  const fields = news.optionalFields ?? [];
  if (isUnknown(fields)) {
    out.optionalFields = fields;
  } else if (!Array.isArray(fields)) {
    fail("optionalFields", 'must be a list such as ["Size", "ETag"]');
  } else {
    const unique = uniqueWithIndex(fields);
    out.optionalFields = unique.items;
    fieldIndex = unique.index;
  }

  out.destination = schema.normalizeDestination(news.destination, region, fail);
  out.adopt = adoptArgument(news.adopt, fail);
  for (const [key, normalize] of Object.entries(schema.moreArguments)) {
    out[key] = normalize(news[key], fail);
  }

  // The service's own rules, naming argument paths. Failures an unknown
  // value could cause are dropped: they are checked again once it is known.
  addRuleFailures(out, failures, (known) =>
    schema.validate(schema.toConfiguration(known), argumentPath(schema.argumentNames, fieldIndex)),
  );

  if (Array.isArray(out.optionalFields) && allKnownStrings(out.optionalFields)) {
    out.optionalFields = sortedUnique(out.optionalFields);
  }
  const inputs = dropUndefined(out);
  if (failures.length === 0) {
    checkBodySize(
      inputs,
      () => schema.encode(schema.toConfiguration(inputs)),
      valuesAt(inputs, schema.bodyPaths),
      fail,
    );
  }
  return { inputs, failures };
}

/**
 * `[path, value]` for each dotted path of `inputs`; a missing part reads as
 * `undefined`. A path ending in `[]` gives one entry per item of that list,
 * named `path[i]`.
 */
export function valuesAt(inputs: RawArgs, paths: readonly string[]): [string, unknown][] {
  const at = (path: string): unknown =>
    path.split(".").reduce<unknown>((x, key) => (isRecord(x) ? x[key] : undefined), inputs);
  return paths.flatMap((path): [string, unknown][] => {
    if (!path.endsWith("[]")) return [[path, at(path)]];
    const list = at(path.slice(0, -2));
    return Array.isArray(list)
      ? list.map((item, i): [string, unknown] => [`${path.slice(0, -2)}[${i}]`, item])
      : [];
  });
}

/**
 * `schedule`: `{ frequency }`, one of `frequencies`, and the cloud's other
 * arguments `more` (their values and combinations are judged by the rules).
 */
function normalizeSchedule(
  raw: unknown,
  frequencies: readonly string[],
  more: Readonly<Record<string, ScheduleArgument>>,
  fail: Fail,
): unknown {
  const choices = frequencies.map((f) => `"${f}"`).join(" | ");
  const schedule = objectArgument(
    raw,
    "schedule",
    {
      allowed: ["frequency", ...Object.keys(more)],
      hint: 'must be an object such as { frequency: "Daily" }',
    },
    fail,
  );
  if (schedule === undefined) {
    if (isAbsent(raw)) fail("schedule", `required: { frequency: ${choices} }`);
    return undefined;
  }
  if (!isRecord(schedule)) {
    return schedule;
  }
  if (isAbsent(schedule.frequency) || schedule.frequency === "") {
    fail("schedule.frequency", `required: ${choices}`);
    return undefined;
  }
  const frequency = stringArgument(
    schedule.frequency,
    "schedule.frequency",
    `must be a string: ${choices}`,
    fail,
  );
  if (frequency === undefined) return undefined;
  const out: RawArgs = { frequency };
  for (const [key, arg] of Object.entries(more)) {
    const value = schedule[key] ?? undefined;
    const property = `schedule.${key}`;
    if (arg.kind === "wholeNumber") {
      out[key] = wholeNumberArgument(value, property, arg.hint, fail);
    } else if (value !== undefined) {
      out[key] = booleanArgument(value, property, fail);
    }
  }
  return dropUndefined(out);
}

/**
 * The first steps of normalizing `destination`, the same on both clouds:
 * an object with only `allowed` keys, required (`missing` says what to
 * give), and a `format` defaulting to `CSV`. Returns the raw object and the
 * normalized one to fill in, or `{ done }` with the value to return as it is
 * (`undefined` after a failure, or an unknown value).
 */
export function startDestination(
  value: unknown,
  allowed: readonly string[],
  missing: string,
  fail: Fail,
): { raw: RawArgs; out: RawArgs } | { done: unknown } {
  const raw = objectArgument(value, "destination", { allowed, hint: "must be an object" }, fail);
  if (raw === undefined && isAbsent(value)) fail("destination", missing);
  if (!isRecord(raw)) return { done: raw };
  const format = stringArgument(raw.format, "destination.format", 'must be a string: "CSV"', fail) ?? "CSV";
  return { raw, out: { format } };
}

/**
 * `destination.bucket`, the same first steps on both clouds: required
 * (`required` says what to give), the unknown marker kept as is, and a
 * string, which `normalize` checks in the cloud's own forms and turns into
 * the value to keep. Returns `undefined` after a failure.
 */
export function destinationBucketArgument(
  value: unknown,
  required: string,
  fail: Fail,
  normalize: (bucket: string) => unknown,
): unknown {
  if (isAbsent(value) || value === "") {
    fail("destination.bucket", `required: ${required}`);
    return undefined;
  }
  if (isUnknown(value)) return value;
  if (typeof value !== "string") {
    fail("destination.bucket", "must be a string");
    return undefined;
  }
  return normalize(value);
}

/**
 * Normalizes `filter`: an object with only `allowed` keys, whose key prefix
 * is free text, and the rest normalized by the cloud's `parts`. Parts that
 * come out `undefined` disappear, and a filter left with nothing is no
 * filter, so `{}` and no filter are the same.
 */
export function filterArgument(
  value: unknown,
  allowed: readonly string[],
  parts: (raw: RawArgs) => RawArgs,
  fail: Fail,
): unknown {
  const hint = 'must be an object such as { prefix: "logs/" }';
  return objectFields(value, "filter", { allowed, hint }, fail, (raw) => {
    const prefix = optionalText(raw.prefix, "filter.prefix", 'an object key prefix such as "logs/"', fail);
    const filter = dropUndefined({ prefix, ...parts(raw) });
    return Object.keys(filter).length > 0 ? filter : undefined;
  });
}

/** A free-text argument: absent, `null` and `""` are none; anything but a string fails. */
export function optionalText(value: unknown, property: string, what: string, fail: Fail): unknown {
  return stringArgument(
    value === "" ? undefined : value,
    property,
    `${property} must be a string (${what}) or be left out`,
    fail,
  );
}

/**
 * An account id given as digits: a string is kept as is (its form is judged
 * by the rules), a safe non-negative number becomes its digits, and anything
 * else fails naming `example`. Returns `undefined` for a failure; absence is
 * the caller's to judge.
 */
export function accountIdArgument(
  value: unknown,
  property: string,
  kind: string,
  example: string,
  fail: Fail,
): unknown {
  if (typeof value === "number") {
    // A number past 2^53 has already lost digits: refuse it rather than send a wrong account.
    if (!Number.isSafeInteger(value) || value < 0) {
      fail(property, `give the account id as a string of digits, such as "${example}"`);
      return undefined;
    }
    return String(value);
  }
  if (typeof value !== "string") {
    fail(property, `must be a string of digits (the ${kind}), such as "${example}"`);
    return undefined;
  }
  return value;
}

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

/** Fails every top-level argument of `news` that is neither one of {@link INVENTORY_ARGUMENTS} nor of the cloud's `more`. */
export function rejectUnknownInventoryArguments(
  news: RawArgs,
  fail: Fail,
  more: readonly string[] = [],
): void {
  rejectUnknownArguments(news, [...INVENTORY_ARGUMENTS, ...more], fail, { hidden: ["schemaVersion"] });
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
