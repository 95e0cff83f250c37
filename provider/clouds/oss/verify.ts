/**
 * The emulator's side of OSS signatures (`docs/protocol.md` §2): parsing an
 * `Authorization` header strictly and recomputing its signature, with the same
 * steps the client signs with, so both sides of the wire share one reading.
 */
import { constantTimeEqual } from "../common/signing";
import {
  ACCESS_KEY_ID,
  OSS_DATE_HEADER,
  OssSignableRequest,
  SCOPE_PART,
  lowercaseHeaders,
} from "./signer/base";
import { isRealDate, parseV4Datetime } from "./signer/dates";
import { v1DateLine, v1Signature, v1StringToSign } from "./signer/v1";
import {
  V4_ALGORITHM,
  V4_TERMINATOR,
  normalizeV4AdditionalHeaders,
  v4CanonicalRequest,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
} from "./signer/v4";

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
