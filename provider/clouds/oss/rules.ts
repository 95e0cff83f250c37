/**
 * The rules OSS applies to an inventory configuration, as pure functions, so
 * the resource's `check`, the client and the local emulator reject the same
 * inputs. Failures name the model property (`filter.lastModifyBeginTimeStamp`,
 * `destination.roleArn`, `optionalFields[2]`), or what the caller's
 * {@link PathName} calls it, as on COS (see `common/rules.ts`).
 *
 * Sources: `docs/protocol.md` §3 and §5 (OSS), the OSS SDK docs (seed 004) and the
 * OSS error-code pages for PutBucketInventory (EC 0020-000000xx), which give
 * the timestamp range, the size-bound limits and the begin ≤ end and
 * lower ≤ upper rules, and the prefix length limits (EC 0020-00000021/38).
 * Every limit and its source is listed in docs/validation.md.
 */
import type { ValidationFailure } from "../../core/errors";
import { type Fail, isNonNegativeInteger } from "../../core/normalize";
import {
  type PathName,
  checkEnum,
  checkTimeWindow,
  quote,
  quotedOr,
  requiredElements,
  configurationValidator,
  type CloudRules,
  REPORT_FORMATS,
} from "../common/rules";
import { type TextLimit, describeValue, textFailure } from "../common/text";
import type {
  OssEncryption,
  OssFrequency,
  OssWireFrequency,
  OssInventoryConfiguration,
  OssInventoryDestination,
  OssInventoryFilter,
} from "./model";

/**
 * Values of `Schedule/Frequency` this package manages. Newer OSS also has
 * `Monthly` and `Once`, which need extra elements (`DayOfMonth`,
 * `AutoDelete`) the model does not carry yet.
 */
export const OSS_FREQUENCIES: readonly OssFrequency[] = ["Daily", "Weekly"];

/** `Schedule/Frequency` values the wire carries: {@link OSS_FREQUENCIES} and the one-shot `Once`. */
export const OSS_WIRE_FREQUENCIES: readonly OssWireFrequency[] = [...OSS_FREQUENCIES, "Once"];

/** Kinds of server-side encryption for the reports: `<SSE-OSS/>` or `<SSE-KMS><KeyId/></SSE-KMS>`. */
export const OSS_ENCRYPTIONS: readonly OssEncryption["type"][] = ["SSE-OSS", "SSE-KMS"];

/** The names allowed in `OptionalFields/Field`. */
export const OSS_OPTIONAL_FIELDS: readonly string[] = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "TransitionTime",
  "ObjectAcl",
  "TaggingCount",
  "ObjectType",
  "Crc64",
];

/** Items of the comma list in `Filter/StorageClass`; `All` (the service's default) means every class. */
export const OSS_STORAGE_CLASSES: readonly string[] = ["Standard", "IA", "Archive", "ColdArchive", "All"];

/** Earliest `LastModify*TimeStamp` OSS accepts: 2010-01-01 00:00:00 UTC+8, in unix seconds. */
export const OSS_TIMESTAMP_MIN = 1262275200;

/** Latest `LastModify*TimeStamp` OSS accepts: 9999-12-31 23:59:59 UTC+8, in unix seconds. */
export const OSS_TIMESTAMP_MAX = 253402271999;

/** Largest `LowerSizeBound` / `UpperSizeBound` OSS accepts, in bytes (50 TiB; EC 0020-00000024/25). */
export const OSS_SIZE_BOUND_MAX = 54975581388800;

/**
 * The RAM role OSS assumes to write reports: `acs:ram::<uid>:role/<name>`,
 * the uid in 1 to 20 digits (as {@link OSS_ACCOUNT_ID_PATTERN}), the name 1 to 64 letters, digits, `.`, `_` or `-` (RAM
 * documents letters, digits, `.` and `-`; `_` is let through because Resource
 * Orchestration documents it too). Groups: 1 uid, 2 role name.
 */
export const OSS_ROLE_ARN_PATTERN = /^acs:ram::([0-9]{1,20}):role\/([A-Za-z0-9._-]{1,64})$/;

/** The destination bucket as OSS wants it: `acs:oss:::<name>`. Group 1 is the name. */
export const OSS_DESTINATION_BUCKET_PATTERN = /^acs:oss:::([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/;

/**
 * An account id (UID): 1 to 20 digits. OSS documents no length; real UIDs
 * have 16 digits, and 20 (the most a 64-bit number has) is our own bound, so
 * a runaway value is refused at check.
 */
export const OSS_ACCOUNT_ID_PATTERN = /^[0-9]{1,20}$/;

/**
 * Longest `Filter/Prefix` and destination `Prefix`: 1,023 bytes of UTF-8.
 * OSS documents 1,023 characters for both (EC 0020-00000021 and
 * 0020-00000038), and 1,023 bytes for an object key; counting bytes is the
 * stricter reading, and a prefix longer than any key could match nothing.
 */
export const OSS_PREFIX_LIMIT: TextLimit = { max: 1023, unit: "bytes" };

/**
 * Longest SSE-KMS `KeyId`: 512 bytes. OSS documents no limit; KMS key ids,
 * aliases (`alias/` and at most 255 characters) and their ARNs are all
 * shorter, so this refuses only values that cannot be a key.
 */
export const OSS_KMS_KEY_ID_LIMIT: TextLimit = { max: 512, unit: "bytes" };

/**
 * Elements an OSS `InventoryConfiguration` body must carry: the required
 * parameters of the OSS SDK docs.
 */
export const OSS_REQUIRED_ELEMENTS = requiredElements("OSSBucketDestination", [
  "Format",
  "AccountId",
  "RoleArn",
  "Bucket",
]);

/** The bare bucket name of `acs:oss:::<name>`, or `undefined` when `bucket` is not in that form. */
export function parseOssDestinationBucket(bucket: string): string | undefined {
  return OSS_DESTINATION_BUCKET_PATTERN.exec(bucket)?.[1];
}

/**
 * Checks a list of storage classes (the items of `Filter/StorageClass`):
 * each must be one of {@link OSS_STORAGE_CLASSES} and appear once. `property`
 * gives the path to report for item `i`, so the schema can name the user's
 * list index while the wire rules name the one `StorageClass` element.
 */
export function checkOssStorageClasses(
  items: readonly unknown[],
  property: (index: number) => string,
): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (typeof item !== "string" || !OSS_STORAGE_CLASSES.includes(item)) {
      failures.push({
        property: property(i),
        reason: `${property(i)} has storage class ${describeValue(item)}; use ${quotedOr(OSS_STORAGE_CLASSES)}`,
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

/**
 * Checks a configuration against the rules OSS enforces and returns every
 * failure (empty when valid). Each failure names the model property (e.g.
 * `filter.lowerSizeBound`, `optionalFields[2]`), or what `name` calls it
 * (`check` passes the argument names), and says how to fix it; every reason
 * starts with that name.
 *
 * Values are checked at run time even where the type already constrains
 * them, because the input may come from untyped JavaScript or a decoded body.
 */
export const validateInventoryConfiguration = configurationValidator<OssInventoryConfiguration>(
  ossRules(OSS_FREQUENCIES),
);

/**
 * {@link validateInventoryConfiguration} that also accepts the one-shot
 * `Once` (with `schedule.autoDelete`): what the wire may carry, as the
 * emulator judges a PUT and `oss.InventoryRun` writes it.
 */
export const validateWireConfiguration = configurationValidator<OssInventoryConfiguration>(
  ossRules(OSS_WIRE_FREQUENCIES),
);

/** The OSS rules over the frequencies `frequencies`. */
function ossRules(frequencies: readonly OssWireFrequency[]): CloudRules<OssInventoryConfiguration> {
  return {
    frequencies,
    optionalField: optionalFieldRefusal,
    destination: (cfg, name, fail) => validateDestination(cfg.destination, name, fail),
    filter: (cfg, name, fail) => {
      validateFilter(cfg.filter, name, fail);
      validateAutoDelete(cfg.schedule, name, fail);
    },
    texts: validateTexts,
  };
}

/** `schedule.autoDelete`: a boolean, and only beside `Once` (OSS documents it for one-shot reports only). */
function validateAutoDelete(
  schedule: OssInventoryConfiguration["schedule"] | undefined,
  name: PathName,
  fail: Fail,
): void {
  const autoDelete: unknown = schedule?.autoDelete;
  if (autoDelete === undefined) return;
  const p = name("schedule.autoDelete");
  if (typeof autoDelete !== "boolean") {
    fail(p, `${p} must be true or false; got ${describeValue(autoDelete)}`);
  } else if (schedule?.frequency !== "Once") {
    fail(p, `${p} applies only to a one-shot report (frequency "Once"); leave it out`);
  }
}

function validateTexts(cfg: OssInventoryConfiguration, name: PathName, fail: Fail): void {
  const encryption = cfg.destination?.encryption;
  const keyId = encryption?.type === "SSE-KMS" ? encryption.keyId : undefined;
  const texts: [string, unknown, TextLimit][] = [
    ["filter.prefix", cfg.filter?.prefix, OSS_PREFIX_LIMIT],
    ["destination.prefix", cfg.destination?.prefix, OSS_PREFIX_LIMIT],
    // A blank-only key id is reported as empty by validateEncryption.
    [
      "destination.encryption.keyId",
      typeof keyId === "string" && keyId.trim() !== "" ? keyId : undefined,
      OSS_KMS_KEY_ID_LIMIT,
    ],
  ];
  for (const [path, value, limit] of texts) {
    // Non-strings are reported by the checks above.
    const f = typeof value === "string" ? textFailure(name(path), value, limit) : undefined;
    if (f) fail(f.property, f.reason);
  }
}

function validateDestination(dest: OssInventoryDestination | undefined, name: PathName, fail: Fail): void {
  if (typeof dest !== "object" || dest === null) {
    const p = name("destination");
    fail(p, `${p} is required: give format, accountId, roleArn and bucket`);
    return;
  }
  checkEnum(dest.format, REPORT_FORMATS, "destination.format", name, fail);
  if (typeof dest.accountId !== "string" || !OSS_ACCOUNT_ID_PATTERN.test(dest.accountId)) {
    const p = name("destination.accountId");
    fail(
      p,
      `${p} must be the destination owner's numeric account id (UID) of 1 to 20 digits, e.g. "1000000000000000"; got ${describeValue(dest.accountId)}`,
    );
  }
  if (typeof dest.roleArn !== "string" || !OSS_ROLE_ARN_PATTERN.test(dest.roleArn)) {
    const p = name("destination.roleArn");
    fail(
      p,
      `${p} must have the form acs:ram::<uid>:role/<name> (e.g. acs:ram::1000000000000000:role/AliyunOSSRole; ` +
        `uid of 1 to 20 digits, name of 1 to 64 letters, digits, ".", "_" or "-"), got ${describeValue(dest.roleArn)}`,
    );
  }
  if (typeof dest.bucket !== "string" || !OSS_DESTINATION_BUCKET_PATTERN.test(dest.bucket)) {
    const p = name("destination.bucket");
    fail(
      p,
      `${p} must have the form acs:oss:::<name> (e.g. acs:oss:::destination-bucket; name of 3 to 63 ` +
        `lowercase letters, digits and "-", starting and ending with a letter or digit), got ${describeValue(dest.bucket)}`,
    );
  }
  if (dest.prefix !== undefined && typeof dest.prefix !== "string") {
    const p = name("destination.prefix");
    fail(p, `${p} must be a string (a key prefix for the reports) or be left out`);
  }
  validateEncryption(dest.encryption, name, fail);
}

function validateEncryption(encryption: OssEncryption | undefined, name: PathName, fail: Fail): void {
  if (encryption === undefined) {
    return;
  }
  const e: unknown = encryption;
  const isObject = typeof e === "object" && e !== null;
  const type = isObject ? (e as { type?: unknown }).type : undefined;
  if (!OSS_ENCRYPTIONS.includes(type as OssEncryption["type"])) {
    const p = name("destination.encryption.type");
    const got = !isObject ? describeValue(e) : type === undefined ? "no type" : describeValue(type);
    fail(p, `${p} must be ${quotedOr(OSS_ENCRYPTIONS)} or be left out, got ${got}`);
    return;
  }
  const keyId = (e as { keyId?: unknown }).keyId;
  const p = name("destination.encryption.keyId");
  if (type === "SSE-KMS") {
    if (typeof keyId !== "string" || keyId.trim() === "") {
      fail(p, `${p} must not be empty: SSE-KMS needs the id of a KMS key`);
    }
  } else if (keyId !== undefined) {
    // `<SSE-OSS/>` is an empty element: a key id there would be dropped on
    // the wire, and its presence means the caller wanted SSE-KMS.
    fail(p, `${p} must be left out: SSE-OSS takes no KeyId; a KMS key id goes only with SSE-KMS`);
  }
}

/** Why a report column is refused, or `undefined` when OSS accepts it. */
function optionalFieldRefusal(field: unknown, property: string): string | undefined {
  if (typeof field !== "string" || !OSS_OPTIONAL_FIELDS.includes(field)) {
    return `${property} ${describeValue(field)} is not an OSS inventory field; use one of ${OSS_OPTIONAL_FIELDS.join(", ")}`;
  }
  return undefined;
}

function validateFilter(filter: OssInventoryFilter | undefined, name: PathName, fail: Fail): void {
  if (filter === undefined) {
    return;
  }
  if (typeof filter !== "object" || filter === null) {
    const p = name("filter");
    fail(p, `${p} must be an object with prefix, time, size or storage-class conditions, or be left out`);
    return;
  }

  if (filter.prefix !== undefined && typeof filter.prefix !== "string") {
    const p = name("filter.prefix");
    fail(p, `${p} must be a string (an object key prefix) or be left out`);
  }

  // Times: each within the documented range (EC 0020-00000022/23), begin ≤ end.
  checkTimeWindow(
    {
      begin: ["filter.lastModifyBeginTimeStamp", filter.lastModifyBeginTimeStamp],
      end: ["filter.lastModifyEndTimeStamp", filter.lastModifyEndTimeStamp],
      order: "filter.lastModifyBeginTimeStamp",
      inRange: (t: unknown): t is number =>
        isNonNegativeInteger(t) && t >= OSS_TIMESTAMP_MIN && t <= OSS_TIMESTAMP_MAX,
      expected:
        `a whole number of seconds since the Unix epoch from ${OSS_TIMESTAMP_MIN} ` +
        `(2010-01-01 00:00 UTC+8) to ${OSS_TIMESTAMP_MAX} (9999-12-31 23:59:59 UTC+8)`,
    },
    name,
    fail,
  );

  // Sizes: whole bytes up to the maximum; the upper bound must be positive
  // (EC 0020-00000024), the lower bound not above it (EC 0020-00000025).
  const lower = filter.lowerSizeBound;
  const upper = filter.upperSizeBound;
  const [lowerPath, upperPath] = [name("filter.lowerSizeBound"), name("filter.upperSizeBound")];
  const isSize = (n: unknown): n is number => isNonNegativeInteger(n) && n <= OSS_SIZE_BOUND_MAX;
  if (lower !== undefined && !isSize(lower)) {
    fail(
      lowerPath,
      `${lowerPath} must be a whole number of bytes from 0 to ${OSS_SIZE_BOUND_MAX}, got ${describeValue(lower)}`,
    );
  }
  if (upper !== undefined && !(isSize(upper) && upper > 0)) {
    fail(
      upperPath,
      `${upperPath} must be a whole number of bytes from 1 to ${OSS_SIZE_BOUND_MAX}, got ${describeValue(upper)}`,
    );
  }
  if (isSize(lower) && isSize(upper) && upper > 0 && lower > upper) {
    fail(lowerPath, `${lowerPath} (${lower}) must not be greater than ${upperPath} (${upper})`);
  }

  const classes = filter.storageClass;
  const classesPath = name("filter.storageClass");
  if (classes !== undefined) {
    if (typeof classes !== "string" || classes === "") {
      fail(
        classesPath,
        `${classesPath} must be a comma-separated list of ${quotedOr(OSS_STORAGE_CLASSES)} (e.g. "Standard,IA") or be left out`,
      );
    } else {
      for (const f of checkOssStorageClasses(classes.split(","), () => classesPath)) {
        fail(f.property, f.reason);
      }
    }
  }
}
