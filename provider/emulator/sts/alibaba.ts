/**
 * Alibaba Cloud STS (RPC, version 2015-04-01) as the emulator serves it, on
 * its one port next to COS and OSS (`docs/protocol.md` §7). Parameters come
 * in the query string or a form body (`application/x-www-form-urlencoded`),
 * merged:
 *
 * | `Action`            | authentication                         | answer                                   |
 * |---------------------|----------------------------------------|------------------------------------------|
 * | `AssumeRole`        | RPC signature, HMAC-SHA1, version 1.0  | `{"RequestId","AssumedRoleUser":{…},"Credentials":{…}}` |
 * | `AssumeRoleWithOIDC`| the OIDC token (no signature)          | the same plus `OIDCTokenInfo`            |
 *
 * Errors are `{"RequestId","HostId","Code","Message","Recommend"}` with the HTTP status STS uses.
 * Checked in this order: `Version` not 2015-04-01 → 400 `InvalidVersion`; an unknown `Action` →
 * 404 `InvalidAction.NotFound`; `Format` other than JSON → 400 `InvalidParameter.Format`. For
 * AssumeRole: no `AccessKeyId` → 400 `MissingAccessKeyId`; unknown → 404
 * `InvalidAccessKeyId.NotFound`; a temporary one without its `SecurityToken`, with another or
 * expired → 400/403 `InvalidSecurityToken.*`; `SignatureMethod`/`SignatureVersion` other than
 * HMAC-SHA1/1.0 → 400 `InvalidSignatureMethod`/`InvalidSignatureVersion`; wrong signature → 400
 * `SignatureDoesNotMatch`; `Timestamp` missing, unreadable or over 15 minutes off → 400
 * `InvalidTimeStamp.Expired`; no `SignatureNonce` → 400 `MissingSignatureNonce`, a reused one →
 * 400 `SignatureNonceUsed`. Then: no `RoleArn`/`RoleSessionName` → 400 `MissingRoleArn`/
 * `MissingRoleSessionName`; a malformed `RoleArn` → 400 `InvalidParameter.RoleArn`;
 * `DurationSeconds` outside 900–43200 → 400 `InvalidParameter.DurationSeconds`; for OIDC, no
 * `OIDCProviderArn`/`OIDCToken` → 400 `MissingOIDCProviderArn`/`MissingOIDCToken`, a token that is
 * not a JWT with `iss` and `sub` → 400 `AuthenticationFail.OIDCToken.Invalid`, an expired one →
 * 400 `AuthenticationFail.OIDCToken.Expired`.
 */
import { RPC_SIGNATURE_METHOD, RPC_SIGNATURE_VERSION, verifyRpc } from "../../credentials/oss/sts-signer";
import type { EmulatorRequest, EmulatorResponse } from "../contract";
import {
  callerSecret as secretOfCaller,
  integerParameter,
  isoSeconds,
  jsonReply,
  readWebIdentityToken,
  serviceRequestId,
  type ServiceState,
  type WebIdentityClaims,
} from "./common";

/** The STS API version the emulator serves. */
export const ALIBABA_STS_VERSION = "2015-04-01";
/** How far (seconds) `Timestamp` may be from the server clock. */
export const RPC_MAX_SKEW_SECONDS = 15 * 60;
/** The `DurationSeconds` range Alibaba STS accepts. */
export const ALIBABA_DURATION_SECONDS = { min: 900, max: 43200 } as const;

/** The host name error bodies carry. */
const HOST_ID = "sts.aliyuncs.com";

/** An STS error to answer. */
class AlibabaStsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request's parameters: the query, then a form body's (decoded, the query's win). */
export function rpcParameters(req: EmulatorRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) if (!(k in out)) out[k] = v;
  }
  return { ...out, ...req.query };
}

/** Whether a request is an Alibaba RPC call to STS (the STS route of the pipeline). */
export function isAlibabaStsRequest(req: EmulatorRequest): boolean {
  if (req.method !== "GET" && req.method !== "POST") return false;
  if (req.headers.authorization !== undefined) return false;
  const params = rpcParameters(req);
  return params.Action !== undefined && params.Version !== undefined && !("inventory" in params);
}

/** The action a request names, for the request log. */
export function alibabaStsAction(req: EmulatorRequest): string {
  return rpcParameters(req).Action ?? "";
}

/** Forgets nonces whose window has passed, then records `nonce`; false when it was seen. */
function freshNonce(state: ServiceState, nonce: string): boolean {
  const now = state.now();
  for (const [seen, until] of state.nonces) if (until <= now) state.nonces.delete(seen);
  if (state.nonces.has(nonce)) return false;
  state.nonces.set(nonce, now + 2 * RPC_MAX_SKEW_SECONDS * 1000);
  return true;
}

/** The secret of the calling key (static, or temporary with its token). */
function callerSecret(params: Record<string, string>, state: ServiceState): string {
  const keyId = params.AccessKeyId;
  if (keyId === undefined || keyId === "") {
    throw new AlibabaStsError(400, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.");
  }
  const caller = secretOfCaller(state, "oss", keyId, params.SecurityToken);
  if (caller === "unknown") {
    throw new AlibabaStsError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  }
  if (caller === "expired") {
    throw new AlibabaStsError(403, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
  }
  if (typeof caller === "string") {
    throw new AlibabaStsError(
      400,
      "InvalidSecurityToken.MismatchWithAccessKey",
      "Specified SecurityToken mismatch with the AccessKey.",
    );
  }
  return caller.secret;
}

/** Checks an AssumeRole call's RPC signature, time and nonce; throws an {@link AlibabaStsError}. */
function authenticate(req: EmulatorRequest, params: Record<string, string>, state: ServiceState): void {
  const secret = callerSecret(params, state);
  if (params.SignatureMethod !== RPC_SIGNATURE_METHOD) {
    throw new AlibabaStsError(
      400,
      "InvalidSignatureMethod",
      `SignatureMethod must be ${RPC_SIGNATURE_METHOD}.`,
    );
  }
  if (params.SignatureVersion !== RPC_SIGNATURE_VERSION) {
    throw new AlibabaStsError(
      400,
      "InvalidSignatureVersion",
      `SignatureVersion must be ${RPC_SIGNATURE_VERSION}.`,
    );
  }
  if (!verifyRpc(req.method, params, secret)) {
    throw new AlibabaStsError(
      400,
      "SignatureDoesNotMatch",
      "Specified signature does not match our calculation.",
    );
  }
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.Timestamp ?? "")
    ? Date.parse(params.Timestamp)
    : NaN;
  if (Number.isNaN(time) || Math.abs(time - state.now()) > RPC_MAX_SKEW_SECONDS * 1000) {
    throw new AlibabaStsError(
      400,
      "InvalidTimeStamp.Expired",
      "Specified time stamp or date value is expired.",
    );
  }
  const nonce = params.SignatureNonce;
  if (nonce === undefined || nonce === "") {
    throw new AlibabaStsError(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.");
  }
  if (!freshNonce(state, nonce)) {
    throw new AlibabaStsError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
  }
}

/** A required parameter; throws `Missing<name>`. */
function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") {
    throw new AlibabaStsError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  return value;
}

/** The role, session and lifetime both actions take. */
function roleParameters(params: Record<string, string>): {
  roleArn: string;
  session: string;
  asked?: number;
} {
  const roleArn = required(params, "RoleArn");
  const session = required(params, "RoleSessionName");
  if (!/^acs:ram::\d+:role\/[\w.-]+$/i.test(roleArn)) {
    throw new AlibabaStsError(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
  }
  const { min, max } = ALIBABA_DURATION_SECONDS;
  const asked = integerParameter(params.DurationSeconds, min, max);
  if (Number.isNaN(asked)) {
    throw new AlibabaStsError(
      400,
      "InvalidParameter.DurationSeconds",
      `The DurationSeconds must be a whole number from ${min} to ${max}.`,
    );
  }
  return { roleArn, session, asked };
}

/** Reads AssumeRoleWithOIDC's token; throws `AuthenticationFail.OIDCToken.*`. */
function oidcClaims(params: Record<string, string>, nowMs: number): WebIdentityClaims {
  required(params, "OIDCProviderArn");
  const claims = readWebIdentityToken(required(params, "OIDCToken"), nowMs);
  if (claims === "expired") {
    throw new AlibabaStsError(400, "AuthenticationFail.OIDCToken.Expired", "The OIDCToken is expired.");
  }
  if (claims === "invalid") {
    throw new AlibabaStsError(
      400,
      "AuthenticationFail.OIDCToken.Invalid",
      "The OIDCToken is not a JWT with iss and sub.",
    );
  }
  return claims;
}

/** Serves one Alibaba STS call (never throws for a client error). */
export function serveAlibabaSts(req: EmulatorRequest, state: ServiceState): EmulatorResponse {
  const requestId = serviceRequestId(true);
  const params = rpcParameters(req);
  try {
    if (params.Version !== ALIBABA_STS_VERSION) {
      throw new AlibabaStsError(
        400,
        "InvalidVersion",
        `Specified parameter Version is not valid (${ALIBABA_STS_VERSION} is served).`,
      );
    }
    const action = params.Action;
    if (action !== "AssumeRole" && action !== "AssumeRoleWithOIDC") {
      throw new AlibabaStsError(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
      );
    }
    if ((params.Format ?? "JSON").toUpperCase() !== "JSON") {
      throw new AlibabaStsError(400, "InvalidParameter.Format", "This emulator answers Format=JSON only.");
    }
    if (action === "AssumeRole") authenticate(req, params, state);
    const { roleArn, session, asked } = roleParameters(params);
    const claims = action === "AssumeRoleWithOIDC" ? oidcClaims(params, state.now()) : undefined;
    const credential = state.temporary.issue("oss", asked);
    const account = /^acs:ram::(\d+):/.exec(roleArn)?.[1] ?? "";
    return jsonReply(200, {
      RequestId: requestId,
      ...(claims
        ? {
            OIDCTokenInfo: {
              Subject: claims.subject,
              Issuer: claims.issuer,
              ClientIds: claims.audiences.join(","),
            },
          }
        : {}),
      AssumedRoleUser: { AssumedRoleId: `${account}:${session}`, Arn: `${roleArn.toLowerCase()}/${session}` },
      Credentials: {
        SecurityToken: credential.token,
        AccessKeyId: credential.id,
        AccessKeySecret: credential.secret,
        Expiration: isoSeconds(credential.expiresAt),
      },
    });
  } catch (err) {
    if (!(err instanceof AlibabaStsError)) throw err;
    return jsonReply(
      err.status,
      {
        RequestId: requestId,
        HostId: HOST_ID,
        Code: err.code,
        Message: err.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Sts`,
      },
      err.code,
    );
  }
}
