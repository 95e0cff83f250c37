/**
 * The aliyun CLI config the Alibaba Cloud provider reads: a JSON file
 * (default `~/.aliyun/config.json`) with `current` and `profiles[]`, each
 * with `name`, `mode` (`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`),
 * `access_key_id`, `access_key_secret`, `sts_token`, `ram_role_name`,
 * `ram_role_arn`, `ram_session_name`, `expired_seconds` and `region_id`.
 */
import { expandHome } from "../common/chain";
import { CredentialsError, type SourceContext, firstSet } from "../common/types";

/** One aliyun CLI profile, as read. */
export interface AlibabaProfile {
  /** `<file> profile <name>`, for messages. */
  where: string;
  /** `mode`. */
  mode?: string;
  /** `access_key_id`. */
  accessKeyId?: string;
  /** `access_key_secret`. */
  accessKeySecret?: string;
  /** `sts_token`. */
  stsToken?: string;
  /** `ram_role_name` (mode EcsRamRole). */
  ramRoleName?: string;
  /** `ram_role_arn` (mode RamRoleArn). */
  ramRoleArn?: string;
  /** `ram_session_name`. */
  ramSessionName?: string;
  /** `expired_seconds`. */
  expiredSeconds?: number;
  /** `region_id`. */
  regionId?: string;
}

/** The profile asked for: `alicloud:profile`, `ALICLOUD_PROFILE`, `ALIBABA_CLOUD_PROFILE`; undefined when none is. */
export function alibabaProfileName(ctx: SourceContext): string | undefined {
  return firstSet(
    ctx.config.get("alicloud:profile"),
    ctx.env.ALICLOUD_PROFILE,
    ctx.env.ALIBABA_CLOUD_PROFILE,
  );
}

/** The file: `alicloud:sharedCredentialsFile`, `ALICLOUD_SHARED_CREDENTIALS_FILE`, `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.aliyun/config.json`. */
export function alibabaConfigFile(ctx: SourceContext): string {
  const file = firstSet(
    ctx.config.get("alicloud:sharedCredentialsFile"),
    ctx.env.ALICLOUD_SHARED_CREDENTIALS_FILE,
    ctx.env.ALIBABA_CLOUD_CREDENTIALS_FILE,
  );
  return expandHome(file ?? "~/.aliyun/config.json", ctx.home);
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? firstSet(v) : undefined;
}

/**
 * The profile asked for; undefined when no profile is asked for (as in the
 * provider, the file is only read then).
 *
 * @throws CredentialsError when the file is missing, not JSON, or lacks the profile.
 */
export function readAlibabaProfile(ctx: SourceContext): AlibabaProfile | undefined {
  const name = alibabaProfileName(ctx);
  if (name === undefined) return undefined;
  const path = alibabaConfigFile(ctx);
  const text = ctx.readFile(path);
  if (text === undefined) {
    throw new CredentialsError(
      `profile "${name}" is asked for but ${path} does not exist: run \`aliyun configure --profile ${name}\``,
    );
  }
  let profiles: unknown;
  try {
    profiles = (JSON.parse(text) as { profiles?: unknown }).profiles;
  } catch {
    throw new CredentialsError(`${path} is not JSON (an aliyun CLI config)`);
  }
  const found = Array.isArray(profiles)
    ? (profiles as unknown[]).find(
        (p): p is Record<string, unknown> =>
          typeof p === "object" && p !== null && (p as Record<string, unknown>).name === name,
      )
    : undefined;
  if (!found) throw new CredentialsError(`${path} has no profile "${name}"`);
  const expired = found.expired_seconds;
  return {
    where: `${path} profile ${name}`,
    mode: str(found, "mode"),
    accessKeyId: str(found, "access_key_id"),
    accessKeySecret: str(found, "access_key_secret"),
    stsToken: str(found, "sts_token"),
    ramRoleName: str(found, "ram_role_name"),
    ramRoleArn: str(found, "ram_role_arn"),
    ramSessionName: str(found, "ram_session_name"),
    expiredSeconds: typeof expired === "number" && expired > 0 ? expired : undefined,
    regionId: str(found, "region_id"),
  };
}
