/**
 * Alibaba Cloud RPC (POP) request signing, `HMAC-SHA1` with
 * `SignatureVersion` 1.0, as pure functions: the provider signs its STS
 * calls with them and the emulator rebuilds the same string to verify them
 * (`docs/credentials.md` §2). Tested against the published example and byte
 * equality with `@alicloud/openapi-util`.
 */
import { compareCodeUnits, constantTimeEqual, hmac, rfc3986Encode } from "../../clouds/common/signing";

/** `SignatureMethod` of the RPC signature. */
export const RPC_SIGNATURE_METHOD = "HMAC-SHA1";

/** `SignatureVersion` of the RPC signature. */
export const RPC_SIGNATURE_VERSION = "1.0";

/** A key pair that signs RPC requests. */
export interface RpcCredentials {
  /** AccessKeyId. */
  accessKeyId: string;
  /** AccessKeySecret. */
  accessKeySecret: string;
  /** STS token of temporary credentials, sent as `SecurityToken`. */
  securityToken?: string;
}

/**
 * The canonicalized query: every parameter except `Signature`, names and
 * values RFC 3986-encoded (Alibaba's `percentEncode`), sorted by encoded
 * name in byte order, joined as `k=v&…`.
 */
export function rpcCanonicalQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .filter(([k]) => k !== "Signature")
    .map(([k, v]) => [rfc3986Encode(k), rfc3986Encode(v)] as const)
    .sort((a, b) => compareCodeUnits(a[0], b[0]))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** The string to sign: `METHOD&%2F&percentEncode(canonicalQuery)`. */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${rfc3986Encode("/")}&${rfc3986Encode(rpcCanonicalQuery(params))}`;
}

/** The base64 signature: HMAC-SHA1 keyed with `secret + "&"`. */
export function rpcSignature(accessKeySecret: string, stringToSign: string): string {
  return hmac("sha1", accessKeySecret + "&", stringToSign).toString("base64");
}

/** `Timestamp` format: ISO 8601 UTC to the second, e.g. `2016-02-23T12:46:24Z`. */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One RPC call to sign. */
export interface RpcCall {
  /** `Action`, e.g. `AssumeRole`. */
  action: string;
  /** `Version`, e.g. `2015-04-01`. */
  version: string;
  /** The action's own parameters (strings as sent). */
  params: Record<string, string>;
  /** HTTP method that carries it (signed). */
  method: "GET" | "POST";
  /** The signing time. */
  date: Date;
  /** `SignatureNonce`, unique per request. */
  nonce: string;
}

/**
 * Every parameter of the signed call, `Signature` included, ready to send as
 * a query string or form body. Without credentials (`AssumeRoleWithOIDC`,
 * which the token authenticates) only the common non-signature parameters
 * are added, as in the SDKs.
 */
export function signRpcCall(call: RpcCall, credentials: RpcCredentials | undefined): Record<string, string> {
  const params: Record<string, string> = {
    ...call.params,
    Action: call.action,
    Version: call.version,
    Format: "JSON",
    Timestamp: rpcTimestamp(call.date),
    SignatureNonce: call.nonce,
  };
  if (credentials === undefined) return params;
  params.AccessKeyId = credentials.accessKeyId;
  params.SignatureMethod = RPC_SIGNATURE_METHOD;
  params.SignatureVersion = RPC_SIGNATURE_VERSION;
  if (credentials.securityToken !== undefined && credentials.securityToken !== "") {
    params.SecurityToken = credentials.securityToken;
  }
  params.Signature = rpcSignature(credentials.accessKeySecret, rpcStringToSign(call.method, params));
  return params;
}

/**
 * Whether `params` (query and form parameters merged, decoded) carry a valid
 * `Signature` by `accessKeySecret` for `method` (constant-time comparison).
 * The caller checks `AccessKeyId`, `SignatureMethod`, `SignatureVersion`,
 * the timestamp window and nonce reuse.
 */
export function verifyRpc(method: string, params: Record<string, string>, accessKeySecret: string): boolean {
  const given = params.Signature;
  if (given === undefined) return false;
  return constantTimeEqual(rpcSignature(accessKeySecret, rpcStringToSign(method, params)), given);
}
