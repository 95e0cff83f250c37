/**
 * The `cos.BucketInventory` argument schema as pure functions: check (validate
 * and normalize raw inputs without a network call), conversion between the
 * normalized inputs and the wire model, and the properties that force
 * replacement.
 *
 * Normalizing is what makes diffs exact: reordered optional fields, `"true"`
 * for `true`, the two destination bucket forms, an empty filter and an empty
 * encryption all normalize to one value, so they never show as changes.
 */
import type { ValidationFailure } from "../../core/errors";
import {
  type Fail,
  addRuleFailures,
  allKnownStrings,
  booleanArgument,
  dropUndefined,
  isAbsent,
  isRecord,
  objectArgument,
  sortedUnique,
  stringArgument,
  uniqueWithIndex,
  wholeNumberArgument,
} from "../../core/normalize";
import { UNKNOWN, isUnknown } from "../../core/unknown";
import {
  adoptArgument,
  checkBodySize,
  rejectUnknownInventoryArguments,
  requireInventoryId,
  requiredStringArgument,
} from "../common/schema";
import { argumentPath } from "../common/rules";
import { describeValue } from "../common/text";
import { encodeInventoryConfiguration } from "./codec";
import { checkBucket, checkRegion } from "./endpoint";
import type { CosInventoryConfiguration, CosTag } from "./model";
import {
  COS_ENCRYPTIONS,
  COS_FREQUENCIES,
  COS_ID_MAX_LENGTH,
  COS_INCLUDED_OBJECT_VERSIONS,
  COS_TIME_MAX,
  parseCosDestinationBucket,
  validateInventoryConfiguration,
} from "./rules";

/** Version of the state layout written by this package; bumped on incompatible changes. */
export const COS_STATE_SCHEMA_VERSION = 1;

/** Normalized inputs (and outputs) of a COS inventory job, as kept in state. */
export interface CosInventoryInputs {
  /** State layout version ({@link COS_STATE_SCHEMA_VERSION}). */
  schemaVersion: number;
  /** Source bucket region. */
  region: string;
  /** Source bucket, `<name>-<appid>`. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
  /** Whether the job runs. */
  enabled: boolean;
  /** `All` or `Current`. */
  includedObjectVersions: "All" | "Current";
  /** Report frequency. */
  schedule: { frequency: "Daily" | "Weekly" };
  /** Object filter; absent when it would select every object. */
  filter?: {
    prefix?: string;
    tags?: CosTag[];
    period?: { startTime?: number; endTime?: number };
  };
  /** Extra report columns, sorted and without duplicates. */
  optionalFields: string[];
  /** Where reports go; `bucket` in the `qcs::cos:<region>::<name-appid>` form. */
  destination: {
    bucket: string;
    accountId?: string;
    prefix?: string;
    format: "CSV";
    encryption?: "SSE-COS";
  };
  /** Take over an existing job with the same id instead of refusing to create. */
  adopt?: boolean;
}

/** Defaults that come from outside the resource's arguments. */
export interface CosCheckContext {
  /** Region from config `tencentcloud:region` or env `TENCENTCLOUD_REGION`. */
  defaultRegion?: string;
}

/** Result of {@link checkCosInputs}. */
export interface CosCheckResult {
  /** Normalized inputs; unknown values are kept as the engine's unknown marker. */
  inputs: Record<string, unknown>;
  /** Every problem, each naming the property and the fix. */
  failures: ValidationFailure[];
}

type Raw = Record<string, unknown>;

/** A destination bucket in either form → `qcs::cos:<region>::<name-appid>`. */
export function normalizeDestinationBucket(bucket: string, sourceRegion: string): string {
  return bucket.startsWith("qcs::") ? bucket : `qcs::cos:${sourceRegion}::${bucket}`;
}

/**
 * Validates and normalizes raw resource inputs, as `check` gets them from the
 * engine. Never calls the network and never throws, whatever `news` holds.
 * Unknown values (outputs of resources not yet created, at preview) pass
 * through unvalidated, wherever they are. `null` is treated as absent:
 * optional arguments take their default, required ones are reported missing.
 */
export function checkCosInputs(news: Raw, ctx: CosCheckContext): CosCheckResult {
  const failures: ValidationFailure[] = [];
  const fail: Fail = (property, reason) => {
    failures.push({ property, reason });
  };
  rejectUnknownInventoryArguments(news, fail);

  const out: Raw = { schemaVersion: COS_STATE_SCHEMA_VERSION };

  // region: argument, else config/env default; "" is no region.
  const givenRegion = news.region ?? ctx.defaultRegion;
  const region: unknown = givenRegion === "" ? undefined : givenRegion;
  requiredStringArgument(
    region,
    "region",
    {
      missing:
        'no region given; set the "region" argument, config "tencentcloud:region" or env TENCENTCLOUD_REGION (e.g. "ap-guangzhou")',
      notString: 'must be a string such as "ap-guangzhou"',
    },
    checkRegion,
    fail,
  );
  out.region = region;

  requiredStringArgument(
    news.bucket,
    "bucket",
    {
      missing: 'required: the source bucket, "<name>-<appid>" such as "examplebucket-1250000000"',
      notString: "must be a string",
    },
    checkBucket,
    fail,
  );
  out.bucket = news.bucket;

  requireInventoryId(news.inventoryId, COS_ID_MAX_LENGTH, fail);
  out.inventoryId = news.inventoryId;

  out.enabled = booleanArgument(news.enabled ?? true, "enabled", fail);
  out.includedObjectVersions =
    stringArgument(
      news.includedObjectVersions,
      "includedObjectVersions",
      `must be a string: ${COS_INCLUDED_OBJECT_VERSIONS.map((v) => `"${v}"`).join(" or ")}`,
      fail,
    ) ?? "Current";
  out.schedule = normalizeSchedule(news.schedule, fail);
  // filter: empty parts disappear, so `{}` and no filter are the same.
  out.filter = normalizeFilter(news.filter, fail);

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

  out.destination = normalizeDestination(news.destination, region, fail);
  out.adopt = adoptArgument(news.adopt, fail);

  // The service's own rules, with user-facing names. Failures that an unknown
  // value could cause are dropped: they are checked again once it is known.
  addRuleFailures(out, failures, (known) =>
    validateInventoryConfiguration(
      toCosConfiguration(known as unknown as CosInventoryInputs),
      argumentPath(COS_ARGUMENT_NAMES, fieldIndex),
    ),
  );

  if (Array.isArray(out.optionalFields) && allKnownStrings(out.optionalFields)) {
    out.optionalFields = sortedUnique(out.optionalFields);
  }
  const inputs = dropUndefined(out);
  if (failures.length === 0) {
    const cfg = (): CosInventoryConfiguration => toCosConfiguration(inputs as unknown as CosInventoryInputs);
    checkBodySize(inputs, () => encodeInventoryConfiguration(cfg()), bodyParts(inputs), fail);
  }
  return { inputs, failures };
}

/** The parts of the inputs that can make a body large, for {@link checkBodySize} to name. */
function bodyParts(inputs: Raw): [string, unknown][] {
  const filter = isRecord(inputs.filter) ? inputs.filter : {};
  const dest = isRecord(inputs.destination) ? inputs.destination : {};
  const tags = Array.isArray(filter.tags) ? filter.tags : [];
  return [
    ["optionalFields", inputs.optionalFields],
    ["filter.prefix", filter.prefix],
    ["destination.prefix", dest.prefix],
    ["destination.bucket", dest.bucket],
    ...tags.map((t, i): [string, unknown] => [`filter.tags[${i}]`, t]),
  ];
}

function normalizeSchedule(raw: unknown, fail: Fail): unknown {
  const frequencies = COS_FREQUENCIES.map((f) => `"${f}"`).join(" | ");
  const schedule = objectArgument(
    raw,
    "schedule",
    { allowed: ["frequency"], hint: 'must be an object such as { frequency: "Daily" }' },
    fail,
  );
  if (schedule === undefined) {
    if (isAbsent(raw)) fail("schedule", `required: { frequency: ${frequencies} }`);
    return undefined;
  }
  if (!isRecord(schedule)) {
    return schedule;
  }
  if (isAbsent(schedule.frequency) || schedule.frequency === "") {
    fail("schedule.frequency", `required: ${frequencies}`);
    return undefined;
  }
  const frequency = stringArgument(
    schedule.frequency,
    "schedule.frequency",
    `must be a string: ${frequencies}`,
    fail,
  );
  return frequency === undefined ? undefined : { frequency };
}

function normalizeFilter(raw: unknown, fail: Fail): unknown {
  const filter = objectArgument(
    raw,
    "filter",
    { allowed: ["prefix", "tags", "period"], hint: 'must be an object such as { prefix: "logs/" }' },
    fail,
  );
  if (!isRecord(filter)) {
    return filter;
  }
  const f: Raw = {};
  f.prefix = optionalText(filter.prefix, "filter.prefix", 'an object key prefix such as "logs/"', fail);
  f.tags = normalizeTags(filter.tags, fail);
  f.period = normalizePeriod(filter.period, fail);
  const out = dropUndefined(f);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A free-text argument: absent, `null` and `""` are none; anything but a string fails. */
function optionalText(value: unknown, property: string, what: string, fail: Fail): unknown {
  return stringArgument(
    value === "" ? undefined : value,
    property,
    `${property} must be a string (${what}) or be left out`,
    fail,
  );
}

/** Tags: a list of `{ key, value }`; an empty list is no tag filter. */
function normalizeTags(raw: unknown, fail: Fail): unknown {
  if (isAbsent(raw) || isUnknown(raw)) {
    return raw ?? undefined;
  }
  if (!Array.isArray(raw)) {
    fail("filter.tags", 'must be a list such as [{ key: "age", value: "18" }]');
    return undefined;
  }
  if (raw.length === 0) {
    return undefined;
  }
  // Array.from visits holes of a sparse list too (as undefined), where map would skip them.
  return Array.from(raw as unknown[], (item: unknown, i) => {
    const property = `filter.tags[${i}]`;
    if (isAbsent(item)) {
      fail(property, 'must be an object such as { key: "age", value: "18" }');
      return undefined;
    }
    const tag = objectArgument(
      item,
      property,
      { allowed: ["key", "value"], hint: 'must be an object such as { key: "age", value: "18" }' },
      fail,
    );
    if (!isRecord(tag)) {
      return tag;
    }
    const key = tag.key;
    if (isAbsent(key) || key === "") {
      fail(`${property}.key`, 'required: the tag\'s key, such as "age"');
    } else if (typeof key !== "string" && !isUnknown(key)) {
      fail(`${property}.key`, `${property}.key must be a string (the tag's key, such as "age")`);
    }
    // No value is the empty value, which COS reads back as "".
    const value = tag.value ?? "";
    if (typeof value !== "string" && !isUnknown(value)) {
      fail(`${property}.value`, `${property}.value must be a string (the tag's value, such as "18")`);
    }
    return { key: typeof key === "string" ? key : undefined, value: typeof value === "string" ? value : "" };
  });
}

/** Period: `{ startTime, endTime }` unix seconds; `{}` is no period. */
function normalizePeriod(raw: unknown, fail: Fail): unknown {
  const period = objectArgument(
    raw,
    "filter.period",
    {
      allowed: ["startTime", "endTime"],
      hint: "must be an object such as { startTime: 1568688761, endTime: 1568688762 }",
    },
    fail,
  );
  if (!isRecord(period)) {
    return period;
  }
  const p: Raw = {};
  for (const k of ["startTime", "endTime"] as const) {
    p[k] = wholeNumberArgument(
      period[k],
      `filter.period.${k}`,
      `must be a unix time in whole seconds from 0 to ${COS_TIME_MAX}, such as 1568688761`,
      fail,
    );
  }
  const out = dropUndefined(p);
  return Object.keys(out).length > 0 ? out : undefined;
}

function normalizeDestination(raw: unknown, region: unknown, fail: Fail): unknown {
  const dest = objectArgument(
    raw,
    "destination",
    { allowed: ["bucket", "accountId", "prefix", "format", "encryption"], hint: "must be an object" },
    fail,
  );
  if (dest === undefined) {
    if (isAbsent(raw)) {
      fail("destination", 'required: { bucket: "<name>-<appid>", accountId: "<uin>", ... }');
    }
    return undefined;
  }
  if (!isRecord(dest)) {
    return dest;
  }
  const d: Raw = {
    format: stringArgument(dest.format, "destination.format", 'must be a string: "CSV"', fail) ?? "CSV",
  };

  const bucket = dest.bucket;
  if (isAbsent(bucket) || bucket === "") {
    fail("destination.bucket", 'required: "<name>-<appid>" or "qcs::cos:<region>::<name>-<appid>"');
  } else if (isUnknown(bucket)) {
    d.bucket = bucket;
  } else if (typeof bucket !== "string") {
    fail("destination.bucket", "must be a string");
  } else if (bucket.startsWith("qcs::")) {
    const parts = parseCosDestinationBucket(bucket);
    if (!parts) {
      fail(
        "destination.bucket",
        `${describeValue(bucket)} is not of the form "qcs::cos:<region>::<name>-<appid>"; or give the plain "<name>-<appid>"`,
      );
    } else {
      // The long form holds a bucket name, which has the same rules as a plain one.
      for (const f of checkBucket(`${parts.name}-${parts.appId}`, "destination.bucket")) {
        fail(f.property, f.reason);
      }
    }
    d.bucket = bucket;
  } else {
    for (const f of checkBucket(bucket, "destination.bucket")) {
      fail(f.property, f.reason);
    }
    // With no usable source region the long form is not known yet; the
    // region's own failure says why.
    d.bucket =
      typeof region === "string" && !isUnknown(region) ? normalizeDestinationBucket(bucket, region) : UNKNOWN;
  }

  const accountId = dest.accountId;
  if (isAbsent(accountId) || accountId === "") {
    // none
  } else if (typeof accountId === "number") {
    // A number past 2^53 has already lost digits: refuse it rather than send a wrong account.
    if (!Number.isSafeInteger(accountId) || accountId < 0) {
      fail("destination.accountId", 'give the account id as a string of digits, such as "100000000001"');
    } else {
      d.accountId = String(accountId);
    }
  } else if (typeof accountId !== "string" && !isUnknown(accountId)) {
    fail("destination.accountId", 'must be a string of digits (the UIN), such as "100000000001"');
  } else {
    d.accountId = accountId;
  }

  d.prefix = optionalText(
    dest.prefix,
    "destination.prefix",
    'a key prefix for the reports such as "reports"',
    fail,
  );

  const encryption = dest.encryption;
  if (!isAbsent(encryption) && encryption !== "") {
    // Its value is judged by the wire rules.
    d.encryption = stringArgument(
      encryption,
      "destination.encryption",
      `must be ${COS_ENCRYPTIONS.map((e) => `"${e}"`).join(" or ")} or be left out, not ${describeValue(encryption)}`,
      fail,
    );
  }
  return dropUndefined(d);
}

/** Model paths the rules report whose argument has another name. */
const COS_ARGUMENT_NAMES: Readonly<Record<string, string>> = { id: "inventoryId", isEnabled: "enabled" };

/** Normalized inputs → the configuration sent to COS. */
export function toCosConfiguration(inputs: CosInventoryInputs): CosInventoryConfiguration {
  const cfg: CosInventoryConfiguration = {
    id: inputs.inventoryId,
    isEnabled: inputs.enabled,
    includedObjectVersions: inputs.includedObjectVersions,
    schedule: { frequency: inputs.schedule?.frequency },
    optionalFields: [...(inputs.optionalFields ?? [])],
    destination: {
      format: inputs.destination?.format,
      bucket: inputs.destination?.bucket,
    },
  };
  const d = inputs.destination ?? {};
  if (d.accountId !== undefined) cfg.destination.accountId = d.accountId;
  if (d.prefix !== undefined) cfg.destination.prefix = d.prefix;
  if (d.encryption !== undefined) cfg.destination.encryption = d.encryption;
  if (inputs.filter) {
    cfg.filter = {};
    if (inputs.filter.prefix !== undefined) cfg.filter.prefix = inputs.filter.prefix;
    if (inputs.filter.tags !== undefined) cfg.filter.tags = inputs.filter.tags.map((t) => ({ ...t }));
    if (inputs.filter.period !== undefined) cfg.filter.period = { ...inputs.filter.period };
  }
  return cfg;
}

/**
 * A configuration read from COS → normalized inputs (the same normal form as
 * {@link checkCosInputs} gives), so refresh shows exact drift and no more.
 */
export function fromCosConfiguration(
  cfg: CosInventoryConfiguration,
  address: { region: string; bucket: string },
): CosInventoryInputs {
  const out: CosInventoryInputs = {
    schemaVersion: COS_STATE_SCHEMA_VERSION,
    region: address.region,
    bucket: address.bucket,
    inventoryId: cfg.id,
    enabled: cfg.isEnabled,
    includedObjectVersions: cfg.includedObjectVersions,
    schedule: { frequency: cfg.schedule.frequency },
    optionalFields: [...new Set(cfg.optionalFields)].sort(),
    destination: {
      bucket: normalizeDestinationBucket(cfg.destination.bucket, address.region),
      format: cfg.destination.format as "CSV",
    },
  };
  if (cfg.destination.accountId) out.destination.accountId = cfg.destination.accountId;
  if (cfg.destination.prefix) out.destination.prefix = cfg.destination.prefix;
  if (cfg.destination.encryption) out.destination.encryption = cfg.destination.encryption;
  const f = cfg.filter;
  if (f) {
    const filter: NonNullable<CosInventoryInputs["filter"]> = {};
    if (f.prefix) filter.prefix = f.prefix;
    if (f.tags && f.tags.length > 0) filter.tags = f.tags.map((t) => ({ key: t.key, value: t.value }));
    if (f.period && (f.period.startTime !== undefined || f.period.endTime !== undefined)) {
      filter.period = {};
      if (f.period.startTime !== undefined) filter.period.startTime = f.period.startTime;
      if (f.period.endTime !== undefined) filter.period.endTime = f.period.endTime;
    }
    if (Object.keys(filter).length > 0) out.filter = filter;
  }
  return out;
}
