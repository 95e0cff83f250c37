/**
 * The CVM instance metadata service: the temporary credentials of the CAM
 * role bound to the instance, `GET /latest/meta-data/cam/security-credentials/<role>`
 * → `{"TmpSecretId","TmpSecretKey","Token","ExpiredTime","Expiration","Code":"Success"}`
 * (`docs/credentials.md` §3).
 */
import { exchange, expiryMs, jsonString } from "../common/http";
import { CredentialsError, type KeyPair, type SourceContext } from "../common/types";

/** The metadata service as seen from a CVM instance. */
export const TENCENT_METADATA_URL = "http://metadata.tencentyun.com";

const CREDENTIALS_PATH = "/latest/meta-data/cam/security-credentials/";

/**
 * The role's temporary credentials from the metadata service at `baseUrl`.
 *
 * @throws CredentialsError when the service is unreachable (not on CVM) or refuses.
 */
export async function tencentRoleCredentials(
  ctx: SourceContext,
  baseUrl: string,
  roleName: string,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const url = baseUrl.replace(/\/+$/, "") + CREDENTIALS_PATH + encodeURIComponent(roleName);
  const what = `CVM metadata service, CAM role "${roleName}" at ${url}`;
  const answer = await exchange(ctx, what, url, { method: "GET" }, signal);
  const code = jsonString(answer.json, "Code");
  const keyId = jsonString(answer.json, "TmpSecretId");
  const secret = jsonString(answer.json, "TmpSecretKey");
  const token = jsonString(answer.json, "Token");
  if (answer.status !== 200 || (code !== undefined && code !== "Success") || !keyId || !secret || !token) {
    throw new CredentialsError(
      `${what}: HTTP ${answer.status}${code ? ` ${code}` : ""}; check that the instance has this CAM role bound`,
    );
  }
  return {
    keyId,
    secret,
    token,
    expiresAt: expiryMs(jsonString(answer.json, "Expiration"), jsonString(answer.json, "ExpiredTime")),
  };
}
