/**
 * The tccli profile files the Tencent Cloud provider reads: in the shared
 * credentials directory (default `~/.tccli`), `<profile>.credential` (JSON:
 * `secretId`, `secretKey`, `token`, `role-arn`, `role-session-name`) and
 * `<profile>.configure` (JSON: `_sys_param.region`).
 */
import { expandHome } from "../common/chain";
import { CredentialsError, type SourceContext, firstSet } from "../common/types";

/** One tccli profile, as read. */
export interface TencentProfile {
  /** The credential file's path (for messages). */
  path: string;
  /** `secretId`. */
  secretId?: string;
  /** `secretKey`. */
  secretKey?: string;
  /** `token`. */
  token?: string;
  /** `role-arn`. */
  roleArn?: string;
  /** `role-session-name`. */
  roleSessionName?: string;
  /** `_sys_param.region` of the `.configure` file. */
  region?: string;
}

/** The profile name: `tencentcloud:profile`, `TENCENTCLOUD_PROFILE`, else `default`. */
export function tencentProfileName(ctx: SourceContext): string {
  return firstSet(ctx.config.get("tencentcloud:profile"), ctx.env.TENCENTCLOUD_PROFILE) ?? "default";
}

/** The directory: `tencentcloud:sharedCredentialsDir`, `TENCENTCLOUD_SHARED_CREDENTIALS_DIR`, else `~/.tccli`. */
export function tencentCredentialsDir(ctx: SourceContext): string {
  const dir = firstSet(
    ctx.config.get("tencentcloud:sharedCredentialsDir"),
    ctx.env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR,
  );
  return expandHome(dir ?? "~/.tccli", ctx.home);
}

function readJson(ctx: SourceContext, path: string): Record<string, unknown> | undefined {
  const text = ctx.readFile(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new CredentialsError(`${path} is not a JSON object (a tccli profile file)`);
}

function str(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === "string" ? firstSet(v) : undefined;
}

/**
 * The selected profile; undefined when its credential file does not exist.
 *
 * @throws CredentialsError when a file exists but is not JSON.
 */
export function readTencentProfile(ctx: SourceContext): TencentProfile | undefined {
  const dir = tencentCredentialsDir(ctx).replace(/\/+$/, "");
  const name = tencentProfileName(ctx);
  const path = `${dir}/${name}.credential`;
  const cred = readJson(ctx, path);
  if (!cred) return undefined;
  const configure = readJson(ctx, `${dir}/${name}.configure`);
  const sys = configure?._sys_param;
  return {
    path,
    secretId: str(cred, "secretId"),
    secretKey: str(cred, "secretKey"),
    token: str(cred, "token"),
    roleArn: str(cred, "role-arn"),
    roleSessionName: str(cred, "role-session-name"),
    region:
      typeof sys === "object" && sys !== null ? str(sys as Record<string, unknown>, "region") : undefined,
  };
}
