/**
 * Alibaba Cloud OSS request signatures, V1 (`OSS <ak>:<sig>`, HMAC-SHA1) and V4
 * (`OSS4-HMAC-SHA256`), as small pure functions.
 *
 * The algorithms are the ones implemented by the official SDKs (ali-oss `signUtils`,
 * alibabacloud-oss-go-sdk-v2 `oss/signer`) and described at
 * help.aliyun.com/document_detail/31951; `docs/protocol.md` §2 lists the details and
 * the published vectors this module is tested against. Both directions live here: `authorizeV1`
 * and `authorizeV4` for the client, `parseOssAuthorization` + `verifyOssAuthorization` for the
 * local emulator, so that both sides of the wire share one reading of the rules.
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";

/** Long-term or temporary (STS) OSS credentials. */
export interface OssCredentials {
  /** `AccessKeyId`, sent in clear in the `Authorization` header. */
  accessKeyId: string;
  /** `AccessKeySecret`; never leaves the process, only keys the HMAC. */
  accessKeySecret: string;
  /**
   * Session token of temporary credentials. The request must carry it as the
   * `x-oss-security-token` header, which both versions sign like any `x-oss-*` header.
   */
  securityToken?: string;
}

/** What the OSS signatures cover. */
export interface OssSignableRequest {
  /** HTTP method, any case (signed uppercased). */
  method: string;
  /** Bucket name; `undefined` (or `""`) for service-level calls. */
  bucket?: string;
  /**
   * Object key, raw (not URL-encoded); `""` for bucket-level calls, which is what the
   * inventory calls are. A non-empty key needs a bucket.
   */
  key: string;
  /**
   * Query parameters, raw (decoded) values. `""` or `undefined` is a valueless parameter
   * such as `?inventory`: the service signs `?inventory` and `?inventory=` alike.
   */
  query: Record<string, string | undefined>;
  /**
   * Request headers, raw, names in any case. `undefined` means absent. Two names that
   * differ only in case are ambiguous and make signing throw (and verifying fail).
   */
  headers: Record<string, string | undefined>;
}

/** The fields of an OSS `Authorization` header, as produced by {@link parseOssAuthorization}. */
export type ParsedOssAuthorization =
  | {
      version: 1;
      accessKeyId: string;
      /** Base64 of the 20-byte HMAC-SHA1. */
      signature: string;
    }
  | {
      version: 4;
      accessKeyId: string;
      /** `yyyymmdd` of the credential scope. */
      date: string;
      /** Signing region of the scope, e.g. `cn-hangzhou` (no `oss-` prefix). */
      region: string;
      /** Product of the scope: `oss`, or `oss-cloudbox` for CloudBox. */
      service: string;
      /** `AdditionalHeaders`: lowercased, sorted, unique; `[]` when the part is absent. */
      additionalHeaders: string[];
      /** 64 lowercase hex digits. */
      signature: string;
    };

/** Options of {@link authorizeV4}. */
export interface OssV4AuthorizeOptions {
  /** Signing region, e.g. `cn-hangzhou` (not the endpoint's `oss-cn-hangzhou`). */
  region: string;
  /**
   * Extra headers to sign beyond the default set (see {@link normalizeV4AdditionalHeaders}).
   * Each must be present in the request.
   */
  additionalHeaders?: readonly string[];
  /** Product in the scope; `oss` unless signing for CloudBox (`oss-cloudbox`). */
  service?: string;
}

const OSS_HEADER_PREFIX = "x-oss-";
const SECURITY_TOKEN_HEADER = "x-oss-security-token";
const DATE_HEADER = "date";
const OSS_DATE_HEADER = "x-oss-date";
const CONTENT_SHA256_HEADER = "x-oss-content-sha256";
const V4_ALGORITHM = "OSS4-HMAC-SHA256";
const V4_TERMINATOR = "aliyun_v4_request";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const DEFAULT_SERVICE = "oss";

/**
 * The query parameters ("sub-resources") that V1 signs; any other parameter rides outside
 * the signature. This is the union of the two official lists: aliyun-oss-go-sdk
 * `oss/conn.go` `signKeyList` and alibabacloud-oss-go-sdk-v2 `oss/signer/v1.go`
 * `requiredSignedParametersMap`. Names are case-sensitive, as on the service.
 *
 * (go-sdk-v2 additionally signs any parameter whose name starts with `x-oss-`; the
 * documented ones are listed here. ali-oss signs whatever `subres` an operation passes,
 * which for the inventory calls is `inventory`, `inventoryId` and `continuation-token`.)
 */
export const OSS_V1_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  "acl",
  "append",
  "asyncFetch",
  "bucketInfo",
  "callback",
  "callback-var",
  "cloudboxes",
  "cname",
  "comp",
  "continuation-token",
  "cors",
  "delete",
  "encryption",
  "endTime",
  "img",
  "inventory",
  "inventoryId",
  "lifecycle",
  "live",
  "location",
  "logging",
  "metaQuery",
  "objectMeta",
  "partNumber",
  "policy",
  "position",
  "qos",
  "qosInfo",
  "referer",
  "regionList",
  "replication",
  "replicationLocation",
  "replicationProgress",
  "requestPayment",
  "resourceGroup",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
  "responseHeader",
  "restore",
  "rtc",
  "security-token",
  "sequential",
  "startTime",
  "stat",
  "status",
  "style",
  "styleName",
  "symlink",
  "tagging",
  "transferAcceleration",
  "udf",
  "udfApplication",
  "udfApplicationLog",
  "udfId",
  "udfImage",
  "udfImageDesc",
  "udfName",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "vod",
  "website",
  "withHashContext",
  "worm",
  "wormExtend",
  "wormId",
  "x-oss-ac-forward-allow",
  "x-oss-ac-source-ip",
  "x-oss-ac-subnet-mask",
  "x-oss-ac-vpc-id",
  "x-oss-async-process",
  "x-oss-enable-md5",
  "x-oss-enable-sha1",
  "x-oss-enable-sha256",
  "x-oss-hash-ctx",
  "x-oss-md5-ctx",
  "x-oss-process",
  "x-oss-request-payer",
  "x-oss-traffic-limit",
]);

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/**
 * RFC 3986 percent-encoding, as OSS V4 wants it: `encodeURIComponent` plus `! ' ( ) *`,
 * so that only the unreserved characters `A-Za-z0-9-_.~` stay literal (hex in uppercase).
 *
 * @throws URIError if `s` holds a lone UTF-16 surrogate (it has no UTF-8 form).
 */
export function ossUriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Plain code-unit order. The strings compared here are ASCII, where it is byte order (Go's sort.Strings). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Headers by lowercased name, `undefined` values dropped.
 *
 * @throws Error if two names differ only in case: a header map cannot tell which one the
 *   wire carries (Go would join them, ali-oss keep the last), so refuse to guess.
 */
function lowercaseHeaders(headers: Record<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (out.has(lower))
      throw new Error(`header "${name}" is given twice (header names are case-insensitive)`);
    out.set(lower, value);
  }
  return out;
}

/**
 * The path both versions sign: `/` + bucket + `/` + key, or `/` + key without a bucket.
 *
 * @throws Error for a key without a bucket: an object cannot be addressed that way.
 */
function resourcePath(req: OssSignableRequest): string {
  if (!req.bucket) {
    if (req.key !== "") throw new Error(`object key "${req.key}" given without a bucket`);
    return "/";
  }
  return `/${req.bucket}/${req.key}`;
}

/** `req` with `x-oss-security-token` present when the credentials have a token. */
function withSecurityToken(creds: OssCredentials, req: OssSignableRequest): OssSignableRequest {
  const token = creds.securityToken;
  if (token === undefined || token === "") return req;
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() !== SECURITY_TOKEN_HEADER || value === undefined) continue;
    // Two different tokens would sign one and send the other: fail loudly instead.
    if (value !== token)
      throw new Error(`request header ${name} does not match the credentials' security token`);
    return req;
  }
  return { ...req, headers: { ...req.headers, [SECURITY_TOKEN_HEADER]: token } };
}

/**
 * Access key ids are sent in clear between fixed delimiters (`OSS <ak>:`, `Credential=<ak>/`),
 * so they must be visible ASCII without `:`, `/` and `,`. Real ids (`LTAI…`, `STS.…`) are.
 */
const ACCESS_KEY_ID = /^[!-+\--.0-9;-~]+$/;
/** Region and product names in the V4 scope: `cn-hangzhou`, `cb-123`, `oss`, `oss-cloudbox`. */
const SCOPE_PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkAccessKeyId(accessKeyId: string): void {
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new Error(`access key id ${JSON.stringify(accessKeyId)} cannot appear in an Authorization header`);
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------------------------------
// V1
// ---------------------------------------------------------------------------------------

/**
 * The V1 date line: the `Date` header, or `x-oss-date` when there is none (ali-oss sends no
 * `Date`, only `x-oss-date`, and signs that value on the date line). `""` when neither is set.
 */
function v1DateLine(headers: Map<string, string>): string {
  const date = headers.get(DATE_HEADER);
  if (date !== undefined && date !== "") return date;
  return headers.get(OSS_DATE_HEADER) ?? "";
}

/**
 * `CanonicalizedResource`: the resource path, then `?` and the signed sub-resources sorted by
 * name and joined with `&`. Only names in {@link OSS_V1_SIGNED_SUBRESOURCES} are signed; each is
 * `k` when its value is `""`/`undefined`, else `k=v` with the RAW value (V1 does not encode).
 *
 * @throws Error for a key without a bucket.
 */
export function v1CanonicalizedResource(req: OssSignableRequest): string {
  const subresources = Object.entries(req.query)
    .filter(([name]) => OSS_V1_SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, value]) => (value === undefined || value === "" ? name : `${name}=${value}`));
  const path = resourcePath(req);
  return subresources.length === 0 ? path : `${path}?${subresources.join("&")}`;
}

/**
 * The V1 `StringToSign`:
 * `VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource`.
 *
 * - Content-MD5 and Content-Type are taken as given (not trimmed), as ali-oss does; an HTTP
 *   server receives them with surrounding whitespace already stripped.
 * - The date line is `Date`, or `x-oss-date` when there is no `Date` header.
 * - CanonicalizedOSSHeaders: every `x-oss-*` header, `name:trim(value)\n`, sorted by lowercased name.
 *   With ali-oss, `x-oss-date` therefore appears both on the date line and here.
 * - CanonicalizedResource: see {@link v1CanonicalizedResource}.
 *
 * @throws Error for ambiguous headers (same name twice in different case) or a key without a bucket.
 */
export function v1StringToSign(req: OssSignableRequest): string {
  const headers = lowercaseHeaders(req.headers);
  const ossHeaders = [...headers.entries()]
    .filter(([name]) => name.startsWith(OSS_HEADER_PREFIX))
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join("");
  return (
    [
      req.method.toUpperCase(),
      headers.get("content-md5") ?? "",
      headers.get("content-type") ?? "",
      v1DateLine(headers),
    ]
      .map((line) => line + "\n")
      .join("") +
    ossHeaders +
    v1CanonicalizedResource(req)
  );
}

/** `Signature = base64(HMAC-SHA1(AccessKeySecret, StringToSign))`, both as UTF-8. */
export function v1Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac("sha1", accessKeySecret).update(stringToSign, "utf8").digest("base64");
}

/**
 * The V1 `Authorization` header value, `OSS <AccessKeyId>:<Signature>`.
 *
 * Every query parameter in {@link OSS_V1_SIGNED_SUBRESOURCES} is signed (ali-oss signs the
 * `subres` of each operation, which for the inventory calls are exactly those parameters).
 * With `creds.securityToken`, the request is signed as carrying `x-oss-security-token: <token>`;
 * the caller must send that header, this function does not change `req`.
 *
 * @throws Error if the request has neither `Date` nor `x-oss-date` (the service needs one),
 *   if `req.headers` holds a different `x-oss-security-token` than `creds`, if the access key
 *   id cannot be written in the header, for ambiguous headers, or a key without a bucket.
 */
export function authorizeV1(creds: OssCredentials, req: OssSignableRequest): string {
  checkAccessKeyId(creds.accessKeyId);
  const signed = withSecurityToken(creds, req);
  if (v1DateLine(lowercaseHeaders(signed.headers)) === "") {
    throw new Error("OSS V1 signing needs a Date or x-oss-date header");
  }
  return `OSS ${creds.accessKeyId}:${v1Signature(creds.accessKeySecret, v1StringToSign(signed))}`;
}

// ---------------------------------------------------------------------------------------
// V4
// ---------------------------------------------------------------------------------------

/** Headers V4 always signs when present: Content-Type, Content-MD5 and every `x-oss-*`. */
function isDefaultV4SignedHeader(lowercaseName: string): boolean {
  return (
    lowercaseName === "content-type" ||
    lowercaseName === "content-md5" ||
    lowercaseName.startsWith(OSS_HEADER_PREFIX)
  );
}

/**
 * The canonical `AdditionalHeaders` list: names lowercased, duplicates removed, the
 * default-signed ones (Content-Type, Content-MD5, `x-oss-*`) dropped because they are signed
 * anyway, sorted. Both official SDKs normalise the list this way before signing.
 */
export function normalizeV4AdditionalHeaders(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))]
    .filter((n) => !isDefaultV4SignedHeader(n))
    .sort(compareCodeUnits);
}

/** `CanonicalURI`: the resource path RFC 3986-encoded, `/` kept (`/examplebucket/` for bucket-level calls). */
export function v4CanonicalUri(req: OssSignableRequest): string {
  return ossUriEncode(resourcePath(req)).replace(/%2F/g, "/");
}

/**
 * `CanonicalQueryString`: every parameter, name and value RFC 3986-encoded, sorted by encoded
 * name, `k=v` or just `k` when the value is `""`/`undefined`, joined with `&`.
 *
 * @throws URIError for a lone surrogate.
 */
export function v4CanonicalQuery(query: Record<string, string | undefined>): string {
  return Object.entries(query)
    .map(([name, value]): [string, string] => [
      ossUriEncode(name),
      value === undefined || value === "" ? "" : ossUriEncode(value),
    ])
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, value]) => (value === "" ? name : `${name}=${value}`))
    .join("&");
}

/**
 * The V4 `CanonicalRequest`:
 * `VERB \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n AdditionalHeaders \n HashedPayload`.
 *
 * CanonicalHeaders are Content-Type, Content-MD5, every `x-oss-*` header and the additional
 * headers, each `name:trim(value)\n`, sorted by lowercased name; since they end with `\n`, an
 * empty line follows them. HashedPayload is the `x-oss-content-sha256` header, else
 * `UNSIGNED-PAYLOAD`.
 *
 * @param additionalHeaders normalised with {@link normalizeV4AdditionalHeaders} first.
 * @throws Error if an additional header is missing from the request (as ali-oss), for
 *   ambiguous headers or a key without a bucket; URIError for a lone surrogate.
 */
export function v4CanonicalRequest(
  req: OssSignableRequest,
  additionalHeaders: readonly string[] = [],
): string {
  const headers = lowercaseHeaders(req.headers);
  const additional = normalizeV4AdditionalHeaders(additionalHeaders);
  for (const name of additional) {
    if (!headers.has(name)) throw new Error(`additional header "${name}" is not in the request`);
  }
  const signedNames = new Set(additional);
  for (const name of headers.keys()) if (isDefaultV4SignedHeader(name)) signedNames.add(name);
  const canonicalHeaders = [...signedNames]
    .sort(compareCodeUnits)
    .map((name) => `${name}:${(headers.get(name) ?? "").trim()}\n`)
    .join("");
  return [
    req.method.toUpperCase(),
    v4CanonicalUri(req),
    v4CanonicalQuery(req.query),
    canonicalHeaders,
    additional.join(";"),
    // Raw, not trimmed: the SDKs take the header value as it is here.
    headers.get(CONTENT_SHA256_HEADER) || UNSIGNED_PAYLOAD,
  ].join("\n");
}

/** The credential scope, e.g. `20231216/cn-hangzhou/oss/aliyun_v4_request`. */
export function v4Scope(date8: string, region: string, service: string = DEFAULT_SERVICE): string {
  return `${date8}/${region}/${service}/${V4_TERMINATOR}`;
}

/** `StringToSign = "OSS4-HMAC-SHA256\n" + datetime + "\n" + scope + "\n" + hex(SHA256(CanonicalRequest))`. */
export function v4StringToSign(datetime: string, scope: string, canonicalRequest: string): string {
  const digest = createHash("sha256").update(canonicalRequest, "utf8").digest("hex");
  return `${V4_ALGORITHM}\n${datetime}\n${scope}\n${digest}`;
}

/**
 * `SigningKey = HMAC(HMAC(HMAC(HMAC("aliyun_v4" + secret, date8), region), service), "aliyun_v4_request")`,
 * each step keyed by the previous raw digest.
 */
export function v4SigningKey(
  accessKeySecret: string,
  date8: string,
  region: string,
  service: string = DEFAULT_SERVICE,
): Buffer {
  let key: Buffer | string = "aliyun_v4" + accessKeySecret;
  for (const part of [date8, region, service, V4_TERMINATOR]) {
    key = createHmac("sha256", key).update(part, "utf8").digest();
  }
  return key as Buffer;
}

/** `Signature = hex(HMAC-SHA256(SigningKey, StringToSign))`, lowercase. */
export function v4Signature(signingKey: Buffer, stringToSign: string): string {
  return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}

/** Whether `yyyy`, `mm`, `dd` (and the time, if given) name a real UTC instant. */
function isRealDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC maps years 0-99 to 1900-1999; OSS dates are 4-digit years anyway.
  return (
    y >= 1000 &&
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

/** `yyyymmddTHHMMSSZ` as a real instant, else `undefined`. */
function parseV4Datetime(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return isRealDate(y, mo, d, h, mi, s) ? value : undefined;
}

/**
 * The V4 `Authorization` header value:
 * `OSS4-HMAC-SHA256 Credential=<ak>/<scope>,[AdditionalHeaders=<a;b>,]Signature=<hex>`
 * (no spaces after the commas; the AdditionalHeaders part only when the list is non-empty).
 *
 * The datetime is the request's `x-oss-date` header; the caller sets it (see {@link ossV4Date})
 * along with `x-oss-content-sha256: UNSIGNED-PAYLOAD`, as the SDKs do. With
 * `creds.securityToken`, the request is signed as carrying `x-oss-security-token: <token>`;
 * the caller must send that header, this function does not change `req`.
 *
 * @throws Error if `x-oss-date` is missing or not `yyyymmddTHHMMSSZ`, if the region or service
 *   is not a scope name, if an additional header is missing, if `req.headers` holds a different
 *   token than `creds`, if the access key id cannot be written in the header, for ambiguous
 *   headers or a key without a bucket; URIError for a lone surrogate.
 */
export function authorizeV4(
  creds: OssCredentials,
  req: OssSignableRequest,
  opts: OssV4AuthorizeOptions,
): string {
  checkAccessKeyId(creds.accessKeyId);
  const service = opts.service ?? DEFAULT_SERVICE;
  if (!SCOPE_PART.test(opts.region))
    throw new Error(`invalid OSS V4 signing region ${JSON.stringify(opts.region)}`);
  if (!SCOPE_PART.test(service)) throw new Error(`invalid OSS V4 signing service ${JSON.stringify(service)}`);
  const signed = withSecurityToken(creds, req);
  const rawDate = lowercaseHeaders(signed.headers).get(OSS_DATE_HEADER);
  const datetime = rawDate === undefined ? undefined : parseV4Datetime(rawDate);
  if (datetime === undefined) {
    throw new Error(
      rawDate === undefined
        ? "OSS V4 signing needs an x-oss-date header (yyyymmddTHHMMSSZ)"
        : `OSS V4 x-oss-date header must be yyyymmddTHHMMSSZ, got ${JSON.stringify(rawDate)}`,
    );
  }
  const date8 = datetime.slice(0, 8);
  const additional = normalizeV4AdditionalHeaders(opts.additionalHeaders ?? []);
  const scope = v4Scope(date8, opts.region, service);
  const sts = v4StringToSign(datetime, scope, v4CanonicalRequest(signed, additional));
  const signature = v4Signature(v4SigningKey(creds.accessKeySecret, date8, opts.region, service), sts);
  const additionalPart = additional.length > 0 ? `AdditionalHeaders=${additional.join(";")},` : "";
  return `${V4_ALGORITHM} Credential=${creds.accessKeyId}/${scope},${additionalPart}Signature=${signature}`;
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** `epochMs` as a Date with a 4-digit year, the only kind both date formats can write. */
function fourDigitYearDate(epochMs: number): Date {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(epochMs) || Number.isNaN(year) || year < 1000 || year > 9999) {
    throw new RangeError(`cannot format ${epochMs} as an OSS date`);
  }
  return date;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * RFC 1123 date in GMT, e.g. `Wed, 28 Dec 2022 10:27:41 GMT`: the V1 `Date`/`x-oss-date` value.
 *
 * @throws RangeError unless the instant has a 4-digit year.
 */
export function ossV1Date(epochMs: number): string {
  const d = fourDigitYearDate(epochMs);
  return (
    `${DAY_NAMES[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

/**
 * ISO 8601 basic UTC datetime, e.g. `20231216T162057Z`: the V4 `x-oss-date` value.
 * Milliseconds are dropped (truncated).
 *
 * @throws RangeError unless the instant has a 4-digit year.
 */
export function ossV4Date(epochMs: number): string {
  const d = fourDigitYearDate(epochMs);
  return (
    `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`
  );
}

// ---------------------------------------------------------------------------------------
// Parse and verify (the emulator's side)
// ---------------------------------------------------------------------------------------

const V1_AUTHORIZATION = /^OSS ([^:]+):([A-Za-z0-9+/]{27}=)$/;
const V4_AUTHORIZATION = new RegExp(
  `^${V4_ALGORITHM} Credential=([^/]+)/(\\d{8})/([^/,]+)/([^/,]+)/${V4_TERMINATOR}` +
    `(?:,AdditionalHeaders=([^,]+))?,Signature=([0-9a-f]{64})$`,
);
/** A lowercase RFC 9110 token: what a header name in `AdditionalHeaders` may be. */
const LOWERCASE_TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** The additional-headers list if it is in the canonical form the SDKs send, else `undefined`. */
function parseAdditionalHeaders(list: string): string[] | undefined {
  const names = list.split(";");
  if (!names.every((n) => LOWERCASE_TOKEN.test(n))) return undefined;
  // Sorted, unique, no default-signed names: exactly what normalisation yields.
  if (normalizeV4AdditionalHeaders(names).join(";") !== list) return undefined;
  return names;
}

/**
 * Parses an OSS `Authorization` header, V1 (`OSS <ak>:<base64 sig>`) or V4
 * (`OSS4-HMAC-SHA256 Credential=<ak>/<yyyymmdd>/<region>/<service>/aliyun_v4_request,
 * [AdditionalHeaders=<a;b>,]Signature=<hex>`).
 *
 * Strict: single spaces exactly where shown, no spaces after commas, a 28-character base64
 * (V1) or 64-digit lowercase hex (V4) signature, a real calendar date, lowercase region and
 * service names, and an AdditionalHeaders list in canonical form (lowercase, sorted, unique,
 * without default-signed headers, and only present when non-empty).
 *
 * It only checks syntax: whether the date is current and whether the signature is right are
 * the caller's and {@link verifyOssAuthorization}'s business.
 *
 * @returns the fields, or `undefined` if the header is not an OSS V1/V4 authorization.
 */
export function parseOssAuthorization(header: string): ParsedOssAuthorization | undefined {
  const v1 = V1_AUTHORIZATION.exec(header);
  if (v1) {
    if (!ACCESS_KEY_ID.test(v1[1])) return undefined;
    return { version: 1, accessKeyId: v1[1], signature: v1[2] };
  }
  const v4 = V4_AUTHORIZATION.exec(header);
  if (!v4) return undefined;
  const [, accessKeyId, date, region, service, additionalList, signature] = v4;
  if (!ACCESS_KEY_ID.test(accessKeyId) || !SCOPE_PART.test(region) || !SCOPE_PART.test(service))
    return undefined;
  if (!isRealDate(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8))))
    return undefined;
  const additionalHeaders = additionalList === undefined ? [] : parseAdditionalHeaders(additionalList);
  if (additionalHeaders === undefined) return undefined;
  return { version: 4, accessKeyId, date, region, service, additionalHeaders, signature };
}

/**
 * Recomputes the signature of `req` as the service would and compares it in constant time.
 *
 * - V1 signs only the query parameters in {@link OSS_V1_SIGNED_SUBRESOURCES}; others may change
 *   freely. The request must have a `Date` or `x-oss-date` header.
 * - V4 signs every query parameter. The request's `x-oss-date` must be a valid
 *   `yyyymmddTHHMMSSZ` on the scope's date, and every header named in AdditionalHeaders must
 *   be present.
 *
 * Headers outside the signed set (`user-agent`, `host`, …) never matter. Whether the date is
 * close enough to "now" is not checked here.
 *
 * @returns `false`, never an exception, for a request that cannot be canonicalised (a lone
 *   surrogate, a header given twice in different case, a key without a bucket).
 */
export function verifyOssAuthorization(
  parsed: ParsedOssAuthorization,
  accessKeySecret: string,
  req: OssSignableRequest,
): boolean {
  try {
    if (parsed.version === 1) {
      if (v1DateLine(lowercaseHeaders(req.headers)) === "") return false;
      return constantTimeEqual(v1Signature(accessKeySecret, v1StringToSign(req)), parsed.signature);
    }
    const headers = lowercaseHeaders(req.headers);
    const rawDate = headers.get(OSS_DATE_HEADER);
    const datetime = rawDate === undefined ? undefined : parseV4Datetime(rawDate);
    if (datetime === undefined || datetime.slice(0, 8) !== parsed.date) return false;
    if (!parsed.additionalHeaders.every((name) => headers.has(name))) return false;
    const scope = v4Scope(parsed.date, parsed.region, parsed.service);
    const sts = v4StringToSign(datetime, scope, v4CanonicalRequest(req, parsed.additionalHeaders));
    const key = v4SigningKey(accessKeySecret, parsed.date, parsed.region, parsed.service);
    return constantTimeEqual(v4Signature(key, sts), parsed.signature);
  } catch {
    // Whatever cannot be canonicalised cannot have been signed: reject, don't crash the server.
    return false;
  }
}
