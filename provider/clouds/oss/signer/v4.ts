/**
 * OSS V4 signature (`OSS4-HMAC-SHA256`), `docs/protocol.md` §2 "V4": the
 * canonical request, the scope, the StringToSign, the signing key and the
 * header value, each step a pure function.
 */
import { compareCodeUnits, hashHex, hmac, rfc3986Encode } from "../../common/signing";
import {
  OSS_DATE_HEADER,
  OSS_HEADER_PREFIX,
  OssCredentials,
  OssSignableRequest,
  SCOPE_PART,
  checkAccessKeyId,
  lowercaseHeaders,
  resourcePath,
  withOssSecurityToken,
} from "./base";
import { parseV4Datetime } from "./dates";

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

/** The algorithm name that opens a V4 header and StringToSign. */
export const V4_ALGORITHM = "OSS4-HMAC-SHA256";
/** The last part of a V4 scope. */
export const V4_TERMINATOR = "aliyun_v4_request";
const CONTENT_SHA256_HEADER = "x-oss-content-sha256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const DEFAULT_SERVICE = "oss";

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
  return rfc3986Encode(resourcePath(req)).replace(/%2F/g, "/");
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
      rfc3986Encode(name),
      value === undefined || value === "" ? "" : rfc3986Encode(value),
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
  return `${V4_ALGORITHM}\n${datetime}\n${scope}\n${hashHex("sha256", canonicalRequest)}`;
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
  let key: Buffer = Buffer.from("aliyun_v4" + accessKeySecret, "utf8");
  for (const part of [date8, region, service, V4_TERMINATOR]) {
    key = hmac("sha256", key, part);
  }
  return key;
}

/** `Signature = hex(HMAC-SHA256(SigningKey, StringToSign))`, lowercase. */
export function v4Signature(signingKey: Buffer, stringToSign: string): string {
  return hmac("sha256", signingKey, stringToSign).toString("hex");
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
  const signed = withOssSecurityToken(creds, req);
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
