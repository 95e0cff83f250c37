/**
 * The instance metadata credential endpoints of both clouds, served by the
 * emulator on its one port (`docs/protocol.md` §7), so that the provider's
 * instance-role sources run offline against them:
 *
 * | request                                                      | answer                                  |
 * |--------------------------------------------------------------|-----------------------------------------|
 * | Tencent CVM `GET /latest/meta-data/cam/security-credentials/` | the role name (text)                    |
 * | `GET /latest/meta-data/cam/security-credentials/<role>`      | `{"TmpSecretId","TmpSecretKey","Token","ExpiredTime","Expiration","Code":"Success"}` |
 * | Alibaba ECS `PUT /latest/api/token` + `X-aliyun-ecs-metadata-token-ttl-seconds: 1…21600` | a session token (text) |
 * | `GET /latest/meta-data/ram/security-credentials/` + `X-aliyun-ecs-metadata-token` | the role name (text) |
 * | `GET /latest/meta-data/ram/security-credentials/<role>` + the token | `{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration","LastUpdated","Code":"Success"}` |
 *
 * The ECS side runs in hardened mode only: a credentials request without a
 * valid, unexpired session token is 401, so the provider's token step is
 * exercised. An unknown role is 404; a TTL header missing or out of range is
 * 400. The role's credential is reused until half its life has gone.
 */
import { randomBytes } from "crypto";
import type { EmulatorRequest, EmulatorResponse } from "./contract";
import { instanceCredential, isoSeconds, jsonReply, textReply, type ServiceState } from "./sts/common";

/** Tencent CVM's credentials path. */
export const CVM_CREDENTIALS_PATH = "/latest/meta-data/cam/security-credentials/";
/** Alibaba ECS's credentials path. */
export const ECS_CREDENTIALS_PATH = "/latest/meta-data/ram/security-credentials/";
/** Alibaba ECS's session token path (hardened mode). */
export const ECS_TOKEN_PATH = "/latest/api/token";
/** The longest ECS metadata session token, seconds. */
export const ECS_TOKEN_MAX_TTL_SECONDS = 21600;

/** Which metadata service a request is for, if any. */
export function metadataServiceOf(req: EmulatorRequest): "tencent-metadata" | "alibaba-metadata" | undefined {
  if (req.headers.authorization !== undefined || "inventory" in req.query) return undefined;
  const path = req.pathname.endsWith("/") ? req.pathname : `${req.pathname}/`;
  if (path.startsWith(CVM_CREDENTIALS_PATH)) return "tencent-metadata";
  if (path.startsWith(ECS_CREDENTIALS_PATH) || req.pathname === ECS_TOKEN_PATH) return "alibaba-metadata";
  return undefined;
}

/** The role a credentials path names: `""` for the listing, else the name. */
function roleInPath(pathname: string, prefix: string): string {
  return pathname.length <= prefix.length ? "" : pathname.slice(prefix.length).replace(/\/$/, "");
}

/** Serves Tencent CVM metadata. */
export function serveTencentMetadata(req: EmulatorRequest, state: ServiceState): EmulatorResponse {
  if (req.method !== "GET") return textReply(405, "Method Not Allowed", "MethodNotAllowed");
  const role = roleInPath(req.pathname, CVM_CREDENTIALS_PATH);
  if (role === "") return textReply(200, state.instanceRole);
  if (role !== state.instanceRole) return textReply(404, "Not Found", "NotFound");
  const credential = instanceCredential(state, "cos");
  return jsonReply(200, {
    TmpSecretId: credential.id,
    TmpSecretKey: credential.secret,
    ExpiredTime: Math.floor(credential.expiresAt / 1000),
    Expiration: isoSeconds(credential.expiresAt),
    Token: credential.token,
    Code: "Success",
  });
}

/** Issues an ECS metadata session token for the TTL header's seconds. */
function issueSessionToken(req: EmulatorRequest, state: ServiceState): EmulatorResponse {
  const ttl = Number(req.headers["x-aliyun-ecs-metadata-token-ttl-seconds"]);
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > ECS_TOKEN_MAX_TTL_SECONDS) {
    return textReply(
      400,
      `X-aliyun-ecs-metadata-token-ttl-seconds must be a whole number from 1 to ${ECS_TOKEN_MAX_TTL_SECONDS}`,
      "InvalidTokenTTL",
    );
  }
  const now = state.now();
  for (const [token, until] of state.metadataTokens) if (until <= now) state.metadataTokens.delete(token);
  const token = randomBytes(32).toString("base64url");
  state.metadataTokens.set(token, now + ttl * 1000);
  return textReply(200, token);
}

/** Serves Alibaba ECS metadata (hardened mode). */
export function serveAlibabaMetadata(req: EmulatorRequest, state: ServiceState): EmulatorResponse {
  if (req.pathname === ECS_TOKEN_PATH) {
    return req.method === "PUT"
      ? issueSessionToken(req, state)
      : textReply(405, "Method Not Allowed", "MethodNotAllowed");
  }
  if (req.method !== "GET") return textReply(405, "Method Not Allowed", "MethodNotAllowed");
  const until = state.metadataTokens.get(req.headers["x-aliyun-ecs-metadata-token"] ?? "");
  if (until === undefined || until <= state.now()) {
    return textReply(401, "Unauthorized: a valid X-aliyun-ecs-metadata-token is required", "Unauthorized");
  }
  const role = roleInPath(req.pathname, ECS_CREDENTIALS_PATH);
  if (role === "") return textReply(200, state.instanceRole);
  if (role !== state.instanceRole) return textReply(404, "Not Found", "NotFound");
  const credential = instanceCredential(state, "oss");
  return jsonReply(200, {
    AccessKeyId: credential.id,
    AccessKeySecret: credential.secret,
    Expiration: isoSeconds(credential.expiresAt),
    SecurityToken: credential.token,
    LastUpdated: isoSeconds(credential.issuedAt),
    Code: "Success",
  });
}
