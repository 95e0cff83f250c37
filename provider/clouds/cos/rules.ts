/**
 * The rules COS applies to an inventory configuration, as pure functions, so
 * the resource's `check`, the client and the local emulator reject the same
 * inputs with the same property paths. Sources: the COS API and SDK docs for
 * PUT Bucket inventory (436/30625, 436/33707) and `docs/protocol.md` §3 and §5;
 * the length limits and where each comes from are in docs/validation.md.
 */
import type { Fail } from "../../core/normalize";
import type { XmlNode } from "../../xml";
import { missingElements } from "../common/codec";
import {
  type PathName,
  checkEnum,
  checkTimeWindow,
  quotedOr,
  requiredElements,
  configurationValidator,
  REPORT_FORMATS,
} from "../common/rules";
import { type TextLimit, describeValue, optionalTextFailure, textFailure } from "../common/text";
import type { CosFrequency, CosInventoryConfiguration } from "./model";

/** Values of `Schedule/Frequency`. */
export const COS_FREQUENCIES: readonly CosFrequency[] = ["Daily", "Weekly"];

/** Server-side encryption kinds for the reports. */
export const COS_ENCRYPTIONS: readonly string[] = ["SSE-COS"];

/** The fixed names allowed in `OptionalFields/Field`, besides `x-cos-meta-<name>`. */
export const COS_OPTIONAL_FIELDS: readonly string[] = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "Tag",
  "Crc64",
];

/**
 * A user-metadata column: `x-cos-meta-` and a non-empty name of lowercase
 * letters, digits, `-` and `_` (the doc's `x-cos-meta-*` is a placeholder,
 * not a valid value).
 */
export const COS_META_FIELD_PATTERN = /^x-cos-meta-[a-z0-9_-]+$/;

/**
 * The destination bucket as COS wants it: `qcs::cos:<region>::<name>-<appid>`,
 * the name in lowercase letters, digits and `-`, the appid in digits. Groups:
 * 1 region, 2 name, 3 appid.
 */
export const COS_DESTINATION_BUCKET_PATTERN = /^qcs::cos:([a-z]+(?:-[a-z0-9]+)+)::([a-z0-9-]+)-([0-9]+)$/;

/**
 * An account id (UIN): 1 to 20 digits. COS documents no length; real UINs
 * are far shorter, and 20 digits (the most a 64-bit number has) is our own
 * bound, so a runaway value is refused at check.
 */
export const COS_ACCOUNT_ID_PATTERN = /^[0-9]{1,20}$/;

/**
 * Longest `Filter/Prefix` and destination `Prefix`: 850 UTF-8 bytes, the
 * limit COS documents for an object key (a prefix of a key is no longer
 * than the key).
 */
export const COS_PREFIX_LIMIT: TextLimit = { max: 850, unit: "bytes" };

/** Longest tag key: 127 characters (COS object tagging limits). */
export const COS_TAG_KEY_LIMIT: TextLimit = { max: 127, unit: "characters" };

/** Longest tag value: 255 characters (COS object tagging limits). */
export const COS_TAG_VALUE_LIMIT: TextLimit = { max: 255, unit: "characters" };

/**
 * Most tags in a filter. COS lets an object carry at most 10 tags and the
 * filter lists only objects carrying all of them, so more could match nothing.
 */
export const COS_MAX_TAGS = 10;

/**
 * Longest `x-cos-meta-<name>` column: 2,048 characters. COS's PUT Object
 * limits one `x-cos-meta-*` header (name and value) to 2 KB, so no object
 * can carry a longer name.
 */
export const COS_META_FIELD_MAX_LENGTH = 2048;

/**
 * Latest `Period` time we accept: 9999-12-31 23:59:59 UTC in unix seconds.
 * COS documents no range; this is our conservative bound (the same end OSS
 * documents for its time filter), which keeps absurd values such as 9e15 out.
 */
export const COS_TIME_MAX = 253402300799;

/**
 * Elements a COS `InventoryConfiguration` body must carry; a PUT without one
 * of them is refused by COS as a bad argument.
 */
export const COS_REQUIRED_ELEMENTS = requiredElements("COSBucketDestination", ["Format", "Bucket"]);

/** The parts of a destination bucket in its `qcs::cos:<region>::<name>-<appid>` form. */
export interface CosDestinationBucketParts {
  /** Region, e.g. `ap-guangzhou`. */
  region: string;
  /** Bucket name without the appid, e.g. `examplebucket`. */
  name: string;
  /** Appid, e.g. `1250000000`. */
  appId: string;
}

/**
 * Splits `qcs::cos:<region>::<name>-<appid>` into its parts, or returns
 * `undefined` when `bucket` is not in that form.
 */
export function parseCosDestinationBucket(bucket: string): CosDestinationBucketParts | undefined {
  const m = COS_DESTINATION_BUCKET_PATTERN.exec(bucket);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  return { region: m[1], name: m[2], appId: m[3] };
}

/**
 * Which of `required` (paths such as `Schedule/Frequency`) are absent from a
 * parsed `InventoryConfiguration` element's content. An element that is
 * present but empty counts as present: its value is then judged by
 * {@link validateInventoryConfiguration}, which can name the property.
 */
export function missingRequiredElements(
  content: XmlNode | undefined,
  required: readonly string[] = COS_REQUIRED_ELEMENTS,
): string[] {
  return missingElements(content, required);
}

const isNonNegativeInteger = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isTime = (n: unknown): n is number => isNonNegativeInteger(n) && n <= COS_TIME_MAX;

/**
 * Checks a configuration against the rules COS enforces and returns every
 * failure (empty when valid). Each failure names the model property (e.g.
 * `destination.bucket`, `filter.tags[0].key`, `optionalFields[2]`), or what
 * `name` calls it (`check` passes the argument names), and says how to fix
 * it; every reason starts with that name.
 *
 * Values are checked at run time even where the type already constrains
 * them, because the input may come from untyped JavaScript or a decoded body.
 */
export const validateInventoryConfiguration = configurationValidator<CosInventoryConfiguration>({
  frequencies: COS_FREQUENCIES,
  optionalField: optionalFieldRefusal,
  destination: (cfg, name, fail) => validateDestination(cfg.destination, name, fail),
  filter: validateFilter,
  texts: validateTexts,
});

function validateTexts(cfg: CosInventoryConfiguration, name: PathName, fail: Fail): void {
  const prefixes: [string, unknown, string][] = [
    ["filter.prefix", cfg.filter?.prefix, "an object key prefix"],
    ["destination.prefix", cfg.destination?.prefix, "a key prefix for the reports"],
  ];
  for (const [path, value, what] of prefixes) {
    const f = optionalTextFailure(name(path), value, COS_PREFIX_LIMIT, what);
    if (f) fail(f.property, f.reason);
  }
}

function validateDestination(
  dest: CosInventoryConfiguration["destination"] | undefined,
  name: PathName,
  fail: Fail,
): void {
  if (typeof dest !== "object" || dest === null) {
    const p = name("destination");
    fail(p, `${p} is required: give at least bucket and format`);
    return;
  }
  checkEnum(dest.format, REPORT_FORMATS, "destination.format", name, fail);
  if (typeof dest.bucket !== "string" || !COS_DESTINATION_BUCKET_PATTERN.test(dest.bucket)) {
    const p = name("destination.bucket");
    fail(
      p,
      `${p} must have the form qcs::cos:<region>::<name>-<appid> ` +
        `(e.g. qcs::cos:ap-guangzhou::examplebucket-1250000000; name in lowercase letters, digits and "-", appid in digits), ` +
        `got ${describeValue(dest.bucket)}`,
    );
  }
  if (
    dest.accountId !== undefined &&
    (typeof dest.accountId !== "string" || !COS_ACCOUNT_ID_PATTERN.test(dest.accountId))
  ) {
    const p = name("destination.accountId");
    fail(
      p,
      `${p} must be the destination owner's numeric account id (UIN) of 1 to 20 digits, e.g. 100000000001, or be left out; got ${describeValue(dest.accountId)}`,
    );
  }
  if (dest.encryption !== undefined && !COS_ENCRYPTIONS.includes(dest.encryption)) {
    const p = name("destination.encryption");
    fail(
      p,
      `${p} must be ${quotedOr(COS_ENCRYPTIONS)} or be left out, got ${describeValue(dest.encryption)}`,
    );
  }
}

/** Why a report column is refused, or `undefined` when COS accepts it. */
function optionalFieldRefusal(field: unknown, property: string): string | undefined {
  if (
    typeof field !== "string" ||
    !(COS_OPTIONAL_FIELDS.includes(field) || COS_META_FIELD_PATTERN.test(field))
  ) {
    return (
      `${property} ${describeValue(field)} is not a COS inventory field; use one of ${COS_OPTIONAL_FIELDS.join(", ")}, ` +
      `or x-cos-meta-<name> with a name of lowercase letters, digits, "-" or "_"`
    );
  }
  if (field.length > COS_META_FIELD_MAX_LENGTH) {
    return (
      `${property} is ${field.length} characters long; at most ${COS_META_FIELD_MAX_LENGTH} are allowed ` +
      `(COS limits one x-cos-meta-* header to 2 KB)`
    );
  }
  return undefined;
}

function validateFilter(cfg: CosInventoryConfiguration, name: PathName, fail: Fail): void {
  const filter = cfg.filter;
  if (filter === undefined) return;

  const tags = filter.tags;
  const tagsPath = name("filter.tags");
  if (tags !== undefined) {
    if (!Array.isArray(tags)) {
      fail(tagsPath, `${tagsPath} must be a list of { key, value } pairs`);
    } else {
      if (tags.length > COS_MAX_TAGS) {
        fail(
          tagsPath,
          `${tagsPath} lists ${tags.length} tags; at most ${COS_MAX_TAGS} are allowed (an object carries at most ` +
            `${COS_MAX_TAGS} tags, and only objects carrying all of them are listed)`,
        );
      }
      tags.forEach((tag: unknown, i) => validateTag(tag, i, name, fail));
      // COS only lists by tag when the report includes the Tag column.
      if (tags.length > 0 && !(Array.isArray(cfg.optionalFields) && cfg.optionalFields.includes("Tag"))) {
        const p = name("optionalFields");
        fail(p, `${p} must include "Tag" when ${tagsPath} is set (COS requires it to filter by tag)`);
      }
    }
  }

  if (filter.period !== undefined) {
    checkTimeWindow(
      {
        begin: ["filter.period.startTime", filter.period.startTime],
        end: ["filter.period.endTime", filter.period.endTime],
        order: "filter.period",
        inRange: isTime,
        expected:
          "a whole, non-negative number of seconds since the Unix epoch, " +
          `at most ${COS_TIME_MAX} (9999-12-31 23:59:59 UTC)`,
      },
      name,
      fail,
    );
  }
}

function validateTag(tag: unknown, i: number, name: PathName, fail: Fail): void {
  const t = typeof tag === "object" && tag !== null ? (tag as Record<string, unknown>) : {};
  const key = name(`filter.tags[${i}].key`);
  const value = name(`filter.tags[${i}].value`);
  if (t.key === undefined || t.key === "") {
    fail(key, `${key} must not be empty`);
  } else if (typeof t.key !== "string") {
    fail(key, `${key} must be a string (the tag's key, such as "age")`);
  } else {
    const f = textFailure(key, t.key, COS_TAG_KEY_LIMIT);
    if (f) fail(f.property, f.reason);
  }
  if (typeof t.value !== "string") {
    fail(value, `${value} must be a string (the tag's value, such as "18"; "" for an empty value)`);
  } else {
    const f = textFailure(value, t.value, COS_TAG_VALUE_LIMIT);
    if (f) fail(f.property, f.reason);
  }
}
