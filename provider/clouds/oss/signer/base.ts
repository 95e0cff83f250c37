/**
 * What both OSS signature versions share (`docs/protocol.md` §2): the
 * credentials and request types, the header names, the resource path, header
 * lookup by lowercased name, and the access-key and scope-name rules. The
 * versions live in `./v1` and `./v4`; `../signer` gathers them.
 */
import { withSecurityToken } from "../../common/signing";

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

/** Prefix of the headers both versions sign by default. */
export const OSS_HEADER_PREFIX = "x-oss-";
/** The header carrying a session token. */
export const SECURITY_TOKEN_HEADER = "x-oss-security-token";
/** The standard `Date` header, lowercased. */
export const DATE_HEADER = "date";
/** The header carrying the signing date (V1: RFC 1123; V4: `yyyymmddTHHMMSSZ`). */
export const OSS_DATE_HEADER = "x-oss-date";

/**
 * Headers by lowercased name, `undefined` values dropped.
 *
 * @throws Error if two names differ only in case: a header map cannot tell which one the
 *   wire carries (Go would join them, ali-oss keep the last), so refuse to guess.
 */
export function lowercaseHeaders(headers: Record<string, string | undefined>): Map<string, string> {
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
export function resourcePath(req: OssSignableRequest): string {
  if (!req.bucket) {
    if (req.key !== "") throw new Error(`object key "${req.key}" given without a bucket`);
    return "/";
  }
  return `/${req.bucket}/${req.key}`;
}

/** `req` with `x-oss-security-token` present when the credentials have a token (see {@link withSecurityToken}). */
export function withOssSecurityToken(creds: OssCredentials, req: OssSignableRequest): OssSignableRequest {
  const headers = withSecurityToken(SECURITY_TOKEN_HEADER, creds.securityToken, req.headers);
  return headers === req.headers ? req : { ...req, headers };
}

/**
 * Access key ids are sent in clear between fixed delimiters (`OSS <ak>:`, `Credential=<ak>/`),
 * so they must be visible ASCII without `:`, `/` and `,`. Real ids (`LTAI…`, `STS.…`) are.
 */
export const ACCESS_KEY_ID = /^[!-+\--.0-9;-~]+$/;
/** Region and product names in the V4 scope: `cn-hangzhou`, `cb-123`, `oss`, `oss-cloudbox`. */
export const SCOPE_PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** @throws Error unless the access key id can be written between the header's delimiters (see {@link ACCESS_KEY_ID}). */
export function checkAccessKeyId(accessKeyId: string): void {
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new Error(`access key id ${JSON.stringify(accessKeyId)} cannot appear in an Authorization header`);
  }
}
