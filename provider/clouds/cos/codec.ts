/**
 * The COS inventory XML codec: our {@link CosInventoryConfiguration} model to
 * and from the `InventoryConfiguration` body, list pages, and error bodies.
 *
 * Encoding is strict and byte-stable (Content-MD5 is computed over it);
 * decoding is tolerant of every spelling seen in the COS docs and SDK tests
 * (`docs/protocol.md` §5), because it reads what the service sends back.
 */
import {
  asArray,
  child,
  el,
  hasChild,
  optionalEl,
  text,
  XmlFormatError,
  type XmlNode,
  type XmlPart,
} from "../../xml";
import * as common from "../common/codec";
import type {
  CosInventoryConfiguration,
  CosInventoryDestination,
  CosInventoryFilter,
  CosInventoryListPage,
  CosInventoryRun,
  CosPostInventoryResult,
  CosTag,
} from "./model";
import { COS_REQUIRED_ELEMENTS } from "./rules";

const LIST_ROOT = "ListInventoryConfigurationResult";
/** The root of the answer to a one-shot run. */
const POST_RESULT_ROOT = "PostInventoryResult";
// S3 and OSS spell the list root with an "s"; accepting it costs nothing and
// keeps a misrouted S3-compatible answer from looking like an empty list.
const LIST_ROOTS = [LIST_ROOT, "ListInventoryConfigurationsResult"];

/**
 * The body COS answers errors with (all five elements are always written).
 * See `docs/protocol.md` §3: `RequestId` equals the `x-cos-request-id` header.
 */
export interface CosErrorBody {
  /** Error code, e.g. `NoSuchBucket`. */
  code: string;
  /** Human-readable message. */
  message: string;
  /** The resource the request addressed, e.g. `examplebucket-1250000000.cos.ap-beijing.myqcloud.com/?inventory`. */
  resource: string;
  /** The request id. */
  requestId: string;
  /** The trace id. */
  traceId: string;
}

/** What {@link decodeErrorBody} could read; every field is absent when the body did not carry it. */
export type DecodedCosErrorBody = Partial<CosErrorBody>;

// ---------------------------------------------------------------------------
// Encoding

/**
 * Writes a configuration as the `InventoryConfiguration` body COS accepts.
 *
 * No XML declaration, no namespace, no whitespace. Elements come in the
 * order the official Go SDK marshals them (Id, IsEnabled,
 * IncludedObjectVersions, Filter, OptionalFields, Schedule, Destination),
 * which is also the order of the node SDK vector "COS body A" in the protocol
 * notes, so that vector's bytes and Content-MD5 are reproduced exactly. COS
 * itself does not depend on element order (its own docs use another).
 *
 * Optional parts are left out when absent: `Filter` when there is no filter
 * or it holds nothing, `OptionalFields` when the list is empty, and
 * `AccountId`, `Prefix` and `Encryption` when unset. Text is escaped.
 */
export function encodeInventoryConfiguration(
  cfg: CosInventoryConfiguration,
  shape: CosBodyShape = {},
): string {
  return el(common.CONFIGURATION_ROOT, configurationChildren(cfg, shape));
}

/**
 * How a body spelled what the model does not keep, so that the emulator
 * answers a GET in the shape the job was written (see {@link cosBodyShape}).
 */
export interface CosBodyShape {
  /** A lone `Prefix` was written inside `<Filter><And>` (as cos-go-sdk-v5 writes and reads it). */
  prefixInAnd?: boolean;
}

/**
 * The {@link CosBodyShape} of a configuration body: whether a prefix stands
 * inside `<And>` with nothing else there. Never throws; a body that cannot be
 * parsed has the default shape.
 */
export function cosBodyShape(xml: string): CosBodyShape {
  try {
    const and = child(child(common.decodeDocument(xml, [common.CONFIGURATION_ROOT]), "Filter"), "And");
    return hasChild(and, "Prefix") ? { prefixInAnd: true } : {};
  } catch {
    return {};
  }
}

function configurationChildren(cfg: CosInventoryConfiguration, shape: CosBodyShape): XmlPart[] {
  const [id, versions, filter, fields, destination] = runChildren(cfg, shape);
  return [
    id,
    el("IsEnabled", cfg.isEnabled ? "true" : "false"),
    versions,
    filter,
    fields,
    common.encodeSchedule(cfg.schedule.frequency, [
      common.optionalNumberEl("MonthlyDate", cfg.schedule.monthlyDate),
    ]),
    destination,
  ];
}

/** The children a job and a one-shot run share, in the order they are written. */
function runChildren(run: CosInventoryRun, shape: CosBodyShape): XmlPart[] {
  return [
    el("Id", run.id),
    el("IncludedObjectVersions", run.includedObjectVersions),
    encodeFilter(run.filter, shape),
    common.encodeOptionalFields(run.optionalFields),
    // The doc and both SDKs write the encryption marker as an empty element
    // inside <Encryption>; node emits it as an open/close pair.
    common.encodeDestination(
      "COSBucketDestination",
      run.destination,
      run.destination.encryption !== undefined
        ? el("Encryption", [el(run.destination.encryption)])
        : undefined,
    ),
  ];
}

/**
 * Writes a one-shot run as the `POST /?inventory&id=<id>` body: the job's
 * body without `IsEnabled` and `Schedule` (the doc's request body has
 * neither), children in the same order (Id, IncludedObjectVersions, Filter,
 * OptionalFields, Destination), byte-stable for Content-MD5.
 */
export function encodeInventoryRun(run: CosInventoryRun): string {
  return el(common.CONFIGURATION_ROOT, runChildren(run, {}));
}

/** Writes the answer to a run: `<PostInventoryResult><JobId>…</JobId></PostInventoryResult>`. */
export function encodePostInventoryResult(result: CosPostInventoryResult): string {
  return el(POST_RESULT_ROOT, [el("JobId", result.jobId)]);
}

/**
 * Reads the answer to a run. A declaration and namespace are tolerated.
 *
 * @throws {@link XmlFormatError} when the XML is malformed, the root is not
 * `PostInventoryResult`, or `JobId` is missing or empty.
 */
export function decodePostInventoryResult(xml: string): CosPostInventoryResult {
  const content = common.decodeDocument(xml, [POST_RESULT_ROOT]);
  const jobId = common.optionalText(child(content, "JobId"));
  if (jobId === undefined) throw new XmlFormatError(`${POST_RESULT_ROOT} has no JobId`);
  return { jobId };
}

/**
 * Reads a one-shot run body (the emulator's side of the POST). A body
 * carrying `IsEnabled` or `Schedule` is refused: those belong to a periodic
 * job (PUT), and a run has neither. Otherwise read as
 * {@link decodeInventoryConfiguration} reads a job.
 *
 * @throws {@link XmlFormatError} as {@link decodeInventoryConfiguration}, or
 * naming `IsEnabled` / `Schedule` when present.
 */
export function decodeInventoryRun(xml: string): CosInventoryRun {
  const content = common.decodeDocument(xml, [common.CONFIGURATION_ROOT]);
  const periodic = ["IsEnabled", "Schedule"].filter((name) => hasChild(content, name));
  if (periodic.length > 0) {
    throw new XmlFormatError(
      `a one-shot inventory (POST) carries no ${periodic.join(" or ")}: those belong to a periodic job (PUT)`,
    );
  }
  // The shared decoder requires the periodic elements; lend it neutral ones and drop them again.
  const lent = {
    ...(content as Record<string, XmlNode>),
    IsEnabled: "true",
    Schedule: { Frequency: "Daily" },
  };
  const { isEnabled: _enabled, schedule: _schedule, ...run } = decodeInventoryConfigurationObject(lent);
  return run;
}

function encodeFilter(filter: CosInventoryFilter | undefined, shape: CosBodyShape): XmlPart {
  if (filter === undefined) return undefined;
  const tags = filter.tags ?? [];
  const classes = filter.storageClasses ?? [];
  const prefix = optionalEl("Prefix", filter.prefix);
  const { startTime, endTime } = filter.period ?? {};
  const period =
    startTime !== undefined || endTime !== undefined
      ? el("Period", [
          startTime !== undefined ? el("StartTime", String(startTime)) : undefined,
          endTime !== undefined ? el("EndTime", String(endTime)) : undefined,
        ])
      : undefined;
  // The doc: "if both conditions Prefix and Tag are required, use the And
  // container"; cos-go-sdk-v5 sends StorageClass there too, as one comma
  // list. Period stays directly under Filter, where the doc shows it; no
  // sample combines Period with And. A lone prefix goes inside And only when
  // the shape says it was written so.
  const selection =
    tags.length > 0 || classes.length > 0 || (shape.prefixInAnd === true && prefix !== "")
      ? el("And", [
          prefix,
          ...tags.map((t) => el("Tag", [el("Key", t.key), el("Value", t.value)])),
          classes.length > 0 ? el("StorageClass", classes.join(",")) : undefined,
        ])
      : prefix;
  if (!selection && !period) return undefined;
  return el("Filter", [selection, period]);
}

/**
 * Writes one page of `GET /?inventory` the way COS answers it: root
 * `ListInventoryConfigurationResult` holding the configurations, then
 * `IsTruncated`, then `ContinuationToken` and `NextContinuationToken` when
 * set (empty tokens are left out, as they mean "none").
 */
export function encodeListPage(page: CosInventoryListPage, shapes: readonly CosBodyShape[] = []): string {
  return el(LIST_ROOT, [
    ...page.configurations.map((cfg, i) =>
      el(common.CONFIGURATION_ROOT, configurationChildren(cfg, shapes[i] ?? {})),
    ),
    el("IsTruncated", page.isTruncated ? "true" : "false"),
    page.continuationToken ? el("ContinuationToken", page.continuationToken) : undefined,
    page.nextContinuationToken ? el("NextContinuationToken", page.nextContinuationToken) : undefined,
  ]);
}

/**
 * Writes a COS error body, byte for byte in the documented shape
 * `<?xml version='1.0' encoding='utf-8' ?><Error><Code>…</Code><Message>…</Message>`
 * `<Resource>…</Resource><RequestId>…</RequestId><TraceId>…</TraceId></Error>`.
 */
export function encodeErrorBody(body: CosErrorBody): string {
  return "<?xml version='1.0' encoding='utf-8' ?>" + common.encodeErrorFields(body, ERROR_FIELDS, 5);
}

// ---------------------------------------------------------------------------
// Decoding

/** The spellings of the SSE-COS marker: the doc's, and the one some official SDKs write. */
export const ENCRYPTION_MARKERS: readonly string[] = ["SSE-COS", "SSECOS"];

/** The elements of a COS configuration the codec reads (see `common.unknownElements`). */
export const COS_KNOWN_ELEMENTS: readonly string[] = [
  "Id",
  "IsEnabled",
  "IncludedObjectVersions",
  ...["", "And/"].flatMap((at) =>
    ["Prefix", "Tag/Key", "Tag/Value", "StorageClass", "Period/StartTime", "Period/EndTime"].map(
      (leaf) => `Filter/${at}${leaf}`,
    ),
  ),
  "OptionalFields/Field",
  "Schedule/Frequency",
  "Schedule/MonthlyDate",
  ...["Format", "AccountId", "Bucket", "Prefix"].map((leaf) => `Destination/COSBucketDestination/${leaf}`),
  ...["", "Encryption/"].flatMap((at) =>
    ENCRYPTION_MARKERS.map((marker) => `Destination/COSBucketDestination/${at}${marker}`),
  ),
];

/** The elements a COS configuration may repeat: report columns and tags. */
const COS_REPEATABLE_ELEMENTS: readonly string[] = ["OptionalFields/Field", "Filter/Tag", "Filter/And/Tag"];

const decoders = common.configurationDecoders<CosInventoryConfiguration>(COS_REQUIRED_ELEMENTS, {
  knownElements: COS_KNOWN_ELEMENTS,
  repeatableElements: COS_REPEATABLE_ELEMENTS,
  destinationElement: "COSBucketDestination",
  decodeDestination: (node) => decodeDestination(node),
  decodeFilter,
  decodeMore: (content, where, cfg) => {
    const monthlyDate = common.decodeScheduleDay(content, "MonthlyDate", where);
    if (monthlyDate !== undefined) cfg.schedule.monthlyDate = monthlyDate;
  },
});

/**
 * Reads an `InventoryConfiguration` body.
 *
 * Tolerates: an XML declaration or none; a default namespace or prefixes;
 * `True`/`TRUE` for booleans; one or many `Field`; `<SSE-COS/>` and
 * `<SSE-COS></SSE-COS>`, inside `<Encryption>` or directly under
 * `COSBucketDestination`; `Prefix` inside or outside `<And>`; one or many
 * `Tag`; `Period` inside or outside `<And>`. Absent optional elements give
 * absent properties, an absent or empty `Filter` (`<Filter/>`,
 * `<Filter><And/></Filter>`) gives `filter: undefined`, no `OptionalFields`
 * gives `[]`. The decode policy is the one both clouds share
 * (`common/codec.ts`): an optional element present but empty reads as
 * absent (`<Prefix></Prefix>` gives no prefix), a required one as `""`, and
 * values are passed through as sent (an unknown frequency stays what it
 * is): run `validateInventoryConfiguration` (./rules) to judge them. Text is
 * trimmed by the parser, so leading/trailing blanks of a value are lost.
 *
 * @throws {@link XmlFormatError} when the XML is malformed, the root is not
 * `InventoryConfiguration`, a required element is missing (the message names
 * them all), `IsEnabled` is not a boolean, or a `Period` time is not an integer.
 */
export const decodeInventoryConfiguration = decoders.decodeDocument;

/** {@link decodeInventoryConfiguration} on a parsed element's content (see `ConfigurationDecoders.decodeObject`). */
export const decodeInventoryConfigurationObject = decoders.decodeObject;

/** What {@link decodeInventoryConfiguration} would not keep of a body (see `ConfigurationDecoders.unknownElements`). */
export const unknownConfigurationElements = decoders.unknownElements;

function decodeDestination(node: XmlNode | undefined): CosInventoryDestination {
  const dest: CosInventoryDestination = {
    format: text(child(node, "Format")),
    bucket: text(child(node, "Bucket")),
  };
  const accountId = common.optionalText(child(node, "AccountId"));
  if (accountId !== undefined) dest.accountId = accountId;
  const prefix = common.optionalText(child(node, "Prefix"));
  if (prefix !== undefined) dest.prefix = prefix;
  // Presence is the whole signal: the marker is always empty. The COS list
  // doc sample drops the <Encryption> wrapper, and some official SDKs spell
  // the marker `SSECOS`, so look for either name in both places.
  const encryption = child(node, "Encryption");
  if (ENCRYPTION_MARKERS.some((m) => hasChild(encryption, m) || hasChild(node, m))) {
    dest.encryption = "SSE-COS";
  }
  return dest;
}

function decodeFilter(node: XmlNode | undefined, where: string): CosInventoryFilter | undefined {
  // `<Filter/>`, `<Filter><And/></Filter>` and `<Filter><Prefix></Prefix></Filter>` are no filter.
  if (node === undefined) return undefined;
  const and = child(node, "And");
  const filter: CosInventoryFilter = {};

  // The Go SDK and COS responses put Prefix inside <And>; the doc puts it
  // directly under <Filter> when there are no tags.
  const prefix = common.optionalText(child(and, "Prefix") ?? child(node, "Prefix"));
  if (prefix !== undefined) filter.prefix = prefix;

  const tags: CosTag[] = [...asArray(child(and, "Tag")), ...asArray(child(node, "Tag"))].map((tag) => ({
    key: text(child(tag, "Key")),
    value: text(child(tag, "Value")),
  }));
  if (tags.length > 0) filter.tags = tags;

  const storageClasses = common.decodeCommaList(child(and, "StorageClass") ?? child(node, "StorageClass"));
  if (storageClasses !== undefined) filter.storageClasses = storageClasses;

  const period = child(node, "Period") ?? child(and, "Period");
  if (period !== undefined) {
    // Negative values are read (the rules refuse them by property name); a
    // value that is not an integer cannot be held by the model.
    const seconds = (name: string): number | undefined =>
      common.decodeInteger(
        child(period, name),
        `${where}/Period/${name}`,
        "an integer number of seconds",
        true,
      );
    const [startTime, endTime] = [seconds("StartTime"), seconds("EndTime")];
    if (startTime !== undefined || endTime !== undefined) {
      filter.period = {};
      if (startTime !== undefined) filter.period.startTime = startTime;
      if (endTime !== undefined) filter.period.endTime = endTime;
    }
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * Reads one page of `GET /?inventory`.
 *
 * Tolerates zero, one or many `InventoryConfiguration`, a declaration, a
 * namespace, the S3/OSS root spelling `ListInventoryConfigurationsResult`,
 * and `IsTruncated` repeated (the COS doc sample, copied into the Go SDK
 * tests, has `false` then `true`). When repeated values disagree the page
 * counts as truncated: the Go SDK keeps the last (`true`), and wrongly
 * stopping would silently drop jobs, while wrongly continuing ends as soon as
 * no `NextContinuationToken` is given. Empty tokens read as absent.
 *
 * @throws {@link XmlFormatError} when the XML is malformed, the root is
 * wrong, `IsTruncated` is not a boolean, or a configuration is incomplete.
 */
export function decodeListPage(xml: string): CosInventoryListPage {
  return common.decodeInventoryListPage(xml, LIST_ROOTS, decodeInventoryConfigurationObject, [
    "ContinuationToken",
    "NextContinuationToken",
  ]);
}

/** The fields of a COS error body and their elements. */
const ERROR_FIELDS = common.errorFields<keyof CosErrorBody>([
  "code",
  "message",
  "resource",
  "requestId",
  "traceId",
]);

/**
 * Reads what it can from an error body; never throws. Returns `{}` for
 * anything that is not an XML `<Error>` document (an empty body, an HTML
 * page from a proxy, garbage). Empty elements are left out.
 */
export function decodeErrorBody(xml: string): DecodedCosErrorBody {
  return common.decodeErrorFields(xml, ERROR_FIELDS);
}
