/**
 * Tencent COS request signature (`q-sign-algorithm=sha1`), as small pure functions.
 *
 * The algorithm is the one documented at https://cloud.tencent.com/document/product/436/7778 and
 * implemented by the official SDKs; `docs/protocol.md` §1 lists the details and
 * the published test vectors this module is tested against. The client's direction lives here (`authorize`,
 * `signCosRequest`); the emulator's (`parseAuthorization`, `verifyAuthorization`) is in `./verify`,
 * built from the same steps.
 */
import {
  RequestToSign,
  compareCodeUnits,
  hashHex,
  hmac,
  rfc3986Encode,
  withSecurityToken,
} from "../common/signing";

/** Long-term or temporary (STS) COS credentials. */
export interface CosCredentials {
  /** `SecretId`, sent in clear as `q-ak`. */
  secretId: string;
  /** `SecretKey`; never leaves the process, only keys the HMAC. */
  secretKey: string;
  /**
   * Session token of temporary credentials. The request must carry it as the
   * `x-cos-security-token` header; `authorize` signs it by default (see there).
   */
  securityToken?: string;
}

/** The parts of an HTTP request that the COS signature covers. */
export interface CosSignableRequest {
  /** HTTP method, any case (signed lowercased). */
  method: string;
  /**
   * The DECODED path, UTF-8, e.g. `"/"` for bucket-level calls or `"/exampleobject(腾讯云)"`.
   * The service signs the decoded form, so a percent-encoded path gives a different signature.
   */
  pathname: string;
  /**
   * Query parameters, raw (not URL-encoded). `undefined` or `""` is a valueless
   * parameter such as `?inventory`, which is signed as `inventory=`.
   */
  query: Record<string, string | undefined>;
  /** Request headers, raw, names in any case. `undefined` means absent. */
  headers: Record<string, string | undefined>;
}

/** Options of {@link authorize}. */
export interface CosAuthorizeOptions {
  /** Start of the validity window, unix seconds (`q-sign-time`/`q-key-time` start). */
  startTime: number;
  /** End of the validity window, unix seconds. */
  endTime: number;
  /**
   * Which headers to sign, given the lowercased header name. Defaults to
   * {@link isSignedByDefault}. Empty-valued headers are never signed, whatever this says.
   */
  signHeaders?: (name: string) => boolean;
  /** Which query parameters to sign, given the name as it appears in `query`. Defaults to all. */
  signParams?: (name: string) => boolean;
}

const SECURITY_TOKEN_HEADER = "x-cos-security-token";

/**
 * Headers cos-nodejs-sdk-v5 3.0.0 signs by name (util.js `signHeaders`). Signing the
 * same set as the official SDK keeps our requests byte-comparable with it.
 */
const DEFAULT_SIGNED_HEADERS: ReadonlySet<string> = new Set([
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-length",
  "content-md5",
  "content-type",
  "expect",
  "expires",
  "host",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-unmodified-since",
  "origin",
  "range",
  "transfer-encoding",
  "pic-operations",
]);

/**
 * COS's `UrlEncode`: RFC 3986 encoding (see {@link rfc3986Encode}), so that only the
 * unreserved characters `A-Za-z0-9-_.~` stay literal.
 *
 * @throws URIError if `s` holds a lone UTF-16 surrogate (it has no UTF-8 form).
 */
export const cosUriEncode: (s: string) => string = rfc3986Encode;

/**
 * The `KeyTime` string, `"<start>;<end>"`.
 *
 * @throws RangeError unless both are non-negative safe integers with `start <= end`; a
 *   fractional or reversed window would sign fine here and be rejected by the service.
 */
export function keyTime(start: number, end: number): string {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid COS key time window: ${start};${end}`);
  }
  return `${start};${end}`;
}

/**
 * `SignKey = hex(HMAC-SHA1(SecretKey, KeyTime))`, lowercase hex. The next step keys
 * its HMAC with this hex *string*, not the raw digest.
 */
export function signKey(secretKey: string, keyTime: string): string {
  return hmac("sha1", secretKey, keyTime).toString("hex");
}

/** Lowercased encoded name: the form used in the lists and the HttpString. */
function canonicalName(name: string): string {
  return cosUriEncode(name).toLowerCase();
}

/**
 * Canonical form of a set of headers or parameters: keys lowercased after encoding,
 * values encoded (case kept), sorted by key in byte order.
 *
 * Repeated keys (e.g. `Foo` and `foo`) are all kept and ordered by value, as the Go SDK does.
 * `undefined` values count as `""`.
 *
 * @returns `list`: the keys joined with `;` (`q-header-list`/`q-url-param-list`);
 *   `joined`: `k=v` joined with `&` (the HttpString line).
 */
export function canonicalize(entries: Record<string, string | undefined>): { list: string; joined: string } {
  const pairs = Object.entries(entries).map(([k, v]): [string, string] => [
    canonicalName(k),
    cosUriEncode(v ?? ""),
  ]);
  pairs.sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]));
  return {
    list: pairs.map(([k]) => k).join(";"),
    joined: pairs.map(([k, v]) => `${k}=${v}`).join("&"),
  };
}

/**
 * Entries whose canonical name is in `names`. Matching on the canonical form makes
 * the lookup case-insensitive, as HTTP header names are.
 *
 * @internal shared with `./verify`.
 */
export function selectByName(
  entries: Record<string, string | undefined>,
  names: readonly string[],
  keepUndefined: boolean,
): Record<string, string | undefined> {
  const wanted = new Set(names);
  // fromEntries, not assignment, so that a key such as "__proto__" stays a plain entry.
  return Object.fromEntries(
    Object.entries(entries).filter(
      ([k, v]) => (v !== undefined || keepUndefined) && wanted.has(canonicalName(k)),
    ),
  );
}

/**
 * `HttpString = lower(method) \n pathname \n HttpParameters \n HttpHeaders \n`.
 *
 * @param signedHeaderNames header names in canonical form (lowercased, encoded, as in
 *   `q-header-list`); matching request headers with a defined value are included, even `""`.
 * @param signedParamNames parameter names in canonical form (as in `q-url-param-list`);
 *   an `undefined` value is included as valueless (`name=`).
 */
export function httpString(
  req: CosSignableRequest,
  signedHeaderNames: string[],
  signedParamNames: string[],
): string {
  const params = canonicalize(selectByName(req.query, signedParamNames, true));
  const headers = canonicalize(selectByName(req.headers, signedHeaderNames, false));
  return [req.method.toLowerCase(), req.pathname, params.joined, headers.joined, ""].join("\n");
}

/**
 * `StringToSign = "sha1\n" + SignTime + "\n" + hex(SHA1(HttpString)) + "\n"`.
 *
 * @param signTime the `q-sign-time` value. The doc and the node SDK put q-sign-time here,
 *   the Go SDK q-key-time; every SDK sends them equal, so both readings agree.
 */
export function stringToSign(signTime: string, httpString: string): string {
  return `sha1\n${signTime}\n${hashHex("sha1", httpString)}\n`;
}

/** `Signature = hex(HMAC-SHA1(SignKey, StringToSign))`, keyed by the SignKey hex string's bytes. */
export function signature(signKey: string, stringToSign: string): string {
  return hmac("sha1", signKey, stringToSign).toString("hex");
}

/**
 * Whether cos-nodejs-sdk-v5 3.0.0 signs a header by default: its fixed list plus every
 * `x-cos-*` and `x-ci-*` header. (Node matches `x-cos-`/`x-ci-` anywhere in the name; we
 * require a prefix, which is what the Go and Python SDKs do and what the names mean.)
 */
export function isSignedByDefault(headerName: string): boolean {
  const name = headerName.toLowerCase();
  return DEFAULT_SIGNED_HEADERS.has(name) || name.startsWith("x-cos-") || name.startsWith("x-ci-");
}

/**
 * The full `Authorization` header value for a request.
 *
 * Headers are signed when `opts.signHeaders` (default {@link isSignedByDefault}) accepts
 * their lowercased name and their value is neither `undefined` nor `""` (as the node SDK,
 * which drops empty headers before signing). All query parameters are signed unless
 * `opts.signParams` says otherwise.
 *
 * With `creds.securityToken`, the request is signed as carrying `x-cos-security-token:
 * <token>` (Go/Python style). The caller must send that header ({@link signCosRequest}
 * adds it); this function does not change `req`. To sign like the node SDK, which adds the token after signing, exclude
 * `x-cos-security-token` via `signHeaders`; the service accepts both.
 *
 * @throws RangeError for an invalid time window (see {@link keyTime}).
 * @throws Error if `req.headers` holds a different `x-cos-security-token` than `creds`.
 */
export function authorize(creds: CosCredentials, req: CosSignableRequest, opts: CosAuthorizeOptions): string {
  const signHeaders = opts.signHeaders ?? isSignedByDefault;
  const signParams = opts.signParams ?? (() => true);
  const time = keyTime(opts.startTime, opts.endTime);

  const headers = Object.fromEntries(
    Object.entries(withSecurityToken(SECURITY_TOKEN_HEADER, creds.securityToken, req.headers)).filter(
      ([k, v]) => v !== undefined && v !== "" && signHeaders(k.toLowerCase()),
    ),
  );
  const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => signParams(k)));
  const headerList = canonicalize(headers).list;
  const paramList = canonicalize(query).list;

  const signed: CosSignableRequest = { method: req.method, pathname: req.pathname, query, headers };
  const http = httpString(signed, splitList(headerList), splitList(paramList));
  const sig = signature(signKey(creds.secretKey, time), stringToSign(time, http));
  return [
    "q-sign-algorithm=sha1",
    `q-ak=${creds.secretId}`,
    `q-sign-time=${time}`,
    `q-key-time=${time}`,
    `q-header-list=${headerList}`,
    `q-url-param-list=${paramList}`,
    `q-signature=${sig}`,
  ].join("&");
}

/**
 * `"a;b"` → `["a", "b"]`, `""` → `[]`: a signature's header or parameter list.
 *
 * @internal shared with `./verify`.
 */
export function splitList(list: string): string[] {
  return list === "" ? [] : list.split(";");
}

/** Options of {@link signCosRequest}. */
export interface CosSignOptions {
  /** How long the signature is valid after `nowSeconds`, in seconds. */
  ttlSeconds: number;
}

/**
 * `request` signed for COS at `nowSeconds`: with the session token
 * (`x-cos-security-token`, signed like any `x-cos-*` header) and the
 * `Authorization` header. The request is not changed; a signed copy is returned.
 *
 * @throws what {@link authorize} throws.
 */
export function signCosRequest(
  creds: CosCredentials,
  request: RequestToSign,
  nowSeconds: number,
  options: CosSignOptions,
): RequestToSign {
  const headers = { ...withSecurityToken(SECURITY_TOKEN_HEADER, creds.securityToken, request.headers) };
  // Start a little in the past so that a server clock slightly behind ours still accepts it.
  headers["Authorization"] = authorize(
    creds,
    { method: request.method, pathname: request.pathname, query: request.query, headers },
    { startTime: nowSeconds - 60, endTime: nowSeconds + options.ttlSeconds },
  );
  return { ...request, headers };
}
