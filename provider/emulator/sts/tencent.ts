/**
 * Tencent Cloud STS (API 3.0, version 2018-08-13) as the emulator serves it,
 * on its one port next to COS and OSS (`docs/protocol.md` §7):
 *
 * | request (JSON `POST /`, `X-TC-Version: 2018-08-13`) | answer                               |
 * |-----------------------------------------------------|--------------------------------------|
 * | `X-TC-Action: AssumeRole`, TC3-HMAC-SHA256 signed   | `{"Response":{"Credentials":{…},"ExpiredTime","Expiration","RequestId"}}` |
 * | `X-TC-Action: AssumeRoleWithWebIdentity` (`Authorization: SKIP`) | the same shape              |
 *
 * Errors are HTTP 200 with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, as API 3.0
 * answers them. AssumeRole is checked in this order: an `Authorization` that is not TC3 →
 * `AuthFailure.InvalidAuthorization`; `X-TC-Timestamp` missing or over 5 minutes off →
 * `AuthFailure.SignatureExpire`; unknown SecretId → `AuthFailure.SecretIdNotFound`; a temporary
 * SecretId without its `X-TC-Token`, with another, or expired → `AuthFailure.TokenFailure`;
 * `content-type` or `host` unsigned, or a wrong signature → `AuthFailure.SignatureFailure`.
 * Then both actions: a body that is not a JSON object → `InvalidParameter`; a required parameter
 * missing → `MissingParameter`; a malformed `RoleArn` → `InvalidParameter.ResourceError`;
 * `DurationSeconds` outside 1–43200 → `InvalidParameterValue`; a web identity token that is
 * not a JWT with `iss` and `sub`, or whose `exp` has passed → `InvalidParameter.WebIdentityTokenError`.
 */
import { parseTc3Authorization, verifyTc3 } from "../../credentials/cos/sts-signer";
import type { EmulatorRequest, EmulatorResponse } from "../contract";
import {
  callerSecret,
  integerParameter,
  isoSeconds,
  jsonReply,
  readWebIdentityToken,
  serviceRequestId,
} from "./common";
import type { ServiceState } from "./common";

/** The STS API version the emulator serves. */
export const TENCENT_STS_VERSION = "2018-08-13";
/** How far (seconds) `X-TC-Timestamp` may be from the server clock, as API 3.0 allows. */
export const TC3_MAX_SKEW_SECONDS = 300;
/** The longest `DurationSeconds` Tencent STS accepts. */
export const TENCENT_MAX_DURATION_SECONDS = 43200;

/** The actions served. */
const ACTIONS = ["AssumeRole", "AssumeRoleWithWebIdentity"] as const;

/** An API 3.0 error to answer. */
class TencentStsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a request is a Tencent API 3.0 call (the STS route of the pipeline). */
export function isTencentStsRequest(req: EmulatorRequest): boolean {
  return req.method === "POST" && req.headers["x-tc-action"] !== undefined;
}

/** The action a request names, for the request log. */
export function tencentStsAction(req: EmulatorRequest): string {
  return req.headers["x-tc-action"] ?? "";
}

/** Checks an AssumeRole call's TC3 signature; throws a {@link TencentStsError}. */
function authenticate(req: EmulatorRequest, state: ServiceState): void {
  const auth = parseTc3Authorization(req.headers.authorization);
  if (!auth) {
    throw new TencentStsError(
      "AuthFailure.InvalidAuthorization",
      "The Authorization header is not a TC3-HMAC-SHA256 signature.",
    );
  }
  const timestamp = Number(req.headers["x-tc-timestamp"]);
  const nowSec = Math.floor(state.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || Math.abs(timestamp - nowSec) > TC3_MAX_SKEW_SECONDS) {
    throw new TencentStsError(
      "AuthFailure.SignatureExpire",
      `Signature expired: X-TC-Timestamp ${req.headers["x-tc-timestamp"] ?? "(none)"} is more than ${TC3_MAX_SKEW_SECONDS} s from the server time ${nowSec}.`,
    );
  }
  const caller = callerSecret(state, "cos", auth.secretId, req.headers["x-tc-token"]);
  if (caller === "unknown") {
    throw new TencentStsError("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
  }
  if (typeof caller === "string") {
    throw new TencentStsError("AuthFailure.TokenFailure", `The X-TC-Token is ${caller}.`);
  }
  const secret = caller.secret;
  const signed = auth.signedHeaders.map((h) => h.toLowerCase());
  if (
    !signed.includes("content-type") ||
    !signed.includes("host") ||
    !signatureMatches(req, auth, timestamp, secret)
  ) {
    throw new TencentStsError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  }
}

/**
 * Whether the TC3 signature is right for the `Host` as sent or, when it has
 * a port, for the host name alone: the official Node SDK signs
 * `URL.hostname`, which drops the port (the real endpoint has none).
 */
function signatureMatches(
  req: EmulatorRequest,
  auth: NonNullable<ReturnType<typeof parseTc3Authorization>>,
  timestamp: number,
  secret: string,
): boolean {
  const host = req.headers.host ?? "";
  const bare = host.replace(/:\d+$/, "");
  return [host, bare].some((h, i) => {
    if (i > 0 && h === host) return false;
    const input = {
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      headers: { ...req.headers, host: h },
      payload: req.body,
    };
    return verifyTc3(auth, input, timestamp, secret);
  });
}

/** The JSON body as an object; throws `InvalidParameter` otherwise. */
function parameters(req: EmulatorRequest): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString("utf8") || "{}");
  } catch {
    throw new TencentStsError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TencentStsError("InvalidParameter", "The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** A required string parameter; throws `MissingParameter`. */
function required(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value === "") {
    throw new TencentStsError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
  }
  return value;
}

/** Checks the parameters both actions share; returns the lifetime asked for. */
function roleParameters(params: Record<string, unknown>): number | undefined {
  const roleArn = required(params, "RoleArn");
  required(params, "RoleSessionName");
  if (!/^qcs::cam::uin\/\d+:role(Name)?\/[\w+=,.@-]+$/.test(roleArn)) {
    throw new TencentStsError(
      "InvalidParameter.ResourceError",
      `RoleArn "${roleArn}" is not a role, e.g. qcs::cam::uin/100000000001:roleName/deployer.`,
    );
  }
  const duration = integerParameter(params.DurationSeconds, 1, TENCENT_MAX_DURATION_SECONDS);
  if (Number.isNaN(duration)) {
    throw new TencentStsError(
      "InvalidParameterValue",
      `DurationSeconds must be a whole number from 1 to ${TENCENT_MAX_DURATION_SECONDS}.`,
    );
  }
  return duration;
}

/** Checks AssumeRoleWithWebIdentity's own parameters. */
function webIdentity(params: Record<string, unknown>, nowMs: number): void {
  required(params, "ProviderId");
  const claims = readWebIdentityToken(required(params, "WebIdentityToken"), nowMs);
  if (typeof claims === "string") {
    throw new TencentStsError(
      "InvalidParameter.WebIdentityTokenError",
      `The WebIdentityToken is ${claims === "expired" ? "expired" : "not a JWT with iss and sub"}.`,
    );
  }
}

/** Serves one Tencent STS call (never throws for a client error). */
export function serveTencentSts(req: EmulatorRequest, state: ServiceState): EmulatorResponse {
  const requestId = serviceRequestId(false);
  try {
    const action = tencentStsAction(req);
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new TencentStsError(
        "InvalidAction",
        `The action ${action} is not served (known: ${ACTIONS.join(", ")}).`,
      );
    }
    if (req.headers["x-tc-version"] !== TENCENT_STS_VERSION) {
      throw new TencentStsError("NoSuchVersion", `The API version must be ${TENCENT_STS_VERSION}.`);
    }
    if (action === "AssumeRole") authenticate(req, state);
    const params = parameters(req);
    const asked = roleParameters(params);
    if (action === "AssumeRoleWithWebIdentity") webIdentity(params, state.now());
    const credential = state.temporary.issue("cos", asked);
    return jsonReply(200, {
      Response: {
        Credentials: {
          Token: credential.token,
          TmpSecretId: credential.id,
          TmpSecretKey: credential.secret,
        },
        ExpiredTime: Math.floor(credential.expiresAt / 1000),
        Expiration: isoSeconds(credential.expiresAt),
        RequestId: requestId,
      },
    });
  } catch (err) {
    if (!(err instanceof TencentStsError)) throw err;
    // API 3.0 answers errors with HTTP 200; the code is in the body.
    return jsonReply(
      200,
      { Response: { Error: { Code: err.code, Message: err.message }, RequestId: requestId } },
      err.code,
    );
  }
}
