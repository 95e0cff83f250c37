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
import { ValidationFailure } from "../../core/errors";
import {
  addRuleFailures,
  booleanArgument,
  dropUndefined,
  isRecord,
  normalizeBoolean,
  rejectUnknownArguments,
  wholeNumberArgument,
} from "../../core/normalize";
import { UNKNOWN, isUnknown } from "../../core/unknown";
import {
  adoptArgument,
  rejectUnknownInventoryArguments,
  requireInventoryId,
  requiredStringArgument,
} from "../common/schema";
import { checkBucket, checkRegion } from "./endpoint";
import { CosInventoryConfiguration, CosTag } from "./model";
import {
  COS_FREQUENCIES,
  COS_ID_MAX_LENGTH,
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

/** Properties whose change replaces the job (they are its address). */
export const COS_REPLACE_PROPERTIES: readonly string[] = ["region", "bucket", "inventoryId"];

type Raw = Record<string, unknown>;

/**
 * `true`, `"true"`, `"True"` → true; likewise false; anything else is left for the caller to reject.
 * Kept here for existing importers; it lives in `core/normalize`, shared by every cloud.
 */
export { normalizeBoolean };

/** A destination bucket in either form → `qcs::cos:<region>::<name-appid>`. */
export function normalizeDestinationBucket(bucket: string, sourceRegion: string): string {
  return bucket.startsWith("qcs::") ? bucket : `qcs::cos:${sourceRegion}::${bucket}`;
}

/**
 * Validates and normalizes raw resource inputs, as `check` gets them from the
 * engine. Never calls the network. Unknown values (outputs of resources not
 * yet created, at preview) pass through unvalidated.
 */
export function checkCosInputs(news: Raw, ctx: CosCheckContext): CosCheckResult {
  const failures: ValidationFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
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

  // enabled
  out.enabled = booleanArgument(news.enabled ?? true, "enabled", fail);

  out.includedObjectVersions = news.includedObjectVersions ?? "Current";

  // schedule
  if (news.schedule === undefined) {
    fail("schedule", `required: { frequency: ${COS_FREQUENCIES.map((f) => `"${f}"`).join(" | ")} }`);
  } else if (!isUnknown(news.schedule) && !isRecord(news.schedule)) {
    fail("schedule", 'must be an object such as { frequency: "Daily" }');
  }
  out.schedule = isRecord(news.schedule) ? { frequency: news.schedule.frequency } : news.schedule;

  // filter: empty parts disappear, so `{}` and no filter are the same.
  out.filter = normalizeFilter(news.filter, fail);

  // optionalFields: validated in the user's order (so indexes match), stored sorted.
  let fields = news.optionalFields ?? [];
  if (!isUnknown(fields) && !Array.isArray(fields)) {
    fail("optionalFields", 'must be a list such as ["Size", "ETag"]');
  } else if (Array.isArray(fields)) {
    // A repeated field is harmless: keep the first.
    fields = [...new Set(fields)];
  }
  out.optionalFields = fields;

  // destination
  const dest = news.destination;
  if (dest === undefined) {
    fail("destination", 'required: { bucket: "<name>-<appid>", accountId: "<uin>", ... }');
    out.destination = undefined;
  } else if (isUnknown(dest)) {
    out.destination = dest;
  } else if (!isRecord(dest)) {
    fail("destination", "must be an object");
  } else {
    rejectUnknownArguments(dest, ["bucket", "accountId", "prefix", "format", "encryption"], fail, {
      path: "destination",
    });
    const d: Raw = { format: dest.format ?? "CSV" };
    if (dest.bucket === undefined || dest.bucket === "") {
      fail("destination.bucket", 'required: "<name>-<appid>" or "qcs::cos:<region>::<name>-<appid>"');
    } else if (isUnknown(dest.bucket) || isUnknown(region)) {
      d.bucket = isUnknown(dest.bucket) ? dest.bucket : UNKNOWN;
    } else if (typeof dest.bucket !== "string") {
      fail("destination.bucket", "must be a string");
    } else if (dest.bucket.startsWith("qcs::")) {
      if (!parseCosDestinationBucket(dest.bucket)) {
        fail(
          "destination.bucket",
          `"${dest.bucket}" is not of the form "qcs::cos:<region>::<name>-<appid>"; or give the plain "<name>-<appid>"`,
        );
      }
      d.bucket = dest.bucket;
    } else {
      failures.push(...checkBucket(dest.bucket, "destination.bucket"));
      d.bucket = normalizeDestinationBucket(dest.bucket, String(region));
    }
    if (dest.accountId !== undefined && dest.accountId !== "") {
      d.accountId = typeof dest.accountId === "number" ? String(dest.accountId) : dest.accountId;
    }
    if (dest.prefix !== undefined && dest.prefix !== "") {
      d.prefix = dest.prefix;
    }
    if (dest.encryption !== undefined && dest.encryption !== "" && dest.encryption !== null) {
      if (!isUnknown(dest.encryption) && dest.encryption !== "SSE-COS") {
        fail(
          "destination.encryption",
          `must be "SSE-COS" or left out, not ${JSON.stringify(dest.encryption)}`,
        );
      }
      d.encryption = dest.encryption;
    }
    out.destination = d;
  }

  out.adopt = adoptArgument(news.adopt, fail);

  // The service's own rules, with user-facing names. Failures that an unknown
  // value could cause are dropped: they are checked again once it is known.
  addRuleFailures(out, failures, (known) =>
    validateInventoryConfiguration(toCosConfiguration(known as unknown as CosInventoryInputs)).map((f) => ({
      property: userProperty(f.property),
      reason: userReason(f.reason),
    })),
  );

  if (failures.length === 0 && Array.isArray(out.optionalFields)) {
    out.optionalFields = [...new Set(out.optionalFields as string[])].sort();
  }
  return { inputs: dropUndefined(out), failures };
}

function normalizeFilter(raw: unknown, fail: (p: string, r: string) => void): unknown {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (isUnknown(raw)) {
    return raw;
  }
  if (!isRecord(raw)) {
    fail("filter", 'must be an object such as { prefix: "logs/" }');
    return undefined;
  }
  rejectUnknownArguments(raw, ["prefix", "tags", "period"], fail, { path: "filter" });
  const f: Raw = {};
  if (raw.prefix !== undefined && raw.prefix !== "") {
    f.prefix = raw.prefix;
  }
  if (Array.isArray(raw.tags) && raw.tags.length > 0) {
    f.tags = raw.tags.map((t: unknown, i: number) => {
      if (!isRecord(t)) {
        fail(`filter.tags[${i}]`, 'must be an object such as { key: "age", value: "18" }');
        return t;
      }
      return { key: t.key, value: t.value ?? "" };
    });
  } else if (raw.tags !== undefined && !Array.isArray(raw.tags) && !isUnknown(raw.tags)) {
    fail("filter.tags", 'must be a list such as [{ key: "age", value: "18" }]');
  } else if (isUnknown(raw.tags)) {
    f.tags = raw.tags;
  }
  if (isRecord(raw.period)) {
    const p: Raw = {};
    for (const k of ["startTime", "endTime"] as const) {
      const v = wholeNumberArgument(
        raw.period[k],
        `filter.period.${k}`,
        "must be a unix time in whole seconds, such as 1568688761",
        fail,
      );
      if (v !== undefined) {
        p[k] = v;
      }
    }
    if (Object.keys(p).length > 0) {
      f.period = p;
    }
  } else if (raw.period !== undefined && raw.period !== null) {
    if (isUnknown(raw.period)) {
      f.period = raw.period;
    } else {
      fail("filter.period", "must be an object such as { startTime: 1568688761, endTime: 1568688762 }");
    }
  }
  return Object.keys(f).length > 0 ? f : undefined;
}

const PROPERTY_NAMES: Record<string, string> = { id: "inventoryId", isEnabled: "enabled" };

function userProperty(modelPath: string): string {
  const head = modelPath.split(/[.[]/)[0];
  const mapped = PROPERTY_NAMES[head];
  return mapped ? mapped + modelPath.slice(head.length) : modelPath;
}

function userReason(reason: string): string {
  return reason.replace(/^id /, "inventoryId ");
}

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
