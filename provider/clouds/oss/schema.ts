/**
 * The `oss.BucketInventory` argument schema as pure functions: check (validate
 * and normalize raw inputs without a network call), conversion between the
 * normalized inputs and the wire model, and the properties that force
 * replacement. The twin of `clouds/cos/schema.ts`, built on the same
 * cloud-neutral helpers (`core/normalize`) and on the OSS wire rules.
 *
 * Normalizing is what makes diffs exact: reordered optional fields or storage
 * classes, `"true"` for `true`, `"1024"` for 1024, the two destination bucket
 * spellings, `oss-cn-hangzhou` for `cn-hangzhou`, an empty filter and an empty
 * encryption all normalize to one value, so they never show as changes. The
 * same normal form is produced from what OSS returns, so refresh shows real
 * drift only.
 */
import {
  allKnownStrings,
  dropUndefined,
  type Fail,
  objectFields,
  type RawArgs,
  sortedUnique,
  stringArgument,
  uniqueWithIndex,
  wholeNumberArgument,
} from "../../core/normalize";
import { isUnknown } from "../../core/unknown";
import * as common from "../common/schema";
import { encodeInventoryConfiguration } from "./codec";
import type { OssInventoryConfiguration, OssInventoryDestination, OssInventoryFilter } from "./model";
import { checkOssBucket, checkOssRegion } from "./endpoint";
import {
  OSS_ENCRYPTIONS,
  OSS_FREQUENCIES,
  OSS_TIMESTAMP_MAX,
  OSS_TIMESTAMP_MIN,
  checkOssStorageClasses,
  parseOssDestinationBucket,
  validateInventoryConfiguration,
} from "./rules";

/** Version of the state layout written by this package; bumped on incompatible changes. */
export const OSS_STATE_SCHEMA_VERSION = 1;

/**
 * The normalized OSS filter: argument names (`lastModifyBeginTime`,
 * `storageClasses`), not the wire model's, and only real conditions.
 */
export interface OssInputsFilter {
  /** Object key prefix; never empty. */
  prefix?: string;
  /** Objects modified at or after this time, unix seconds. */
  lastModifyBeginTime?: number;
  /** Objects modified at or before this time, unix seconds. */
  lastModifyEndTime?: number;
  /** Smallest object size listed, bytes; never 0 (0 is no bound). */
  lowerSizeBound?: number;
  /** Largest object size listed, bytes. */
  upperSizeBound?: number;
  /** Storage classes listed, sorted and without duplicates; never `["All"]` (that is no filter). */
  storageClasses?: string[];
}

/**
 * Normalized inputs (and outputs) of an OSS inventory job, as kept in state:
 * `region` is the region id (`cn-hangzhou`, never `oss-cn-hangzhou`) and the
 * destination bucket is in the `acs:oss:::<name>` form.
 */
export type OssInventoryInputs = common.InventoryInputs<OssInputsFilter, OssInventoryDestination>;

/** Result of {@link checkOssInputs}. */
export type OssCheckResult = common.InventoryCheckResult;

const FILTER_ARGS: readonly string[] = [
  "prefix",
  "lastModifyBeginTime",
  "lastModifyEndTime",
  "lowerSizeBound",
  "upperSizeBound",
  "storageClasses",
];

const DESTINATION_ARGS: readonly string[] = [
  "bucket",
  "accountId",
  "roleArn",
  "prefix",
  "format",
  "encryption",
];

const TIME_HINT =
  `must be a unix time in whole seconds from ${OSS_TIMESTAMP_MIN} (2010-01-01) to ${OSS_TIMESTAMP_MAX}, ` +
  "such as 1637883649";
const SIZE_HINT = "must be a whole number of bytes, such as 1048576";

/** The destination bucket's wire form starts with this. */
const ACS_OSS = "acs:oss:::";

/**
 * A region as users write it → the region id: the endpoint spelling
 * `oss-cn-hangzhou` becomes `cn-hangzhou`, anything else is unchanged.
 */
export function normalizeOssRegion(region: string): string {
  return region.startsWith("oss-") ? region.slice("oss-".length) : region;
}

/**
 * A destination bucket in either spelling → `acs:oss:::<name>`: a bare name
 * gets the prefix, a string already in ARN form is kept as is.
 */
export function normalizeOssDestinationBucket(bucket: string): string {
  return bucket.startsWith("acs:") ? bucket : `${ACS_OSS}${bucket}`;
}

/** Treats `null` and `""` as not given, as for every optional argument. */
const given = (x: unknown): boolean => x !== undefined && x !== null && x !== "";

/** The OSS argument schema, as the shared check runs it. */
const OSS_SCHEMA: common.InventorySchema<OssInventoryConfiguration> = {
  stateSchemaVersion: OSS_STATE_SCHEMA_VERSION,
  // The endpoint spelling is accepted, and stored as the region id.
  region: {
    reasons: {
      missing:
        'no region given; set the "region" argument, config "alicloud:region" or env ALICLOUD_REGION (e.g. "cn-hangzhou")',
      notString: 'must be a string such as "cn-hangzhou"',
    },
    check: (region) => checkOssRegion(region),
    normalize: normalizeOssRegion,
  },
  bucket: {
    reasons: {
      missing: 'required: the source bucket name, such as "examplebucket"',
      notString: "must be a string",
    },
    check: (bucket) => checkOssBucket(bucket),
  },
  frequencies: OSS_FREQUENCIES,
  normalizeFilter,
  normalizeDestination: (raw, _region, fail) => normalizeDestination(raw, fail),
  toConfiguration: (inputs) => toOssConfiguration(inputs as unknown as OssInventoryInputs),
  validate: validateInventoryConfiguration,
  // Model paths the rules report whose argument has another name.
  argumentNames: {
    id: "inventoryId",
    isEnabled: "enabled",
    "filter.lastModifyBeginTimeStamp": "filter.lastModifyBeginTime",
    "filter.lastModifyEndTimeStamp": "filter.lastModifyEndTime",
    "filter.storageClass": "filter.storageClasses",
  },
  encode: encodeInventoryConfiguration,
  bodyPaths: ["filter.prefix", "destination.prefix", "destination.encryption.keyId", "optionalFields"],
};

/**
 * Validates and normalizes raw resource inputs, as `check` gets them from the
 * engine (see {@link common.checkInventoryInputs}). Never calls the network and
 * never throws, whatever `news` holds.
 */
export function checkOssInputs(news: RawArgs): OssCheckResult {
  return common.checkInventoryInputs(news, OSS_SCHEMA);
}

function normalizeFilter(value: unknown, fail: Fail): unknown {
  return common.filterArgument(value, FILTER_ARGS, (raw) => filterParts(raw, fail), fail);
}

/** The OSS filter's conditions besides the prefix. */
function filterParts(raw: RawArgs, fail: Fail): RawArgs {
  const f: RawArgs = {};
  for (const k of ["lastModifyBeginTime", "lastModifyEndTime"] as const) {
    f[k] = wholeNumberArgument(raw[k] ?? undefined, `filter.${k}`, TIME_HINT, fail);
  }
  // A lower bound of 0 bytes selects every object, like no lower bound; one
  // normal form keeps an echoed or explicit 0 from showing as a change.
  const lower = wholeNumberArgument(
    raw.lowerSizeBound ?? undefined,
    "filter.lowerSizeBound",
    SIZE_HINT,
    fail,
  );
  f.lowerSizeBound = lower === 0 ? undefined : lower;
  f.upperSizeBound = wholeNumberArgument(
    raw.upperSizeBound ?? undefined,
    "filter.upperSizeBound",
    SIZE_HINT,
    fail,
  );
  f.storageClasses = normalizeStorageClasses(raw.storageClasses, fail);
  return f;
}

/**
 * Storage classes: a list of valid classes (the shared wire check, with the
 * user's indexes), de-duplicated and sorted. `"All"` means every class, so with
 * other classes it is a contradiction, and alone it is the same as no
 * storage-class filter (the service's default) and normalizes away.
 */
function normalizeStorageClasses(raw: unknown, fail: Fail): unknown {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (isUnknown(raw)) {
    return raw;
  }
  if (!Array.isArray(raw)) {
    fail("filter.storageClasses", 'must be a list such as ["Standard", "IA"]');
    return undefined;
  }
  // A repeat is harmless: drop it, and judge the rest with the user's indexes.
  const unique = uniqueWithIndex(raw);
  const property = (i: number): string => `filter.storageClasses[${unique.index[i]}]`;
  // An unknown item is judged once it is known.
  const pending = new Set(unique.items.flatMap((item, i) => (isUnknown(item) ? [property(i)] : [])));
  for (const f of checkOssStorageClasses(unique.items, property)) {
    if (!pending.has(f.property)) {
      fail(f.property, f.reason);
    }
  }
  if (!allKnownStrings(unique.items)) {
    // A non-string item was reported above; keep it out of the wire model,
    // which joins the list into one string.
    return unique.items.every((item) => typeof item === "string") ? unique.items : undefined;
  }
  const classes = sortedUnique(unique.items);
  if (classes.includes("All") && classes.length > 1) {
    fail(
      "filter.storageClasses",
      '"All" already means every storage class; use ["All"] alone (or leave storageClasses out), ' +
        'or list only the classes you want, such as ["Standard", "IA"]',
    );
  }
  if (classes.length === 0 || (classes.length === 1 && classes[0] === "All")) {
    return undefined;
  }
  return classes;
}

/** A destination bucket string in either OSS form, checked, as `acs:oss:::<name>`. */
function ossDestinationBucket(bucket: string, fail: Fail): string {
  if (bucket.startsWith("acs:")) {
    if (parseOssDestinationBucket(bucket) === undefined) {
      fail(
        "destination.bucket",
        `"${bucket}" is not of the form "acs:oss:::<name>" (name of 3 to 63 lowercase letters, digits and "-"); ` +
          "or give the plain bucket name",
      );
    }
    return bucket;
  }
  for (const f of checkOssBucket(bucket, "destination.bucket")) {
    fail(f.property, f.reason);
  }
  return normalizeOssDestinationBucket(bucket);
}

function normalizeDestination(value: unknown, fail: Fail): unknown {
  const start = common.startDestination(
    value,
    DESTINATION_ARGS,
    'required: { bucket: "<name>", accountId: "<uid>", roleArn: "acs:ram::<uid>:role/<name>", ... }',
    fail,
  );
  if ("done" in start) return start.done;
  const { raw, out: d } = start;

  d.bucket = common.destinationBucketArgument(
    raw.bucket,
    'the destination bucket, "<name>" or "acs:oss:::<name>"',
    fail,
    (bucket) => ossDestinationBucket(bucket, fail),
  );

  if (!given(raw.accountId)) {
    fail(
      "destination.accountId",
      'required: the account id (UID) owning the destination bucket, digits such as "1000000000000000"',
    );
  } else {
    d.accountId = common.accountIdArgument(
      raw.accountId,
      "destination.accountId",
      "UID",
      "1000000000000000",
      fail,
    );
  }

  if (!given(raw.roleArn)) {
    fail(
      "destination.roleArn",
      'required: the RAM role OSS assumes to write reports, "acs:ram::<uid>:role/<name>" ' +
        'such as "acs:ram::1000000000000000:role/AliyunOSSRole"',
    );
  } else if (typeof raw.roleArn !== "string") {
    fail("destination.roleArn", 'must be a string such as "acs:ram::1000000000000000:role/AliyunOSSRole"');
  } else {
    d.roleArn = raw.roleArn;
  }

  d.prefix = common.optionalText(
    raw.prefix,
    "destination.prefix",
    'a key prefix for the reports such as "reports"',
    fail,
  );
  d.encryption = normalizeEncryption(raw.encryption, fail);
  return dropUndefined(d);
}

/**
 * Encryption: `{ type: "SSE-OSS" }` or `{ type: "SSE-KMS", keyId }`; `{}`,
 * `""` and `null` mean none, like leaving it out.
 */
function normalizeEncryption(value: unknown, fail: Fail): unknown {
  const hint =
    'must be an object such as { type: "SSE-OSS" } or { type: "SSE-KMS", keyId: "<KMS key id>" }, or be left out';
  const options = { allowed: ["type", "keyId"], hint };
  return objectFields(value === "" ? undefined : value, "destination.encryption", options, fail, (raw) =>
    encryptionFields(raw, fail),
  );
}

/** The fields of an encryption object (see {@link normalizeEncryption}). */
function encryptionFields(raw: RawArgs, fail: Fail): unknown {
  const types = OSS_ENCRYPTIONS.map((t) => `"${t}"`).join(" or ");
  const type = stringArgument(
    given(raw.type) ? raw.type : undefined,
    "destination.encryption.type",
    `must be a string: ${types}`,
    fail,
  );
  const keyId = stringArgument(
    given(raw.keyId) ? raw.keyId : undefined,
    "destination.encryption.keyId",
    "destination.encryption.keyId must be a string (the id of a KMS key) or be left out",
    fail,
  );
  if (type === undefined) {
    if (keyId !== undefined && !given(raw.type)) {
      fail("destination.encryption.type", 'required with keyId: set type "SSE-KMS"');
    }
    return undefined;
  }
  if (type === "SSE-OSS" && keyId !== undefined) {
    fail(
      "destination.encryption.keyId",
      'a KMS key id goes only with type "SSE-KMS"; remove keyId for SSE-OSS, or set type "SSE-KMS"',
    );
    return { type };
  }
  // The type's value and the KMS key id are judged by the wire rules.
  return dropUndefined({ type, keyId });
}

/**
 * Normalized inputs → the configuration sent to OSS. Tolerates partial inputs
 * (`check` runs it over inputs whose unknown values were removed).
 */
export function toOssConfiguration(inputs: OssInventoryInputs): OssInventoryConfiguration {
  const d = inputs.destination;
  const cfg: OssInventoryConfiguration = {
    id: inputs.inventoryId,
    isEnabled: inputs.enabled,
    includedObjectVersions: inputs.includedObjectVersions,
    schedule: { frequency: inputs.schedule?.frequency },
    optionalFields: Array.isArray(inputs.optionalFields) ? [...inputs.optionalFields] : [],
    destination: {
      format: d?.format,
      accountId: d?.accountId,
      roleArn: d?.roleArn,
      bucket: d?.bucket,
    },
  };
  if (d?.prefix !== undefined) cfg.destination.prefix = d.prefix;
  const e = d?.encryption;
  if (e !== undefined) {
    // SSE-OSS is an empty element: nothing else travels with it.
    cfg.destination.encryption =
      e.type === "SSE-KMS" ? { type: "SSE-KMS", keyId: e.keyId } : { type: e.type };
  }
  const f = inputs.filter;
  if (f) {
    const filter: OssInventoryFilter = {};
    if (f.prefix !== undefined) filter.prefix = f.prefix;
    if (f.lastModifyBeginTime !== undefined) filter.lastModifyBeginTimeStamp = f.lastModifyBeginTime;
    if (f.lastModifyEndTime !== undefined) filter.lastModifyEndTimeStamp = f.lastModifyEndTime;
    if (f.lowerSizeBound !== undefined) filter.lowerSizeBound = f.lowerSizeBound;
    if (f.upperSizeBound !== undefined) filter.upperSizeBound = f.upperSizeBound;
    if (Array.isArray(f.storageClasses) && f.storageClasses.length > 0) {
      filter.storageClass = f.storageClasses.join(",");
    }
    cfg.filter = filter;
  }
  return cfg;
}

/**
 * A configuration read from OSS → normalized inputs (the same normal form as
 * {@link checkOssInputs} gives), so refresh shows exact drift and no more.
 *
 * The address is the job's identity in state; OSS refuses a body whose `Id`
 * differs from the URL's `inventoryId` (EC 0020-00000043), so it is also the
 * model's id. Values that mean "no condition" (an empty prefix, a 0 time or
 * size bound, `StorageClass` `All`) are dropped, as `check` drops them, so a
 * service that echoes defaults does not cause a perpetual diff.
 */
export function fromOssConfiguration(
  model: OssInventoryConfiguration,
  address: { region: string; bucket: string; inventoryId: string },
): OssInventoryInputs {
  const dest = model.destination;
  const out: OssInventoryInputs = {
    schemaVersion: OSS_STATE_SCHEMA_VERSION,
    region: address.region,
    bucket: address.bucket,
    inventoryId: address.inventoryId,
    enabled: model.isEnabled,
    includedObjectVersions: model.includedObjectVersions,
    // A one-shot ("Once") job read back is passed through as is, for the rules to judge.
    schedule: { frequency: model.schedule.frequency as OssInventoryInputs["schedule"]["frequency"] },
    optionalFields: sortedUnique(model.optionalFields ?? []),
    destination: {
      bucket: normalizeOssDestinationBucket(dest.bucket),
      accountId: dest.accountId,
      roleArn: dest.roleArn,
      format: dest.format as "CSV",
    },
  };
  if (dest.prefix) out.destination.prefix = dest.prefix;
  if (dest.encryption) {
    out.destination.encryption =
      dest.encryption.type === "SSE-KMS"
        ? { type: "SSE-KMS", keyId: dest.encryption.keyId }
        : { type: "SSE-OSS" };
  }
  const f = model.filter;
  if (f) {
    const filter: NonNullable<OssInventoryInputs["filter"]> = {};
    if (f.prefix) filter.prefix = f.prefix;
    if (f.lastModifyBeginTimeStamp) filter.lastModifyBeginTime = f.lastModifyBeginTimeStamp;
    if (f.lastModifyEndTimeStamp) filter.lastModifyEndTime = f.lastModifyEndTimeStamp;
    if (f.lowerSizeBound) filter.lowerSizeBound = f.lowerSizeBound;
    if (f.upperSizeBound) filter.upperSizeBound = f.upperSizeBound;
    const classes = sortedUnique(
      (f.storageClass ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    );
    if (classes.length > 0 && !(classes.length === 1 && classes[0] === "All")) {
      filter.storageClasses = classes;
    }
    if (Object.keys(filter).length > 0) out.filter = filter;
  }
  return out;
}
