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
import * as normalize from "../../core/normalize";
import type { Fail, RawArgs } from "../../core/normalize";
import { UNKNOWN, isUnknown } from "../../core/unknown";
import * as common from "../common/schema";
import { storageClassesArgument } from "../common/storage-classes";
import { describeValue } from "../common/text";
import { encodeInventoryConfiguration } from "./codec";
import { checkCosBucket, checkCosRegion } from "./endpoint";
import type { CosInventoryConfiguration, CosInventoryDestination, CosInventoryFilter } from "./model";
import type { ValidationFailure } from "../../core/errors";
import { checkStorageClassList } from "../common/rules";
import {
  COS_ENCRYPTIONS,
  COS_FREQUENCIES,
  COS_STORAGE_CLASSES,
  COS_TIME_MAX,
  parseCosDestinationBucket,
  validateInventoryConfiguration,
} from "./rules";

/** Version of the state layout written by this package; bumped on incompatible changes. */
export const COS_STATE_SCHEMA_VERSION = 1;

/**
 * Normalized inputs (and outputs) of a COS inventory job, as kept in state:
 * `bucket` is `<name>-<appid>`, the destination bucket is in the
 * `qcs::cos:<region>::<name-appid>` form, and the filter is the wire
 * model's.
 */
export type CosInventoryInputs = common.InventoryInputs<
  CosInventoryFilter,
  CosInventoryDestination,
  CosInventoryConfiguration["schedule"]
>;

/** Result of {@link checkCosInputs}. */
export type CosCheckResult = common.InventoryCheckResult;

/** A destination bucket in either form → `qcs::cos:<region>::<name-appid>`. */
export function normalizeDestinationBucket(bucket: string, sourceRegion: string): string {
  return bucket.startsWith("qcs::") ? bucket : `qcs::cos:${sourceRegion}::${bucket}`;
}

/** The COS argument schema, as the shared check runs it. */
const COS_SCHEMA: common.InventorySchema<CosInventoryConfiguration> = {
  stateSchemaVersion: COS_STATE_SCHEMA_VERSION,
  region: {
    reasons: {
      missing:
        'no region given; set the "region" argument, config "tencentcloud:region" or env TENCENTCLOUD_REGION (e.g. "ap-guangzhou")',
      notString: 'must be a string such as "ap-guangzhou"',
    },
    check: (region) => checkCosRegion(region),
  },
  bucket: {
    reasons: {
      missing: 'required: the source bucket, "<name>-<appid>" such as "examplebucket-1250000000"',
      notString: "must be a string",
    },
    check: (bucket) => checkCosBucket(bucket),
  },
  frequencies: COS_FREQUENCIES,
  scheduleArguments: {
    monthlyDate: common.MONTHLY_DAY_ARGUMENT,
  },
  moreArguments: {},
  normalizeFilter,
  normalizeDestination,
  toConfiguration: (inputs) => toCosConfiguration(inputs as unknown as CosInventoryInputs),
  validate: validateInventoryConfiguration,
  // Model paths the rules report whose argument has another name.
  argumentNames: { id: "inventoryId", isEnabled: "enabled" },
  encode: encodeInventoryConfiguration,
  bodyPaths: ["optionalFields", "filter.prefix", "destination.prefix", "destination.bucket", "filter.tags[]"],
};

/**
 * Validates and normalizes raw resource inputs, as `check` gets them from the
 * engine (see {@link common.checkInventoryInputs}). Never calls the network and
 * never throws, whatever `news` holds.
 */
export function checkCosInputs(news: RawArgs): CosCheckResult {
  return common.checkInventoryInputs(news, COS_SCHEMA);
}

function normalizeFilter(value: unknown, fail: Fail): unknown {
  return common.filterArgument(
    value,
    ["prefix", "tags", "period", "storageClasses"],
    (raw) => ({
      tags: normalizeTags(raw.tags, fail),
      period: normalizePeriod(raw.period, fail),
      storageClasses: storageClassesArgument(
        raw.storageClasses,
        { check: checkCosStorageClasses, example: '["STANDARD", "STANDARD_IA"]' },
        fail,
      ),
    }),
    fail,
  );
}

/** Tags: a list of `{ key, value }`; an empty list is no tag filter. */
function normalizeTags(raw: unknown, fail: Fail): unknown {
  if (normalize.isAbsent(raw) || isUnknown(raw)) {
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
    if (normalize.isAbsent(item)) {
      fail(property, 'must be an object such as { key: "age", value: "18" }');
      return undefined;
    }
    const hint = 'must be an object such as { key: "age", value: "18" }';
    return normalize.objectFields(item, property, { allowed: ["key", "value"], hint }, fail, (tag) => {
      const key = tag.key;
      if (normalize.isAbsent(key) || key === "") {
        fail(`${property}.key`, 'required: the tag\'s key, such as "age"');
      } else if (typeof key !== "string" && !isUnknown(key)) {
        fail(`${property}.key`, `${property}.key must be a string (the tag's key, such as "age")`);
      }
      // No value is the empty value, which COS reads back as "".
      const value = tag.value ?? "";
      if (typeof value !== "string" && !isUnknown(value)) {
        fail(`${property}.value`, `${property}.value must be a string (the tag's value, such as "18")`);
      }
      return {
        key: typeof key === "string" ? key : undefined,
        value: typeof value === "string" ? value : "",
      };
    });
  });
}

/** Period: `{ startTime, endTime }` unix seconds; `{}` is no period. */
function normalizePeriod(raw: unknown, fail: Fail): unknown {
  const keys = ["startTime", "endTime"] as const;
  const hint = "must be an object such as { startTime: 1568688761, endTime: 1568688762 }";
  return normalize.objectFields(raw, "filter.period", { allowed: keys, hint }, fail, (period) => {
    const p: RawArgs = {};
    for (const k of keys) {
      p[k] = normalize.wholeNumberArgument(
        period[k],
        `filter.period.${k}`,
        `must be a unix time in whole seconds from 0 to ${COS_TIME_MAX}, such as 1568688761`,
        fail,
      );
    }
    const out = normalize.dropUndefined(p);
    return Object.keys(out).length > 0 ? out : undefined;
  });
}

/**
 * A destination bucket string in either COS form, checked; the long form is
 * kept. With no usable source region the long form of a plain name is not
 * known yet (the region's own failure says why).
 */
function cosDestinationBucket(bucket: string, region: unknown, fail: Fail): unknown {
  if (bucket.startsWith("qcs::")) {
    const parts = parseCosDestinationBucket(bucket);
    if (!parts) {
      fail(
        "destination.bucket",
        `${describeValue(bucket)} is not of the form "qcs::cos:<region>::<name>-<appid>"; or give the plain "<name>-<appid>"`,
      );
    } else {
      // The long form holds a bucket name, which has the same rules as a plain one.
      for (const f of checkCosBucket(`${parts.name}-${parts.appId}`, "destination.bucket")) {
        fail(f.property, f.reason);
      }
    }
    return bucket;
  }
  for (const f of checkCosBucket(bucket, "destination.bucket")) {
    fail(f.property, f.reason);
  }
  return typeof region === "string" && !isUnknown(region)
    ? normalizeDestinationBucket(bucket, region)
    : UNKNOWN;
}

function normalizeDestination(value: unknown, region: unknown, fail: Fail): unknown {
  const start = common.startDestination(
    value,
    ["bucket", "accountId", "prefix", "format", "encryption"],
    'required: { bucket: "<name>-<appid>", accountId: "<uin>", ... }',
    fail,
  );
  if ("done" in start) return start.done;
  const { raw: dest, out: d } = start;

  d.bucket = common.destinationBucketArgument(
    dest.bucket,
    '"<name>-<appid>" or "qcs::cos:<region>::<name>-<appid>"',
    fail,
    (bucket) => cosDestinationBucket(bucket, region, fail),
  );

  const accountId = dest.accountId;
  if (!normalize.isAbsent(accountId) && accountId !== "") {
    d.accountId = common.accountIdArgument(accountId, "destination.accountId", "UIN", "100000000001", fail);
  }

  d.prefix = common.optionalText(
    dest.prefix,
    "destination.prefix",
    'a key prefix for the reports such as "reports"',
    fail,
  );

  const encryption = dest.encryption;
  if (!normalize.isAbsent(encryption) && encryption !== "") {
    // Its value is judged by the wire rules.
    d.encryption = normalize.stringArgument(
      encryption,
      "destination.encryption",
      `must be ${COS_ENCRYPTIONS.map((e) => `"${e}"`).join(" or ")} or be left out, not ${describeValue(encryption)}`,
      fail,
    );
  }
  return normalize.dropUndefined(d);
}

/** Normalized inputs → the configuration sent to COS. */
export function toCosConfiguration(inputs: CosInventoryInputs): CosInventoryConfiguration {
  const cfg: CosInventoryConfiguration = {
    id: inputs.inventoryId,
    isEnabled: inputs.enabled,
    includedObjectVersions: inputs.includedObjectVersions,
    schedule: common.scheduleOf<CosInventoryConfiguration["schedule"]>(inputs.schedule, ["monthlyDate"]),
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
    if (inputs.filter.storageClasses !== undefined)
      cfg.filter.storageClasses = [...inputs.filter.storageClasses];
  }
  return cfg;
}

/** The wire rules on a storage-class list (COS has no class meaning "every class"). */
function checkCosStorageClasses(
  items: readonly unknown[],
  property: (i: number) => string,
): ValidationFailure[] {
  return checkStorageClassList(items, COS_STORAGE_CLASSES, property);
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
    schedule: common.scheduleOf<CosInventoryConfiguration["schedule"]>(cfg.schedule, ["monthlyDate"]),
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
    if (f.storageClasses && f.storageClasses.length > 0)
      filter.storageClasses = normalize.sortedUnique(f.storageClasses);
    if (Object.keys(filter).length > 0) out.filter = filter;
  }
  return out;
}
