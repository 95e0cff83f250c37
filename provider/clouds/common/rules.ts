/**
 * The rule steps both clouds' `rules.ts` share, as pure functions: the job
 * id, enums, the list of report columns and a time window. Each cloud keeps
 * its own values, limits and wording of what differs.
 *
 * Failure-path convention (the same on both clouds): a rule names the
 * property by its model path (`id`, `schedule.frequency`,
 * `destination.bucket`, `optionalFields[2]`), passed through a
 * {@link PathName}. The emulator and the client use the model paths as they
 * are; the resource's `check` passes a {@link PathName} giving the argument
 * path users wrote, so no failure text is rewritten afterwards.
 */
import type { ValidationFailure } from "../../core/errors";
import type { Fail } from "../../core/normalize";
import { joinOr } from "../../core/normalize";
import { describeValue } from "./text";

/**
 * How a rule names a model path in a failure's property and reason. Every
 * path a rule mentions goes through it, so a caller can show its own names.
 */
export type PathName = (modelPath: string) => string;

/** The model paths as they are: what the emulator and the client report. */
export const modelPath: PathName = (path) => path;

/**
 * A {@link PathName} for `check`: `renames` maps the model paths whose
 * argument differs (e.g. `id` → `inventoryId`), and `optionalFields[i]`
 * becomes the index the user wrote (`fieldIndex` maps an index of the
 * de-duplicated list to the user's own).
 */
export function argumentPath(
  renames: Readonly<Record<string, string>>,
  fieldIndex: readonly number[],
): PathName {
  return (path) => {
    const field = /^optionalFields\[(\d+)\]$/.exec(path);
    if (field?.[1] !== undefined) {
      return `optionalFields[${fieldIndex[Number(field[1])] ?? field[1]}]`;
    }
    return renames[path] ?? path;
  };
}

/**
 * Characters allowed in a job id, on both clouds (`a-zA-Z0-9-_.`): COS's
 * documented rule. OSS's API reference states no character set for the id; its
 * error page (EC 0020-00000044) only asks for 1 to 192 characters of UTF-8. We
 * apply the COS rule to OSS on purpose: the id also travels in the URL query
 * and becomes a folder of every report's key (`<prefix>/<bucket>/<id>/…`), and
 * one rule for both clouds keeps ids portable. This is stricter than OSS.
 */
export const INVENTORY_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Longest job id we accept: COS's limit (OSS itself allows up to 192 characters, see {@link INVENTORY_ID_PATTERN}). */
export const INVENTORY_ID_MAX_LENGTH = 64;

/** Values of `IncludedObjectVersions`, the same on both clouds. */
export const INCLUDED_OBJECT_VERSIONS: readonly ("All" | "Current")[] = ["All", "Current"];

/** Report formats: `CSV` is the only one either cloud accepts on PUT (the COS GET doc also mentions ORC). */
export const REPORT_FORMATS: readonly string[] = ["CSV"];

/** Most inventory configurations one bucket may hold: 1,000 on COS and on OSS. */
export const INVENTORY_MAX_CONFIGURATIONS = 1000;

/** Most configurations one `GET /?inventory` page returns: 100 on COS and on OSS. */
export const INVENTORY_PAGE_SIZE = 100;

/**
 * Elements every `InventoryConfiguration` body must carry, as paths from the
 * root: the id, the switch, the cloud's required destination fields under
 * `Destination/<wrapper>`, the schedule and the version selection. A decoder
 * or the emulator refuses a body without one of them before judging values,
 * and names the missing ones in this order.
 */
export function requiredElements(wrapper: string, destinationFields: readonly string[]): readonly string[] {
  return [
    "Id",
    "IsEnabled",
    ...destinationFields.map((f) => `Destination/${wrapper}/${f}`),
    "Schedule/Frequency",
    "IncludedObjectVersions",
  ];
}

/** What every configuration has, on either cloud (the model's shared fields). */
export interface ConfigurationShape {
  /** Job id. */
  id: string;
  /** Whether the job runs. */
  isEnabled: boolean;
  /** `All` or `Current`. */
  includedObjectVersions: string;
  /** Report frequency, and the cloud's other schedule elements. */
  schedule: { frequency: string };
  /** Extra report columns. */
  optionalFields: string[];
}

/** One cloud's rules, as {@link validateConfiguration} runs them. */
export interface CloudRules<C extends ConfigurationShape> {
  /** Values of `schedule.frequency`. */
  frequencies: readonly string[];
  /** Why a report column is refused, or `undefined` when the cloud accepts it. */
  optionalField: (field: unknown, property: string) => string | undefined;
  /** Judges the schedule's other elements (the day of a monthly job, ...), after its frequency. */
  schedule: (cfg: C, name: PathName, fail: Fail) => void;
  /** Judges the destination. */
  destination: (cfg: C, name: PathName, fail: Fail) => void;
  /** Judges the filter. */
  filter: (cfg: C, name: PathName, fail: Fail) => void;
  /** Judges the free-text values (prefixes, key ids) last. */
  texts: (cfg: C, name: PathName, fail: Fail) => void;
}

/** Checks a configuration against one cloud's rules; see {@link configurationValidator}. */
export type ConfigurationValidator<C> = (cfg: C, name?: PathName) => ValidationFailure[];

/**
 * The validator of a cloud whose rules are `rules`: it runs
 * {@link validateConfiguration}, naming model paths unless given a `name`.
 */
export function configurationValidator<C extends ConfigurationShape>(
  rules: CloudRules<C>,
): ConfigurationValidator<C> {
  return (cfg, name = modelPath) => validateConfiguration(cfg, rules, name);
}

/**
 * Checks a configuration against a cloud's rules and returns every failure
 * (empty when valid), in one order on both clouds: id, `isEnabled`,
 * `includedObjectVersions`, `schedule.frequency`, destination, report
 * columns, filter, free text. Each failure names its path through `name`.
 */
export function validateConfiguration<C extends ConfigurationShape>(
  cfg: C,
  rules: CloudRules<C>,
  name: PathName,
): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const fail: Fail = (property, reason) => {
    failures.push({ property, reason });
  };
  checkId(cfg.id, name, fail);
  if (typeof cfg.isEnabled !== "boolean") {
    fail(name("isEnabled"), `${name("isEnabled")} must be true or false`);
  }
  checkEnum(cfg.includedObjectVersions, INCLUDED_OBJECT_VERSIONS, "includedObjectVersions", name, fail);
  // Values are checked at run time even where the type constrains them: the
  // input may come from untyped JavaScript or a decoded body.
  checkEnum(
    (cfg.schedule as { frequency?: unknown } | undefined)?.frequency,
    rules.frequencies,
    "schedule.frequency",
    name,
    fail,
  );
  rules.schedule(cfg, name, fail);
  rules.destination(cfg, name, fail);
  checkOptionalFields(cfg.optionalFields, rules.optionalField, name, fail);
  rules.filter(cfg, name, fail);
  rules.texts(cfg, name, fail);
  return failures;
}

/** `s` in double quotes, as failure messages show values. */
export const quote = (s: string): string => JSON.stringify(s);

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export const quotedOr = (xs: readonly string[]): string => joinOr(xs.map(quote));

/**
 * Judges a job id: not empty, only `a-zA-Z0-9-_.` (each bad character
 * named), at most {@link INVENTORY_ID_MAX_LENGTH} characters.
 */
export function checkId(id: unknown, name: PathName, fail: Fail): void {
  const max = INVENTORY_ID_MAX_LENGTH;
  const p = name("id");
  if (typeof id !== "string" || id === "") {
    fail(p, `${p} must not be empty; use 1 to ${max} letters, digits, "-", "_" or "."`);
    return;
  }
  // The characters INVENTORY_ID_PATTERN allows, removed: what is left is named.
  const bad = [...new Set(id.split("").filter((c) => !INVENTORY_ID_PATTERN.test(c)))];
  if (bad.length > 0) {
    fail(
      p,
      `${p} ${quote(id)} contains ${bad.map(quote).join(", ")}; use only letters, digits, "-", "_" and "."`,
    );
  }
  if (id.length > max) {
    fail(p, `${p} is ${id.length} characters long; at most ${max} are allowed`);
  }
}

/** Fails `value` at model path `path` unless it is one of `allowed`. */
export function checkEnum(
  value: unknown,
  allowed: readonly string[],
  path: string,
  name: PathName,
  fail: Fail,
): void {
  if (!allowed.includes(value as string)) {
    const p = name(path);
    fail(p, `${p} must be ${quotedOr(allowed)}, got ${describeValue(value)}`);
  }
}

/**
 * Judges `optionalFields`: a list, each item accepted by `judge` (which
 * returns why an item is refused, or `undefined`) and listed once.
 */
export function checkOptionalFields(
  fields: unknown,
  judge: (field: unknown, property: string) => string | undefined,
  name: PathName,
  fail: Fail,
  path = "optionalFields",
): void {
  if (!Array.isArray(fields)) {
    const p = name(path);
    fail(p, `${p} must be a list of field names (possibly empty)`);
    return;
  }
  const seen = new Set<unknown>();
  fields.forEach((field: unknown, i) => {
    const p = name(`${path}[${i}]`);
    const refused = judge(field, p);
    if (refused !== undefined) {
      fail(p, refused);
    } else if (seen.has(field)) {
      fail(p, `${p} repeats ${quote(String(field))}; list each field once`);
    }
    seen.add(field);
  });
}

/** A time window of the filter, for {@link checkTimeWindow}. */
export interface TimeWindow {
  /** Model path and value of the start. */
  begin: readonly [string, unknown];
  /** Model path and value of the end. */
  end: readonly [string, unknown];
  /** Model path an end before the start is reported on. */
  order: string;
  /** Whether a value is a time the cloud accepts. */
  inRange: (t: unknown) => t is number;
  /** What a time must be, after "must be", e.g. `a whole number of seconds …`. */
  expected: string;
}

/** Judges a window of unix times: each in range when given, and the start not after the end. */
export function checkTimeWindow(w: TimeWindow, name: PathName, fail: Fail): void {
  for (const [path, value] of [w.begin, w.end]) {
    if (value !== undefined && !w.inRange(value)) {
      const p = name(path);
      fail(p, `${p} must be ${w.expected}, got ${describeValue(value)}`);
    }
  }
  const [begin, end] = [w.begin[1], w.end[1]];
  if (w.inRange(begin) && w.inRange(end) && begin > end) {
    fail(name(w.order), `${name(w.begin[0])} (${begin}) must not be after ${name(w.end[0])} (${end})`);
  }
}

/**
 * Earliest and latest day of a `Monthly` schedule (COS `MonthlyDate`, OSS
 * `DayOfMonth`). Neither cloud documents a range; 1 to 28 is our choice, a
 * day every month has, so a job never silently skips February
 * (docs/cos-inventory.md, docs/oss-inventory.md).
 */
export const MONTHLY_DAY_RANGE = { min: 1, max: 28 } as const;

/**
 * Judges the day of a monthly schedule at model path `path`: required with
 * `Monthly`, a whole number in {@link MONTHLY_DAY_RANGE}, and refused with any
 * other frequency (the services apply it only to `Monthly`).
 */
export function checkMonthlyDay(
  frequency: unknown,
  day: unknown,
  path: string,
  name: PathName,
  fail: Fail,
): void {
  const p = name(path);
  const f = name("schedule.frequency");
  const { min, max } = MONTHLY_DAY_RANGE;
  if (frequency !== "Monthly") {
    if (day !== undefined) {
      fail(p, `${p} applies only to a "Monthly" ${f}; remove ${p}, or set ${f} to "Monthly"`);
    }
    return;
  }
  if (day === undefined) {
    fail(p, `${p} is required with a "Monthly" ${f}: the day of the month, ${min} to ${max}`);
  } else if (!Number.isSafeInteger(day) || (day as number) < min || (day as number) > max) {
    fail(p, `${p} must be a whole day of the month from ${min} to ${max}, got ${describeValue(day)}`);
  }
}

/**
 * Judges a list of storage classes (the items of one comma-separated
 * `StorageClass` element): each one of `allowed`, listed once. `property`
 * names item `i`, so the schema can name the user's index while the wire
 * rules name the one element.
 */
export function checkStorageClassList(
  items: readonly unknown[],
  allowed: readonly string[],
  property: (index: number) => string,
): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (typeof item !== "string" || !allowed.includes(item)) {
      failures.push({
        property: property(i),
        reason: `${property(i)} has storage class ${describeValue(item)}; use ${quotedOr(allowed)}`,
      });
    } else if (seen.has(item)) {
      failures.push({
        property: property(i),
        reason: `${property(i)} repeats ${quote(item)}; list each class once`,
      });
    }
    if (typeof item === "string") seen.add(item);
  });
  return failures;
}
