/**
 * The OSS credential chain, in the order of the Alibaba Cloud Terraform
 * provider (and so of `@pulumi/alicloud`, which bridges it). That provider
 * takes static keys (config, then env, then the CLI profile), else the ECS
 * RAM role; then OIDC replaces them when configured; then AssumeRole,
 * signed with what it has so far, replaces those. Listed here by
 * precedence, the first configured source wins.
 */
import { configObject, field, seconds, selectProvider } from "../common/chain";
import { readTokenFile, roleSigner, staticSource } from "../common/sources";
import {
  type CandidateSource,
  CredentialsError,
  type KeyPairProvider,
  type SourceContext,
  firstSet,
  fixedProvider,
} from "../common/types";
import { ALIBABA_METADATA_URL, alibabaRoleCredentials } from "./metadata-client";
import { readAlibabaProfile } from "./profile";
import {
  ALIBABA_STS_URL,
  type AlibabaAssumeRole,
  alibabaAssumeRole,
  alibabaAssumeRoleWithOidc,
} from "./sts-client";

/** The provider's default session lifetime for assumed roles (seconds). */
const DEFAULT_SESSION_SECONDS = 3600;

/** The session name when none is set. */
const DEFAULT_SESSION_NAME = "pulumi-bucket-inventory";

/**
 * Where STS is: `bucket-inventory:ossStsEndpoint` / `BUCKET_INVENTORY_OSS_STS_ENDPOINT`,
 * else the `sts` entry of `alicloud:endpoints` (a host or URL), else the public endpoint.
 */
export function alibabaStsUrl(ctx: SourceContext): string {
  const override = firstSet(
    ctx.config.get("bucket-inventory:ossStsEndpoint"),
    ctx.env.BUCKET_INVENTORY_OSS_STS_ENDPOINT,
  );
  if (override) return override;
  const endpoints: unknown = ctx.config.get("alicloud:endpoints");
  if (endpoints !== undefined && endpoints !== null && endpoints !== "") {
    let list: unknown = endpoints;
    if (typeof endpoints === "string") {
      try {
        list = JSON.parse(endpoints);
      } catch {
        throw new CredentialsError("stack config alicloud:endpoints is not JSON");
      }
    }
    for (const entry of Array.isArray(list) ? list : [list]) {
      const sts =
        typeof entry === "object" && entry !== null
          ? field(entry as Record<string, unknown>, "sts")
          : undefined;
      if (sts) return /^https?:\/\//.test(sts) ? sts : `https://${sts}`;
    }
  }
  return ALIBABA_STS_URL;
}

/** Where the metadata service is: `bucket-inventory:ossMetadataEndpoint` / `BUCKET_INVENTORY_OSS_METADATA_ENDPOINT`. */
export function alibabaMetadataUrl(ctx: SourceContext): string {
  return (
    firstSet(
      ctx.config.get("bucket-inventory:ossMetadataEndpoint"),
      ctx.env.BUCKET_INVENTORY_OSS_METADATA_ENDPOINT,
    ) ?? ALIBABA_METADATA_URL
  );
}

function ecsRoleProvider(
  ctx: SourceContext,
  role: string,
  source: string,
  fromStackConfig: boolean,
): KeyPairProvider {
  const base = alibabaMetadataUrl(ctx);
  return { source, fromStackConfig, fetch: (signal) => alibabaRoleCredentials(ctx, base, role, signal) };
}

/** Static keys and the ECS role: what the provider has before OIDC and AssumeRole. */
export const OSS_BASE_SOURCES: readonly CandidateSource[] = [
  staticSource(
    "config",
    { id: "alicloud:accessKey", secret: "alicloud:secretKey", token: "alicloud:securityToken" },
    "`pulumi config set alicloud:accessKey <id>` and `pulumi config set --secret alicloud:secretKey <key>`",
  ),
  staticSource(
    "env",
    { id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN" },
    "export both",
  ),
  staticSource(
    "env",
    {
      id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
      secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      token: "ALIBABA_CLOUD_SECURITY_TOKEN",
    },
    "export both (the names of Alibaba's current CLI and SDKs)",
  ),
  staticSource(
    "env",
    {
      id: "ALIBABACLOUD_ACCESS_KEY_ID",
      secret: "ALIBABACLOUD_ACCESS_KEY_SECRET",
      token: "ALIBABACLOUD_SECURITY_TOKEN",
    },
    "export both",
  ),
  staticSource(
    "env",
    { id: "OSS_ACCESS_KEY_ID", secret: "OSS_ACCESS_KEY_SECRET", token: "OSS_SESSION_TOKEN" },
    "export both (the OSS SDK samples' names)",
  ),
  {
    name: "aliyun CLI profile keys (alicloud:profile / ALICLOUD_PROFILE / ALIBABA_CLOUD_PROFILE, in alicloud:sharedCredentialsFile / ALICLOUD_SHARED_CREDENTIALS_FILE / ALIBABA_CLOUD_CREDENTIALS_FILE, default ~/.aliyun/config.json; modes AK, StsToken, RamRoleArn)",
    hint: "run `aliyun configure --profile <name>` and set alicloud:profile",
    detect(ctx) {
      const p = readAlibabaProfile(ctx);
      if (!p?.accessKeyId || !p.accessKeySecret || p.mode === "EcsRamRole") return undefined;
      return fixedProvider(p.where, false, {
        keyId: p.accessKeyId,
        secret: p.accessKeySecret,
        token: p.mode === "StsToken" ? p.stsToken : undefined,
      });
    },
  },
  {
    name: "ECS RAM role (stack config alicloud:ecsRoleName / env ALICLOUD_ECS_ROLE_NAME / ALIBABA_CLOUD_ECS_METADATA)",
    hint: "on an ECS instance, set the name of the RAM role attached to it",
    detect(ctx) {
      const fromConfig = firstSet(ctx.config.get("alicloud:ecsRoleName"));
      const role = fromConfig ?? firstSet(ctx.env.ALICLOUD_ECS_ROLE_NAME, ctx.env.ALIBABA_CLOUD_ECS_METADATA);
      return role
        ? ecsRoleProvider(ctx, role, `ECS RAM role "${role}"`, fromConfig !== undefined)
        : undefined;
    },
  },
  {
    name: "aliyun CLI profile in mode EcsRamRole (ram_role_name)",
    hint: "run `aliyun configure --mode EcsRamRole --profile <name>` and set alicloud:profile",
    detect(ctx) {
      const p = readAlibabaProfile(ctx);
      if (p?.mode !== "EcsRamRole" || !p.ramRoleName) return undefined;
      return ecsRoleProvider(ctx, p.ramRoleName, `ECS RAM role "${p.ramRoleName}" (${p.where})`, false);
    },
  },
];

function oidcProvider(
  ctx: SourceContext,
  source: string,
  fromStackConfig: boolean,
  req: {
    roleArn: string;
    oidcProviderArn: string;
    sessionName: string;
    durationSeconds: number;
    policy?: string;
  },
  token: () => string,
): KeyPairProvider {
  const url = alibabaStsUrl(ctx);
  return {
    source,
    fromStackConfig,
    fetch: (signal) => alibabaAssumeRoleWithOidc(ctx, url, { ...req, oidcToken: token() }, signal),
  };
}

/** OIDC: replaces the base pair when configured. */
export const OSS_OIDC_SOURCES: readonly CandidateSource[] = [
  {
    name: "stack config alicloud:assumeRoleWithOidc { oidcProviderArn, roleArn, oidcToken | oidcTokenFile, roleSessionName, sessionExpiration, policy }",
    hint: "set oidcProviderArn, roleArn and the OIDC token (or a file holding it)",
    detect(ctx) {
      const key = "alicloud:assumeRoleWithOidc";
      const o = configObject(ctx, key);
      if (!o) return undefined;
      const roleArn = field(o, "roleArn") ?? firstSet(ctx.env.ALIBABA_CLOUD_ROLE_ARN);
      const oidcProviderArn =
        field(o, "oidcProviderArn") ?? firstSet(ctx.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN);
      const token = field(o, "oidcToken");
      const file = field(o, "oidcTokenFile") ?? firstSet(ctx.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE);
      if (!roleArn || !oidcProviderArn || (!token && !file)) {
        throw new CredentialsError(`${key} needs oidcProviderArn, roleArn and oidcToken or oidcTokenFile`);
      }
      return oidcProvider(
        ctx,
        `stack config ${key}`,
        true,
        {
          roleArn,
          oidcProviderArn,
          sessionName: field(o, "roleSessionName") ?? DEFAULT_SESSION_NAME,
          durationSeconds: seconds(
            field(o, "sessionExpiration"),
            `${key}.sessionExpiration`,
            DEFAULT_SESSION_SECONDS,
          ),
          policy: field(o, "policy"),
        },
        () => token ?? readTokenFile(ctx, file!, `${key}.oidcTokenFile`),
      );
    },
  },
  {
    name: "env ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_PROVIDER_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE (ALIBABA_CLOUD_ROLE_SESSION_NAME, ALIBABA_CLOUD_ROLE_SESSION_EXPIRATION)",
    hint: "export all three (ACK RRSA sets them in the pod)",
    detect(ctx) {
      const roleArn = firstSet(ctx.env.ALIBABA_CLOUD_ROLE_ARN);
      const oidcProviderArn = firstSet(ctx.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN);
      const file = firstSet(ctx.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE);
      if (!roleArn || !oidcProviderArn || !file) return undefined;
      return oidcProvider(
        ctx,
        "env ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        false,
        {
          roleArn,
          oidcProviderArn,
          sessionName: firstSet(ctx.env.ALIBABA_CLOUD_ROLE_SESSION_NAME) ?? DEFAULT_SESSION_NAME,
          durationSeconds: seconds(
            firstSet(ctx.env.ALIBABA_CLOUD_ROLE_SESSION_EXPIRATION),
            "ALIBABA_CLOUD_ROLE_SESSION_EXPIRATION",
            DEFAULT_SESSION_SECONDS,
          ),
        },
        () => readTokenFile(ctx, file, "ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
      );
    },
  },
];

/** What an AssumeRole source signs with: OIDC when configured, else the base pair. */
const OSS_SIGNERS: readonly CandidateSource[] = [...OSS_OIDC_SOURCES, ...OSS_BASE_SOURCES];

function assumeRoleProvider(
  ctx: SourceContext,
  source: string,
  fromStackConfig: boolean,
  req: AlibabaAssumeRole,
): KeyPairProvider {
  const signer = roleSigner("OSS", OSS_SIGNERS, ctx, source);
  const url = alibabaStsUrl(ctx);
  return {
    source: `${source} (signed by ${signer.provider.source})`,
    fromStackConfig: fromStackConfig || signer.provider.fromStackConfig,
    fetch: async (signal) => alibabaAssumeRole(ctx, url, await signer.get(signal), req, signal),
  };
}

/** The env session lifetime of an assumed role: `ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION`, else 3600. */
function envExpiration(ctx: SourceContext): number {
  return seconds(
    firstSet(ctx.env.ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION),
    "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION",
    DEFAULT_SESSION_SECONDS,
  );
}

/** Every OSS source, by precedence (see `README.md`, Credentials). */
export const OSS_SOURCES: readonly CandidateSource[] = [
  {
    name: "stack config alicloud:assumeRole { roleArn, sessionName, sessionExpiration, policy, externalId }",
    hint: "`pulumi config set --path alicloud:assumeRole.roleArn <arn>`",
    detect(ctx) {
      const key = "alicloud:assumeRole";
      const o = configObject(ctx, key);
      if (!o) return undefined;
      const roleArn = field(o, "roleArn") ?? firstSet(ctx.env.ALICLOUD_ASSUME_ROLE_ARN);
      if (!roleArn) throw new CredentialsError(`${key} needs roleArn`);
      return assumeRoleProvider(ctx, `stack config ${key}`, true, {
        roleArn,
        sessionName:
          field(o, "sessionName") ??
          firstSet(ctx.env.ALICLOUD_ASSUME_ROLE_SESSION_NAME) ??
          DEFAULT_SESSION_NAME,
        durationSeconds:
          field(o, "sessionExpiration") !== undefined
            ? seconds(field(o, "sessionExpiration"), `${key}.sessionExpiration`, DEFAULT_SESSION_SECONDS)
            : envExpiration(ctx),
        policy: field(o, "policy"),
        externalId: field(o, "externalId"),
      });
    },
  },
  {
    name: "env ALICLOUD_ASSUME_ROLE_ARN (ALICLOUD_ASSUME_ROLE_SESSION_NAME, ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION)",
    hint: "export the role ARN",
    detect(ctx) {
      const roleArn = firstSet(ctx.env.ALICLOUD_ASSUME_ROLE_ARN);
      if (!roleArn) return undefined;
      return assumeRoleProvider(ctx, "env ALICLOUD_ASSUME_ROLE_ARN", false, {
        roleArn,
        sessionName: firstSet(ctx.env.ALICLOUD_ASSUME_ROLE_SESSION_NAME) ?? DEFAULT_SESSION_NAME,
        durationSeconds: envExpiration(ctx),
      });
    },
  },
  {
    name: "aliyun CLI profile in mode RamRoleArn (ram_role_arn, ram_session_name, expired_seconds)",
    hint: "run `aliyun configure --mode RamRoleArn --profile <name>` and set alicloud:profile",
    detect(ctx) {
      const p = readAlibabaProfile(ctx);
      if (p?.mode !== "RamRoleArn" || !p.ramRoleArn) return undefined;
      return assumeRoleProvider(ctx, `${p.where} role`, false, {
        roleArn: p.ramRoleArn,
        sessionName: p.ramSessionName ?? DEFAULT_SESSION_NAME,
        durationSeconds: p.expiredSeconds ?? DEFAULT_SESSION_SECONDS,
      });
    },
  },
  ...OSS_SIGNERS,
];

/**
 * The OSS key-pair provider for the settings in `ctx`.
 *
 * @throws CredentialsError naming every source tried when none is configured.
 */
export function ossCredentials(ctx: SourceContext): KeyPairProvider {
  return selectProvider("OSS", OSS_SOURCES, ctx);
}
