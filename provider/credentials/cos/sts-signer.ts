/**
 * Tencent Cloud API 3.0 request signing, `TC3-HMAC-SHA256`, as pure
 * functions: the provider signs its STS calls with them and the emulator
 * rebuilds the same canonical request to verify them (`docs/credentials.md`
 * §1). Tested against byte equality with tencentcloud-sdk-nodejs-common.
 */
import { createHash } from "crypto";
import { compareCodeUnits, constantTimeEqual, hashHex, hmac } from "../../clouds/common/signing";

/** The algorithm name, first word of the `Authorization` header. */
export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

/** The JSON content type the SDKs send (and sign). */
export const TC3_CONTENT_TYPE = "application/json; charset=utf-8";

/** A key pair that signs API 3.0 requests. */
export interface Tc3Credentials {
  /** SecretId. */
  secretId: string;
  /** SecretKey. */
  secretKey: string;
  /** Session token of temporary credentials, sent as `X-TC-Token`. */
  token?: string;
}

/** What a TC3 canonical request is built from. */
export interface Tc3CanonicalInput {
  /** HTTP method, uppercase. */
  method: string;
  /** URL path as sent (`/` for the JSON API). */
  path: string;
  /** Raw query string as sent, without `?` (`""` for POST). */
  query: string;
  /** Request headers (any case); the signed ones must be present. */
  headers: Record<string, string | undefined>;
  /** Lowercase names of the signed headers, e.g. `["content-type", "host"]`. */
  signedHeaders: readonly string[];
  /** Request body as sent. */
  payload: string | Buffer;
}

/** The parts of a TC3 `Authorization` header. */
export interface Tc3Authorization {
  /** The SecretId that signed. */
  secretId: string;
  /** Credential scope date, `YYYY-MM-DD` (UTC). */
  date: string;
  /** Credential scope service, e.g. `sts`. */
  service: string;
  /** Lowercase signed header names, in header order. */
  signedHeaders: string[];
  /** Hex signature. */
  signature: string;
}

/** The UTC date `YYYY-MM-DD` of a unix timestamp (seconds), the credential scope date. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/**
 * The canonical request: method, path, query, `name:value\n` for each signed
 * header (lowercase names, sorted, values trimmed), the signed names joined
 * by `;`, and the hex SHA-256 of the payload.
 *
 * @throws Error if a signed header is missing from `input.headers`.
 */
export function tc3CanonicalRequest(input: Tc3CanonicalInput): string {
  const names = [...input.signedHeaders].map((n) => n.toLowerCase()).sort(compareCodeUnits);
  const lines = names.map((name) => {
    const value = headerValue(input.headers, name);
    if (value === undefined) throw new Error(`signed header ${name} is missing from the request`);
    return `${name}:${value.trim()}\n`;
  });
  // A string body is hashed as UTF-8, a Buffer as its bytes.
  const payloadHash = createHash("sha256").update(input.payload).digest("hex");
  return [
    input.method.toUpperCase(),
    input.path,
    input.query,
    lines.join(""),
    names.join(";"),
    payloadHash,
  ].join("\n");
}

/** The string to sign: algorithm, timestamp, credential scope, hex SHA-256 of the canonical request. */
export function tc3StringToSign(canonicalRequest: string, timestamp: number, service: string): string {
  return [
    TC3_ALGORITHM,
    String(timestamp),
    `${tc3Date(timestamp)}/${service}/tc3_request`,
    hashHex("sha256", canonicalRequest),
  ].join("\n");
}

/** The hex signature: HMAC-SHA256 chained over `TC3<key>`, date, service, `tc3_request`, then the string to sign. */
export function tc3Signature(secretKey: string, date: string, service: string, stringToSign: string): string {
  const kDate = hmac("sha256", "TC3" + secretKey, date);
  const kService = hmac("sha256", kDate, service);
  const kSigning = hmac("sha256", kService, "tc3_request");
  return hmac("sha256", kSigning, stringToSign).toString("hex");
}

/** The `Authorization` header value for `input`, signed at `timestamp` (unix seconds) for `service`. */
export function tc3Authorization(
  credentials: Pick<Tc3Credentials, "secretId" | "secretKey">,
  input: Tc3CanonicalInput,
  timestamp: number,
  service: string,
): string {
  const signature = tc3Signature(
    credentials.secretKey,
    tc3Date(timestamp),
    service,
    tc3StringToSign(tc3CanonicalRequest(input), timestamp, service),
  );
  const names = [...input.signedHeaders]
    .map((n) => n.toLowerCase())
    .sort(compareCodeUnits)
    .join(";");
  return `${TC3_ALGORITHM} Credential=${credentials.secretId}/${tc3Date(timestamp)}/${service}/tc3_request, SignedHeaders=${names}, Signature=${signature}`;
}

/** Parses a TC3 `Authorization` header; undefined when it is not one. */
export function parseTc3Authorization(header: string | undefined): Tc3Authorization | undefined {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request, ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/.exec(
      (header ?? "").trim(),
    );
  if (!m) return undefined;
  return { secretId: m[1], date: m[2], service: m[3], signedHeaders: m[4].split(";"), signature: m[5] };
}

/**
 * Whether `auth` is a valid signature of `input` at `timestamp` by `secretKey`
 * (constant-time comparison). The caller checks the SecretId, the clock skew
 * and that `content-type` and `host` are among the signed headers.
 */
export function verifyTc3(
  auth: Tc3Authorization,
  input: Omit<Tc3CanonicalInput, "signedHeaders">,
  timestamp: number,
  secretKey: string,
): boolean {
  if (auth.date !== tc3Date(timestamp)) return false;
  let canonical: string;
  try {
    canonical = tc3CanonicalRequest({ ...input, signedHeaders: auth.signedHeaders });
  } catch {
    return false;
  }
  const expected = tc3Signature(
    secretKey,
    auth.date,
    auth.service,
    tc3StringToSign(canonical, timestamp, auth.service),
  );
  return constantTimeEqual(expected, auth.signature);
}

/** One API 3.0 call to sign (a JSON `POST /`). */
export interface Tc3Call {
  /** Host the request goes to, e.g. `sts.tencentcloudapi.com` (signed). */
  host: string;
  /** Service in the credential scope, e.g. `sts`. */
  service: string;
  /** `X-TC-Action`, e.g. `AssumeRole`. */
  action: string;
  /** `X-TC-Version`, e.g. `2018-08-13`. */
  version: string;
  /** `X-TC-Region`, when the call takes one. */
  region?: string;
  /** JSON body as sent. */
  payload: string;
  /** Unix seconds, `X-TC-Timestamp`. */
  timestamp: number;
}

/**
 * The headers of a signed API 3.0 JSON call, as tencentcloud-sdk-nodejs
 * sends them (`content-type` and `host` signed). Without credentials (the
 * web-identity call, which the token itself authenticates) the
 * `Authorization` is `SKIP`, as in the SDK.
 */
export function signTc3Call(call: Tc3Call, credentials: Tc3Credentials | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": TC3_CONTENT_TYPE,
    Host: call.host,
    "X-TC-Action": call.action,
    "X-TC-Version": call.version,
    "X-TC-Timestamp": String(call.timestamp),
  };
  if (call.region !== undefined && call.region !== "") headers["X-TC-Region"] = call.region;
  if (credentials === undefined) return { ...headers, Authorization: "SKIP" };
  if (credentials.token !== undefined && credentials.token !== "") headers["X-TC-Token"] = credentials.token;
  const input: Tc3CanonicalInput = {
    method: "POST",
    path: "/",
    query: "",
    headers,
    signedHeaders: ["content-type", "host"],
    payload: call.payload,
  };
  return { ...headers, Authorization: tc3Authorization(credentials, input, call.timestamp, call.service) };
}
