/**
 * Alibaba Cloud STS (RPC, version 2015-04-01): `AssumeRole`, signed with the
 * caller's key pair (HMAC-SHA1, ./sts-signer), and `AssumeRoleWithOIDC`,
 * which the OIDC token authenticates. Parameters go in a form body; both
 * answer `{"RequestId","AssumedRoleUser":{…},"Credentials":{"AccessKeyId",
 * "AccessKeySecret","SecurityToken","Expiration"}}`, or `{"RequestId",
 * "Code","Message"}` (`docs/credentials.md` §2).
 */
import { randomUUID } from "crypto";
import { exchange, expiryMs, jsonString } from "../common/http";
import { CredentialsError, type KeyPair, type SourceContext } from "../common/types";
import { signRpcCall } from "./sts-signer";

/** The public STS endpoint. */
export const ALIBABA_STS_URL = "https://sts.aliyuncs.com";

/** The STS API version. */
export const ALIBABA_STS_VERSION = "2015-04-01";

/** The parameters of `AssumeRole`. */
export interface AlibabaAssumeRole {
  /** `RoleArn`, e.g. `acs:ram::1234567890:role/deployer`. */
  roleArn: string;
  /** `RoleSessionName`. */
  sessionName: string;
  /** `DurationSeconds`. */
  durationSeconds: number;
  /** `Policy` (JSON text). */
  policy?: string;
  /** `ExternalId`. */
  externalId?: string;
}

/** The parameters of `AssumeRoleWithOIDC`. */
export interface AlibabaOidc {
  /** `RoleArn`. */
  roleArn: string;
  /** `OIDCProviderArn`. */
  oidcProviderArn: string;
  /** `OIDCToken`. */
  oidcToken: string;
  /** `RoleSessionName`. */
  sessionName: string;
  /** `DurationSeconds`. */
  durationSeconds: number;
  /** `Policy` (JSON text). */
  policy?: string;
}

async function call(
  ctx: SourceContext,
  stsUrl: string,
  action: string,
  params: Record<string, string>,
  signer: KeyPair | undefined,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const url = stsUrl.replace(/\/+$/, "") + "/";
  const signed = signRpcCall(
    {
      action,
      version: ALIBABA_STS_VERSION,
      params,
      method: "POST",
      date: new Date(ctx.now()),
      nonce: randomUUID(),
    },
    signer && { accessKeyId: signer.keyId, accessKeySecret: signer.secret, securityToken: signer.token },
  );
  const what = `Alibaba STS ${action} at ${url}`;
  const answer = await exchange(
    ctx,
    what,
    url,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(signed).toString(),
    },
    signal,
  );
  const code = jsonString(answer.json, "Code");
  const requestId = jsonString(answer.json, "RequestId");
  if (answer.status >= 300 || code !== undefined) {
    const message = jsonString(answer.json, "Message") ?? `HTTP ${answer.status}`;
    throw new CredentialsError(
      `${what}: ${code ?? "error"}: ${message}${requestId ? ` (request id ${requestId})` : ""}`,
      { code },
    );
  }
  const keyId = jsonString(answer.json, "Credentials", "AccessKeyId");
  const secret = jsonString(answer.json, "Credentials", "AccessKeySecret");
  const token = jsonString(answer.json, "Credentials", "SecurityToken");
  if (!keyId || !secret || !token) throw new CredentialsError(`${what}: the answer holds no Credentials`);
  return { keyId, secret, token, expiresAt: expiryMs(jsonString(answer.json, "Credentials", "Expiration")) };
}

/**
 * Calls `AssumeRole` signed by `signer`.
 *
 * @throws CredentialsError with STS's code, message and request id on refusal.
 */
export function alibabaAssumeRole(
  ctx: SourceContext,
  stsUrl: string,
  signer: KeyPair,
  req: AlibabaAssumeRole,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const params: Record<string, string> = {
    RoleArn: req.roleArn,
    RoleSessionName: req.sessionName,
    DurationSeconds: String(req.durationSeconds),
  };
  if (req.policy !== undefined) params.Policy = req.policy;
  if (req.externalId !== undefined) params.ExternalId = req.externalId;
  return call(ctx, stsUrl, "AssumeRole", params, signer, signal);
}

/**
 * Calls `AssumeRoleWithOIDC` (unsigned: the token authenticates it).
 *
 * @throws CredentialsError with STS's code, message and request id on refusal.
 */
export function alibabaAssumeRoleWithOidc(
  ctx: SourceContext,
  stsUrl: string,
  req: AlibabaOidc,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const params: Record<string, string> = {
    RoleArn: req.roleArn,
    OIDCProviderArn: req.oidcProviderArn,
    OIDCToken: req.oidcToken,
    RoleSessionName: req.sessionName,
    DurationSeconds: String(req.durationSeconds),
  };
  if (req.policy !== undefined) params.Policy = req.policy;
  return call(ctx, stsUrl, "AssumeRoleWithOIDC", params, undefined, signal);
}
