/**
 * The ECS instance metadata service: the temporary credentials of the RAM
 * role attached to the instance, in hardened mode (IMDSv2): `PUT
 * /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` gives a
 * token, sent as `X-aliyun-ecs-metadata-token` on `GET
 * /latest/meta-data/ram/security-credentials/<role>` → `{"AccessKeyId",
 * "AccessKeySecret","SecurityToken","Expiration","LastUpdated","Code":"Success"}`
 * (`docs/credentials.md` §4). Like the official SDKs, a service that gives
 * no token is asked without one, unless `ALIBABA_CLOUD_IMDSV1_DISABLED` is true.
 */
import { exchange, expiryMs, jsonString } from "../common/http";
import { CredentialsError, type KeyPair, type SourceContext } from "../common/types";

/** The metadata service as seen from an ECS instance. */
export const ALIBABA_METADATA_URL = "http://100.100.100.200";

/** How long a metadata token lives (seconds); one is asked for per fetch. */
const TOKEN_TTL_SECONDS = 21600;

/**
 * The role's temporary credentials from the metadata service at `baseUrl`.
 *
 * @throws CredentialsError when the service is unreachable (not on ECS) or refuses.
 */
export async function alibabaRoleCredentials(
  ctx: SourceContext,
  baseUrl: string,
  roleName: string,
  signal?: AbortSignal,
): Promise<KeyPair> {
  const base = baseUrl.replace(/\/+$/, "");
  const what = `ECS metadata service, RAM role "${roleName}" at ${base}`;
  const tokenAnswer = await exchange(
    ctx,
    `${what} (token)`,
    `${base}/latest/api/token`,
    { method: "PUT", headers: { "X-aliyun-ecs-metadata-token-ttl-seconds": String(TOKEN_TTL_SECONDS) } },
    signal,
  );
  const headers: Record<string, string> = {};
  if (tokenAnswer.status === 200 && tokenAnswer.text.trim() !== "") {
    headers["X-aliyun-ecs-metadata-token"] = tokenAnswer.text.trim();
  } else if ((ctx.env.ALIBABA_CLOUD_IMDSV1_DISABLED ?? "").toLowerCase() === "true") {
    throw new CredentialsError(
      `${what}: no metadata token (HTTP ${tokenAnswer.status}) and ALIBABA_CLOUD_IMDSV1_DISABLED is true`,
    );
  }
  const url = `${base}/latest/meta-data/ram/security-credentials/${encodeURIComponent(roleName)}`;
  const answer = await exchange(ctx, what, url, { method: "GET", headers }, signal);
  const code = jsonString(answer.json, "Code");
  const keyId = jsonString(answer.json, "AccessKeyId");
  const secret = jsonString(answer.json, "AccessKeySecret");
  const token = jsonString(answer.json, "SecurityToken");
  if (answer.status !== 200 || (code !== undefined && code !== "Success") || !keyId || !secret || !token) {
    throw new CredentialsError(
      `${what}: HTTP ${answer.status}${code ? ` ${code}` : ""}; check that the instance has this RAM role attached`,
    );
  }
  return { keyId, secret, token, expiresAt: expiryMs(jsonString(answer.json, "Expiration")) };
}
