/**
 * The pieces the COS and OSS signers share, as pure functions: RFC 3986
 * encoding, byte-order comparison, constant-time comparison of signatures,
 * hashes and HMACs, the session-token header, and the shape of a request on
 * its way to being signed. Nothing here names a cloud: each signer passes its
 * own header names (see `docs/protocol.md` §1 for COS, §2 for OSS).
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";

/** The hash functions the signatures use. */
export type HashAlgorithm = "sha1" | "sha256";

/**
 * RFC 3986 percent-encoding: `encodeURIComponent` plus `! ' ( ) *`, so that
 * only the unreserved characters `A-Za-z0-9-_.~` stay literal (hex in
 * uppercase). COS's `UrlEncode` and OSS V4's encoding are both this.
 *
 * @throws URIError if `s` holds a lone UTF-16 surrogate (it has no UTF-8 form).
 */
export function rfc3986Encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Plain code-unit order. Canonical strings are ASCII once encoded, where this
 * is byte order (what the SDKs sort by, e.g. Go's `sort.Strings`), unlike
 * `localeCompare`.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether two signatures are equal, comparing their UTF-8 bytes in constant
 * time so that a verifier does not leak how many leading characters matched.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `HMAC-<algorithm>(key, data)`, data as UTF-8, the raw digest. */
export function hmac(algorithm: HashAlgorithm, key: string | Buffer, data: string): Buffer {
  return createHmac(algorithm, key).update(data, "utf8").digest();
}

/** `hex(<algorithm>(data))`, data as UTF-8, lowercase. */
export function hashHex(algorithm: HashAlgorithm, data: string): string {
  return createHash(algorithm).update(data, "utf8").digest("hex");
}

/**
 * `headers` with the session token present under `headerName` (lowercase),
 * when there is a token. Both clouds authenticate the token, so it must be on
 * the request before signing; a header already there in any case is kept.
 *
 * @throws Error if `headers` already holds a different token: one would be
 *   signed and the other sent, so fail loudly instead.
 */
export function withSecurityToken<H extends Record<string, string | undefined>>(
  headerName: string,
  token: string | undefined,
  headers: H,
): H {
  if (token === undefined || token === "") return headers;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== headerName || value === undefined) continue;
    if (value !== token) {
      throw new Error(`request header ${name} does not match the credentials' security token`);
    }
    return headers;
  }
  return { ...headers, [headerName]: token };
}

/**
 * A bucket-level request on its way to the wire: what a signer reads, and
 * (with its authentication headers added) what it returns.
 */
export interface RequestToSign {
  /** HTTP method. */
  method: string;
  /** The bucket addressed (OSS signs it in its resource path). */
  bucket: string;
  /** Decoded path of the URL (COS signs it). */
  pathname: string;
  /** Query parameters, raw (not encoded); `""` is a valueless parameter such as `inventory`. */
  query: Record<string, string>;
  /** Headers so far: `Host` and the content headers; a signer adds its own. */
  headers: Record<string, string>;
  /** Body, if any. */
  body?: Buffer;
}

/**
 * Signs a request for the clock `nowSeconds` (unix seconds, already corrected
 * for skew): returns a copy with every header the cloud needs to
 * authenticate it (date, content hash, session token, `Authorization`).
 */
export type RequestSigner<Credentials> = (
  credentials: Credentials,
  request: RequestToSign,
  nowSeconds: number,
) => RequestToSign;
