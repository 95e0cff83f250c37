/**
 * The OSS inventory XML codec: our {@link OssInventoryConfiguration} model to
 * and from the `InventoryConfiguration` body, `ListInventoryConfigurationsResult`
 * pages, and error bodies.
 *
 * Encoding is strict and byte-stable (Content-MD5 is computed over it, and
 * the ali-oss vector "OSS body A" in `docs/protocol.md` §5 is reproduced
 * exactly); decoding is tolerant of what the service and every official SDK
 * produce (ali-oss's always-present empty elements, go-v2's element order,
 * newer schema additions), because it reads what the other side sends.
 */
import {
  asArray,
  bool,
  child,
  el,
  hasChild,
  nonEmptyEl,
  text,
  XmlFormatError,
  type XmlNode,
  type XmlPart,
} from "../../xml";
import * as common from "../common/codec";
import type {
  OssIncrementalInventory,
  OssEncryption,
  OssInventoryConfiguration,
  OssInventoryDestination,
  OssInventoryFilter,
  OssInventoryListPage,
} from "./model";
import { INCLUDED_OBJECT_VERSIONS } from "../common/rules";
import { OSS_FREQUENCIES, OSS_REQUIRED_ELEMENTS } from "./rules";

const LIST_ROOT = "ListInventoryConfigurationsResult";
// COS spells the list root without the "s"; accepting it costs nothing and
// keeps a misrouted answer from looking like a broken body.
const LIST_ROOTS: readonly string[] = [LIST_ROOT, "ListInventoryConfigurationResult"];
const DESTINATION = "Destination/OSSBucketDestination";

/**
 * The declaration ali-oss puts in front of every body it sends (one `\n`
 * follows it). We write the same so our PUT bodies, and their Content-MD5,
 * equal the SDK's for the same configuration.
 */
export const OSS_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * The body OSS answers errors with (`docs/protocol.md` §3). `Code`, `Message`,
 * `RequestId` and `HostId` are always written; the rest only when set.
 */
export interface OssErrorBody {
  /** Error code, e.g. `NoSuchInventory`. */
  code: string;
  /** Human-readable message. */
  message: string;
  /** The request id (24 characters on the real service); equals the `x-oss-request-id` header. */
  requestId: string;
  /** The host the request addressed, e.g. `examplebucket.oss-cn-hangzhou.aliyuncs.com`. */
  hostId: string;
  /** The detailed error code, e.g. `0015-00000101`; the key of OSS's troubleshooting pages. */
  ec?: string;
  /** The bucket, on bucket-level errors such as `NoSuchBucket`. */
  bucketName?: string;
  /** Extra detail some errors carry (`ErrorDetail`), e.g. which XML element was wrong. */
  errorDetail?: string;
  /** Link to the troubleshooting page for {@link OssErrorBody.ec}. */
  recommendDoc?: string;
  /** On `SignatureDoesNotMatch`: the signature the request carried. */
  signatureProvided?: string;
  /** On `SignatureDoesNotMatch`: the string the service signed, to compare with ours. */
  stringToSign?: string;
}

/** What {@link decodeErrorBody} could read; every field is absent when the body did not carry it. */
export type DecodedOssErrorBody = Partial<OssErrorBody>;

// ---------------------------------------------------------------------------
// Encoding

/**
 * Writes a configuration as the `PUT /?inventory&inventoryId=<Id>` body.
 *
 * Starts with {@link OSS_XML_DECLARATION}, then one line with no whitespace
 * between elements. Children come in ali-oss's order (Id, IsEnabled, Filter,
 * Destination, Schedule, IncludedObjectVersions, OptionalFields; inside the
 * destination Format, AccountId, RoleArn, Bucket, Prefix, Encryption), so
 * "OSS body A" is reproduced byte for byte. OSS does not depend on the order
 * (go-v2 uses another).
 *
 * Unlike ali-oss, optional parts are left out when absent rather than sent
 * empty, with one exception: a configuration without a filter is written
 * with `<Filter><Prefix></Prefix></Filter>`, as ali-oss always sends it,
 * because ali-oss's `getBucketInventory` throws on a configuration without
 * `Filter` and the emulator serves what was put. Left out: a `Prefix` that is
 * absent or `""` (the service reads an empty prefix as none, which is what
 * ali-oss's `<Prefix></Prefix>` means), `Encryption` when unset, and
 * `OptionalFields` when the list is empty. Text is escaped (ali-oss does not
 * escape, which corrupts any value with `&` or `<`).
 *
 * Encryption is written as an open/close pair, `<SSE-OSS></SSE-OSS>`, the
 * form ali-oss emits for `{ "SSE-OSS": "" }` and the style body A implies (no
 * self-closing tags anywhere); the service accepts either.
 *
 * @throws {@link XmlFormatError} when a value cannot be sent: a frequency or
 * version selection outside the managed enums, a filter number that is not
 * a non-negative safe integer, or a character XML 1.0 cannot carry. Failing
 * here is better than sending a body we could not read back ourselves.
 */
export function encodeInventoryConfiguration(cfg: OssInventoryConfiguration): string {
  return OSS_XML_DECLARATION + el(common.CONFIGURATION_ROOT, configurationChildren(cfg));
}

function configurationChildren(cfg: OssInventoryConfiguration): XmlPart[] {
  checkEnum(cfg.schedule.frequency, OSS_FREQUENCIES, "Schedule/Frequency");
  checkEnum(cfg.includedObjectVersions, INCLUDED_OBJECT_VERSIONS, "IncludedObjectVersions");
  return [
    el("Id", cfg.id),
    el("IsEnabled", cfg.isEnabled ? "true" : "false"),
    encodeFilter(cfg.filter),
    common.encodeDestination(
      "OSSBucketDestination",
      cfg.destination,
      encodeEncryption(cfg.destination.encryption),
    ),
    common.encodeSchedule(cfg.schedule.frequency, [
      common.optionalNumberEl("DayOfMonth", cfg.schedule.dayOfMonth),
      cfg.schedule.autoDelete === undefined ? undefined : el("AutoDelete", String(cfg.schedule.autoDelete)),
    ]),
    el("IncludedObjectVersions", cfg.includedObjectVersions),
    common.encodeOptionalFields(cfg.optionalFields),
    encodeIncremental(cfg.incrementalInventory),
  ];
}

function encodeIncremental(inc: OssIncrementalInventory | undefined): XmlPart {
  if (inc === undefined) return undefined;
  return el("IncrementalInventory", [
    el("IsEnabled", inc.isEnabled ? "true" : "false"),
    el("Schedule", [el("Frequency", String(inc.frequency))]),
    common.encodeOptionalFields(inc.optionalFields),
  ]);
}

function encodeEncryption(enc: OssEncryption | undefined): XmlPart {
  if (enc === undefined) return undefined;
  switch (enc.type) {
    case "SSE-OSS":
      return el("Encryption", [el("SSE-OSS")]);
    case "SSE-KMS":
      return el("Encryption", [el("SSE-KMS", [el("KeyId", enc.keyId)])]);
    default:
      // Only reachable from untyped callers; refusing beats dropping the
      // encryption silently.
      throw new XmlFormatError(
        `Encryption type must be "SSE-OSS" or "SSE-KMS", got ${JSON.stringify((enc as { type: unknown }).type)}`,
      );
  }
}

/** The filter that selects every object, in the form ali-oss sends (see {@link encodeInventoryConfiguration}). */
const EMPTY_FILTER = "<Filter><Prefix></Prefix></Filter>";

function encodeFilter(filter: OssInventoryFilter | undefined): XmlPart {
  if (filter === undefined) return EMPTY_FILTER;
  const parts = [
    nonEmptyEl("Prefix", filter.prefix),
    numberEl("LastModifyBeginTimeStamp", filter.lastModifyBeginTimeStamp),
    numberEl("LastModifyEndTimeStamp", filter.lastModifyEndTimeStamp),
    numberEl("LowerSizeBound", filter.lowerSizeBound),
    numberEl("UpperSizeBound", filter.upperSizeBound),
    nonEmptyEl("StorageClass", filter.storageClass),
  ];
  return parts.some(Boolean) ? el("Filter", parts) : EMPTY_FILTER;
}

function numberEl(name: string, value: number | undefined): string {
  if (value === undefined) return "";
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new XmlFormatError(`Filter/${name} must be a non-negative integer, got ${String(value)}`);
  }
  return el(name, String(value));
}

function checkEnum(value: string, allowed: readonly string[], where: string): void {
  if (!allowed.includes(value)) {
    throw new XmlFormatError(
      `${where} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Writes one page of `GET /?inventory` the way the emulator answers it:
 * root `ListInventoryConfigurationsResult` (no declaration inside the
 * configurations, one at the top), then the configurations, then
 * `IsTruncated`, then `NextContinuationToken` when the page is truncated and
 * a non-empty token is set.
 *
 * That is the member order of the official C# SDK's
 * `ListInventoryConfigurationModel` and the relative order S3 uses; every
 * client we know (ali-oss via xml2js, the Go/Python/Java models) reads the
 * elements by name, so order only matters for looking like the service. No
 * `ContinuationToken` element is written: no OSS SDK models one.
 */
export function encodeListPage(page: OssInventoryListPage): string {
  return (
    OSS_XML_DECLARATION +
    el(LIST_ROOT, [
      ...page.configurations.map((cfg) => el(common.CONFIGURATION_ROOT, configurationChildren(cfg))),
      el("IsTruncated", page.isTruncated ? "true" : "false"),
      page.isTruncated && page.nextContinuationToken
        ? el("NextContinuationToken", page.nextContinuationToken)
        : undefined,
    ])
  );
}

/**
 * Writes an OSS error body:
 * `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code/><Message/><RequestId/><HostId/>`
 * then, when set, `BucketName`, `ErrorDetail`, `SignatureProvided`,
 * `StringToSign`, `EC`, `RecommendDoc`, then `</Error>`.
 *
 * The fixed head and the EC-then-RecommendDoc tail are go-v2's mock bodies;
 * the signature elements sit before `EC` as in OSS's published
 * `SignatureDoesNotMatch` sample. Empty optional values are left out.
 */
export function encodeErrorBody(body: OssErrorBody): string {
  return OSS_XML_DECLARATION + common.encodeErrorFields(body, ERROR_FIELDS, 4);
}

// ---------------------------------------------------------------------------
// Decoding

/** The elements of an OSS configuration the codec reads (see `common.unknownElements`). */
export const OSS_KNOWN_ELEMENTS: readonly string[] = [
  "Id",
  "IsEnabled",
  ...[
    "Prefix",
    "LastModifyBeginTimeStamp",
    "LastModifyEndTimeStamp",
    "LowerSizeBound",
    "UpperSizeBound",
    "StorageClass",
  ].map((leaf) => `Filter/${leaf}`),
  ...[
    "Format",
    "AccountId",
    "RoleArn",
    "Bucket",
    "Prefix",
    "Encryption/SSE-OSS",
    "Encryption/SSE-KMS/KeyId",
  ].map((leaf) => `${DESTINATION}/${leaf}`),
  "Schedule/Frequency",
  "Schedule/DayOfMonth",
  "Schedule/AutoDelete",
  "IncludedObjectVersions",
  "OptionalFields/Field",
  "IncrementalInventory/IsEnabled",
  "IncrementalInventory/Schedule/Frequency",
  "IncrementalInventory/OptionalFields/Field",
];

/** The elements an OSS configuration may repeat: the report columns. */
const OSS_REPEATABLE_ELEMENTS: readonly string[] = [
  "OptionalFields/Field",
  "IncrementalInventory/OptionalFields/Field",
];

const decoders = common.configurationDecoders<OssInventoryConfiguration>(OSS_REQUIRED_ELEMENTS, {
  knownElements: OSS_KNOWN_ELEMENTS,
  repeatableElements: OSS_REPEATABLE_ELEMENTS,
  destinationElement: "OSSBucketDestination",
  decodeDestination,
  decodeFilter,
  decodeMore: (content, where, cfg) => {
    const dayOfMonth = common.decodeScheduleDay(content, "DayOfMonth", where);
    if (dayOfMonth !== undefined) cfg.schedule.dayOfMonth = dayOfMonth;
    const autoDelete = decodeBoolean(
      child(child(content, "Schedule"), "AutoDelete"),
      `${where}/Schedule/AutoDelete`,
    );
    if (autoDelete !== undefined) cfg.schedule.autoDelete = autoDelete;
    const inc = child(content, "IncrementalInventory");
    if (inc !== undefined) cfg.incrementalInventory = decodeIncremental(inc, `${where}/IncrementalInventory`);
  },
});

/** An optional boolean element: blank is absent, `true`/`false` in any case, anything else refused. */
function decodeBoolean(node: XmlNode | undefined, where: string): boolean | undefined {
  if (text(node).trim() === "") return undefined;
  const value = bool(text(node));
  if (value === undefined) {
    throw new XmlFormatError(`${where} must be "true" or "false", got ${JSON.stringify(text(node))}`);
  }
  return value;
}

function decodeIncremental(node: XmlNode, where: string): OssIncrementalInventory {
  const frequency = common.decodeInteger(
    child(child(node, "Schedule"), "Frequency"),
    `${where}/Schedule/Frequency`,
    "a whole number of seconds",
    false,
  );
  return {
    // An incremental inventory without IsEnabled is not switched on.
    isEnabled: decodeBoolean(child(node, "IsEnabled"), `${where}/IsEnabled`) ?? false,
    // Absent reads as 0, which the rules refuse by name (OSS accepts only 600).
    frequency: frequency ?? 0,
    optionalFields: asArray(child(child(node, "OptionalFields"), "Field")).map(text),
  };
}

/**
 * {@link decoders}' `decodeObject`, plus `Schedule/AutoDelete` (one-shot
 * reports): a boolean in any letter case; empty reads as absent.
 */
function decodeObjectWithSchedule(content: XmlNode, where?: string): OssInventoryConfiguration {
  const cfg = decoders.decodeObject(content, where);
  const node = child(child(content, "Schedule"), "AutoDelete");
  const raw = common.optionalText(node);
  if (raw !== undefined) {
    const autoDelete = bool(node);
    if (autoDelete === undefined) {
      throw new XmlFormatError(
        `${where ?? common.CONFIGURATION_ROOT}/Schedule/AutoDelete must be "true" or "false", got ${JSON.stringify(raw)}`,
      );
    }
    cfg.schedule.autoDelete = autoDelete;
  }
  return cfg;
}

/**
 * Reads an `InventoryConfiguration` body (a GET response, or a PUT request in
 * the emulator).
 *
 * Tolerates: an XML declaration or none; whitespace and pretty printing; any
 * element order (go-v2 writes Destination and Schedule before Filter);
 * `true`/`false` in any letter case; one `Field` or many; numbers as text
 * with surrounding blanks; and unknown elements anywhere, which are ignored
 * (the emulator refuses them before decoding: see `emulator/dialects`).
 * `Schedule/DayOfMonth`, `Schedule/AutoDelete` and `IncrementalInventory`
 * are read.
 *
 * The decode policy is the one both clouds share (`common/codec.ts`): empty
 * means absent for optional elements (an empty `<Prefix/>`, `<StorageClass/>`
 * or number in `Filter`, an empty destination `<Prefix></Prefix>` (ali-oss
 * always sends one), `<Encryption></Encryption>` (likewise) and
 * `<OptionalFields/>` all read as not set, and a `Filter` left with nothing
 * gives `filter: undefined`), and values are passed through as sent: an
 * unknown `Frequency` or `IncludedObjectVersions` is kept, for `validateInventoryConfiguration`
 * (./rules) to judge, so reading such a job never blocks refresh or delete.
 * Text is trimmed by the parser, so leading/trailing blanks of a value are
 * lost.
 *
 * @throws {@link XmlFormatError} when the XML is malformed, the root is not
 * `InventoryConfiguration`, a required element is missing (the message names
 * them all; see {@link OSS_REQUIRED_ELEMENTS}), `IsEnabled` is not a boolean,
 * a filter number is not a non-negative integer, or `Encryption` names both
 * kinds.
 */
export function decodeInventoryConfiguration(xml: string): OssInventoryConfiguration {
  return decodeObjectWithSchedule(common.decodeDocument(xml, [common.CONFIGURATION_ROOT]));
}

/** {@link decodeInventoryConfiguration} on a parsed element's content (see `ConfigurationDecoders.decodeObject`). */
export const decodeInventoryConfigurationObject = decodeObjectWithSchedule;

/** What {@link decodeInventoryConfiguration} would not keep of a body (see `ConfigurationDecoders.unknownElements`). */
export const unknownConfigurationElements = decoders.unknownElements;

function decodeDestination(node: XmlNode | undefined, where: string): OssInventoryDestination {
  const dest: OssInventoryDestination = {
    format: text(child(node, "Format")),
    accountId: text(child(node, "AccountId")),
    roleArn: text(child(node, "RoleArn")),
    bucket: text(child(node, "Bucket")),
  };
  const prefix = common.optionalText(child(node, "Prefix"));
  if (prefix !== undefined) dest.prefix = prefix;
  const encryption = decodeEncryption(child(node, "Encryption"), `${where}/${DESTINATION}/Encryption`);
  if (encryption !== undefined) dest.encryption = encryption;
  return dest;
}

function decodeEncryption(node: XmlNode | undefined, where: string): OssEncryption | undefined {
  // Presence of the marker is the signal; `<SSE-OSS/>` and
  // `<SSE-OSS></SSE-OSS>` parse alike. Unknown markers are ignored like any
  // other unknown element.
  const oss = hasChild(node, "SSE-OSS");
  const kms = hasChild(node, "SSE-KMS");
  if (oss && kms) {
    throw new XmlFormatError(`${where} must hold one of SSE-OSS or SSE-KMS, not both`);
  }
  if (oss) return { type: "SSE-OSS" };
  // A KMS marker without KeyId reads as an empty key id, so the body is
  // still shown to the caller and the rules can name the problem.
  if (kms) return { type: "SSE-KMS", keyId: text(child(child(node, "SSE-KMS"), "KeyId")) };
  return undefined;
}

function decodeFilter(node: XmlNode | undefined, where: string): OssInventoryFilter | undefined {
  if (node === undefined) return undefined;
  const filter: OssInventoryFilter = {};
  const prefix = common.optionalText(child(node, "Prefix"));
  if (prefix !== undefined) filter.prefix = prefix;
  const numbers = [
    ["lastModifyBeginTimeStamp", "LastModifyBeginTimeStamp"],
    ["lastModifyEndTimeStamp", "LastModifyEndTimeStamp"],
    ["lowerSizeBound", "LowerSizeBound"],
    ["upperSizeBound", "UpperSizeBound"],
  ] as const;
  for (const [key, name] of numbers) {
    // Timestamps are unix seconds and bounds are byte counts: both whole and
    // non-negative. Anything else (a sign, a fraction, an exponent, a value
    // past 2^53) cannot be held exactly by the model, so refuse it by name.
    const value = common.decodeInteger(
      child(node, name),
      `${where}/${name}`,
      "a non-negative integer",
      false,
    );
    if (value !== undefined) filter[key] = value;
  }
  const storageClass = common.optionalText(child(node, "StorageClass"));
  if (storageClass !== undefined) filter.storageClass = storageClass;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * Reads one page of `GET /?inventory`.
 *
 * Tolerates zero, one or many `InventoryConfiguration`, a declaration,
 * whitespace, the COS root spelling `ListInventoryConfigurationResult`, a
 * missing `IsTruncated` (read as `false`, as ali-oss does), and a repeated
 * one (truncated if any says so: wrongly continuing ends at the first page
 * without a token, wrongly stopping silently drops jobs). An empty
 * `NextContinuationToken` reads as absent; a non-empty one is kept even on an
 * untruncated page.
 *
 * @throws {@link XmlFormatError} when the XML is malformed, the root is
 * wrong, `IsTruncated` is not a boolean, or a configuration is invalid (the
 * message names it by index when the page holds several).
 */
export function decodeListPage(xml: string): OssInventoryListPage {
  return common.decodeInventoryListPage(xml, LIST_ROOTS, decodeInventoryConfigurationObject, [
    "NextContinuationToken",
  ]);
}

/** The fields of an OSS error body and their elements. */
const ERROR_FIELDS = common.errorFields<keyof OssErrorBody>(
  [
    "code",
    "message",
    "requestId",
    "hostId",
    "bucketName",
    "errorDetail",
    "signatureProvided",
    "stringToSign",
    "ec",
    "recommendDoc",
  ],
  { ec: "EC" },
);

/**
 * Reads what it can from an error body; never throws. Returns `{}` for
 * anything that is not an XML `<Error>` document (an empty body, an HTML
 * page from a proxy, garbage). Empty and unknown elements (e.g.
 * `OSSAccessKeyId`, `StringToSignBytes`) are left out.
 */
export function decodeErrorBody(xml: string): DecodedOssErrorBody {
  return common.decodeErrorFields(xml, ERROR_FIELDS);
}
