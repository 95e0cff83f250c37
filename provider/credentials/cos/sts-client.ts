/**
 * Tencent Cloud STS (API 3.0, version 2018-08-13): `AssumeRole`, signed with
 * the caller's key pair (TC3-HMAC-SHA256, ./sts-signer), and
 * `AssumeRoleWithWebIdentity`, which the OIDC token authenticates. Both
 * answer `{"Response":{"Credentials":{"TmpSecretId","TmpSecretKey","Token"},
 * "ExpiredTime","Expiration","RequestId"}}`, or `{"Response":{"Error":
 * {"Code","Message"},"RequestId"}}` (`docs/credentials.md` §1).
 */
import { exchange, expiryMs, jsonString } from "../common/http";
import { CredentialsError, type KeyPair, type SourceContext } from "../common/types";
import { signTc3Call } from "./sts-signer";

/** The public STS endpoint. */
export const TENCENT_STS_URL = "https://sts.tencentcloudapi.com";

/** The STS API version. */
export const TENCENT_STS_VERSION = "2018-08-13";

/** Where STS is and which region the call names. */
export interface TencentStsTarget {
  /** Base URL, e.g. {@link TENCENT_STS_URL} or the emulator's `http://127.0.0.1:<port>`. */
  url: string;
  /** `X-TC-Region`. */
  region: string;
}

/** The parameters of `AssumeRole`. */
export interface TencentAssumeRole {
  /** `RoleArn`, e.g. `qcs::cam::uin/100000000001:roleName/deployer`. */
  roleArn: string;
  /** `RoleSessionName`. */
  sessionName: string;
  /** `DurationSeconds`. */
  durationSeconds: number;
  /** `Policy` (JSON text; sent URL-encoded, as the API asks). */
  policy?: string;
}

/** The parameters of `AssumeRoleWithWebIdentity`. */
export interface TencentWebIdentity {
  /** `RoleArn`. */
  roleArn: string;
  /** `RoleSessionName`. */
  sessionName: string;
  /** `DurationSeconds`. */
  durationSeconds: number;
  /** `WebIdentityToken`, the OIDC token. */
  webIdentityToken: string;
  /** `ProviderId` (`OIDC` unless told). */
  providerId: string;
}

async function call(
  ctx: SourceContext,
  target: TencentStsTarget,
  action: string,
  params: Record<string, unknown>,
  signer: KeyPair | undefined,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const url = target.url.replace(/\/+$/, "") + "/";
  const payload = JSON.stringify(params);
  const headers = signTc3Call(
    {
      host: new URL(url).host,
      service: "sts",
      action,
      version: TENCENT_STS_VERSION,
      region: target.region,
      payload,
      timestamp: Math.floor(ctx.now() / 1000),
    },
    signer && { secretId: signer.keyId, secretKey: signer.secret, token: signer.token },
  );
  // fetch sets Host itself, from the URL that was signed.
  delete headers.Host;
  const what = `Tencent STS ${action} at ${url}`;
  const answer = await exchange(ctx, what, url, { method: "POST", headers, body: payload }, signal);
  const code = jsonString(answer.json, "Response", "Error", "Code");
  const requestId = jsonString(answer.json, "Response", "RequestId");
  if (code !== undefined || answer.status >= 300) {
    const message = jsonString(answer.json, "Response", "Error", "Message") ?? `HTTP ${answer.status}`;
    throw new CredentialsError(
      `${what}: ${code ?? "error"}: ${message}${requestId ? ` (request id ${requestId})` : ""}`,
      { code },
    );
  }
  const keyId = jsonString(answer.json, "Response", "Credentials", "TmpSecretId");
  const secret = jsonString(answer.json, "Response", "Credentials", "TmpSecretKey");
  const token = jsonString(answer.json, "Response", "Credentials", "Token");
  if (!keyId || !secret || !token) {
    throw new CredentialsError(`${what}: the answer holds no Credentials`);
  }
  const expiresAt = expiryMs(
    jsonString(answer.json, "Response", "Expiration"),
    jsonString(answer.json, "Response", "ExpiredTime"),
  );
  return { keyId, secret, token, expiresAt };
}

/**
 * Calls `AssumeRole` signed by `signer`.
 *
 * @throws CredentialsError with STS's code, message and request id on refusal.
 */
export function tencentAssumeRole(
  ctx: SourceContext,
  target: TencentStsTarget,
  signer: KeyPair,
  req: TencentAssumeRole,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const params: Record<string, unknown> = {
    RoleArn: req.roleArn,
    RoleSessionName: req.sessionName,
    DurationSeconds: req.durationSeconds,
  };
  if (req.policy !== undefined) params.Policy = encodeURIComponent(req.policy);
  return call(ctx, target, "AssumeRole", params, signer, signal);
}

/**
 * Calls `AssumeRoleWithWebIdentity` (unsigned: the token authenticates it).
 *
 * @throws CredentialsError with STS's code, message and request id on refusal.
 */
export function tencentAssumeRoleWithWebIdentity(
  ctx: SourceContext,
  target: TencentStsTarget,
  req: TencentWebIdentity,
  signal?: AbortSignal,
): Promise<KeyPair> {
  return call(
    ctx,
    target,
    "AssumeRoleWithWebIdentity",
    {
      ProviderId: req.providerId,
      WebIdentityToken: req.webIdentityToken,
      RoleArn: req.roleArn,
      RoleSessionName: req.sessionName,
      DurationSeconds: req.durationSeconds,
    },
    undefined,
    signal,
  );
}
