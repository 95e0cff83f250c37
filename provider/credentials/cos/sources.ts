/**
 * The COS credential chain, in the order of the Tencent Cloud Terraform
 * provider (and so of `@pulumi/tencentcloud`, which bridges it). That
 * provider applies its sources one after another, each later one replacing
 * the credentials so far; listed here by precedence, the first configured
 * source wins. Role sources call STS with the credentials of the first
 * configured base source (CAM role, static keys, profile).
 */
import { configObject, field, seconds, selectProvider } from "../common/chain";
import { readTokenFile, roleSigner, staticSource } from "../common/sources";
import {
  type CandidateSource,
  CredentialsError,
  type KeyPairProvider,
  type SourceContext,
  fixedProvider,
  firstSet,
} from "../common/types";
import { TENCENT_METADATA_URL, tencentRoleCredentials } from "./metadata-client";
import { readTencentProfile } from "./profile";
import {
  TENCENT_STS_URL,
  type TencentStsTarget,
  tencentAssumeRole,
  tencentAssumeRoleWithWebIdentity,
} from "./sts-client";

/** The provider's default `DurationSeconds` for assumed roles. */
const DEFAULT_SESSION_SECONDS = 7200;

/** Where STS is: `bucket-inventory:cosStsEndpoint` / `BUCKET_INVENTORY_COS_STS_ENDPOINT`, else `sts.<domain>`. */
export function tencentStsTarget(ctx: SourceContext): TencentStsTarget {
  const override = firstSet(
    ctx.config.get("bucket-inventory:cosStsEndpoint"),
    ctx.env.BUCKET_INVENTORY_COS_STS_ENDPOINT,
  );
  const domain = firstSet(ctx.config.get("tencentcloud:domain"), ctx.env.TENCENTCLOUD_DOMAIN);
  const protocol = (
    firstSet(ctx.config.get("tencentcloud:protocol"), ctx.env.TENCENTCLOUD_PROTOCOL) ?? "https"
  ).toLowerCase();
  const url = override ?? (domain ? `${protocol}://sts.${domain}` : TENCENT_STS_URL);
  const region =
    firstSet(ctx.config.get("tencentcloud:region"), ctx.env.TENCENTCLOUD_REGION) ?? "ap-guangzhou";
  return { url, region };
}

/** Where the metadata service is: `bucket-inventory:cosMetadataEndpoint` / `BUCKET_INVENTORY_COS_METADATA_ENDPOINT`. */
export function tencentMetadataUrl(ctx: SourceContext): string {
  return (
    firstSet(
      ctx.config.get("bucket-inventory:cosMetadataEndpoint"),
      ctx.env.BUCKET_INVENTORY_COS_METADATA_ENDPOINT,
    ) ?? TENCENT_METADATA_URL
  );
}

/** The base sources: the pairs that sign STS calls, or that are used as they are. */
export const COS_BASE_SOURCES: readonly CandidateSource[] = [
  {
    name: "CVM CAM role (stack config tencentcloud:camRoleName / env TENCENTCLOUD_CAM_ROLE_NAME)",
    hint: "on a CVM instance, set the role name bound to it; the metadata service gives temporary keys",
    detect(ctx) {
      const fromConfig = firstSet(ctx.config.get("tencentcloud:camRoleName"));
      const role = fromConfig ?? firstSet(ctx.env.TENCENTCLOUD_CAM_ROLE_NAME);
      if (!role) return undefined;
      const base = tencentMetadataUrl(ctx);
      return {
        source: `CVM CAM role "${role}"`,
        fromStackConfig: fromConfig !== undefined,
        fetch: (signal) => tencentRoleCredentials(ctx, base, role, signal),
      };
    },
  },
  staticSource(
    "config",
    { id: "tencentcloud:secretId", secret: "tencentcloud:secretKey", token: "tencentcloud:securityToken" },
    "`pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`",
  ),
  staticSource(
    "env",
    { id: "TENCENTCLOUD_SECRET_ID", secret: "TENCENTCLOUD_SECRET_KEY", token: "TENCENTCLOUD_SECURITY_TOKEN" },
    "export both (and TENCENTCLOUD_SECURITY_TOKEN for temporary keys)",
  ),
  // The COS SDK samples' variables carry no token.
  staticSource("env", { id: "COS_SECRET_ID", secret: "COS_SECRET_KEY" }, "export both"),
  {
    name: "tccli profile keys (tencentcloud:profile / TENCENTCLOUD_PROFILE, default `default`, in tencentcloud:sharedCredentialsDir / TENCENTCLOUD_SHARED_CREDENTIALS_DIR, default ~/.tccli)",
    hint: "run `tccli configure`, or write <dir>/<profile>.credential with secretId and secretKey",
    detect(ctx) {
      const profile = readTencentProfile(ctx);
      if (!profile?.secretId || !profile.secretKey) return undefined;
      return fixedProvider(`tccli profile ${profile.path}`, false, {
        keyId: profile.secretId,
        secret: profile.secretKey,
        token: profile.token,
      });
    },
  },
];

function assumeRoleProvider(
  ctx: SourceContext,
  source: string,
  fromStackConfig: boolean,
  req: { roleArn: string; sessionName: string; durationSeconds: number; policy?: string },
): KeyPairProvider {
  const signer = roleSigner("COS", COS_BASE_SOURCES, ctx, source);
  const target = tencentStsTarget(ctx);
  return {
    source: `${source} (signed by ${signer.provider.source})`,
    fromStackConfig: fromStackConfig || signer.provider.fromStackConfig,
    fetch: async (signal) => tencentAssumeRole(ctx, target, await signer.get(signal), req, signal),
  };
}

function webIdentityProvider(
  ctx: SourceContext,
  source: string,
  fromStackConfig: boolean,
  req: {
    roleArn: string;
    sessionName: string;
    durationSeconds: number;
    providerId: string;
    token: () => string;
  },
  region?: string,
): KeyPairProvider {
  const target = { ...tencentStsTarget(ctx), ...(region ? { region } : {}) };
  return {
    source,
    fromStackConfig,
    // The token file is read on every fetch: Kubernetes rotates it.
    fetch: (signal) =>
      tencentAssumeRoleWithWebIdentity(ctx, target, { ...req, webIdentityToken: req.token() }, signal),
  };
}

/**
 * A role object in stack config (`assumeRole`, `assumeRoleWithWebIdentity`):
 * its `roleArn`, `sessionName` and `sessionDuration`; undefined when unset.
 *
 * @throws CredentialsError naming `key` when roleArn or sessionName is missing.
 */
function configRole(
  ctx: SourceContext,
  key: string,
):
  | { o: Record<string, unknown>; request: { roleArn: string; sessionName: string; durationSeconds: number } }
  | undefined {
  const o = configObject(ctx, key);
  if (!o) return undefined;
  const roleArn = field(o, "roleArn");
  const sessionName = field(o, "sessionName");
  if (!roleArn || !sessionName) throw new CredentialsError(`${key} needs roleArn and sessionName`);
  const durationSeconds = seconds(
    field(o, "sessionDuration"),
    `${key}.sessionDuration`,
    DEFAULT_SESSION_SECONDS,
  );
  return { o, request: { roleArn, sessionName, durationSeconds } };
}

/** Every COS source, by precedence (see `README.md`, Credentials). */
export const COS_SOURCES: readonly CandidateSource[] = [
  {
    name: "TKE pod OIDC (stack config tencentcloud:enablePodOidc with env TKE_REGION, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_PROVIDER_ID, TKE_ROLE_ARN)",
    hint: "set tencentcloud:enablePodOidc true in a pod whose service account is bound to a role",
    detect(ctx) {
      if (firstSet(ctx.config.get("tencentcloud:enablePodOidc")) !== "true") return undefined;
      const {
        TKE_REGION: region,
        TKE_WEB_IDENTITY_TOKEN_FILE: file,
        TKE_PROVIDER_ID: providerId,
        TKE_ROLE_ARN: roleArn,
      } = ctx.env;
      if (!region || !file || !providerId || !roleArn) {
        throw new CredentialsError(
          "tencentcloud:enablePodOidc is true but TKE_REGION, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_PROVIDER_ID and TKE_ROLE_ARN are not all set: configure the pod's service account",
        );
      }
      return webIdentityProvider(
        ctx,
        "TKE pod OIDC",
        true,
        {
          roleArn,
          providerId,
          sessionName: `bucket-inventory-${ctx.now()}`,
          durationSeconds: DEFAULT_SESSION_SECONDS,
          token: () => readTokenFile(ctx, file, "TKE_WEB_IDENTITY_TOKEN_FILE"),
        },
        region,
      );
    },
  },
  {
    name: "stack config tencentcloud:assumeRoleWithWebIdentity { roleArn, sessionName, sessionDuration, webIdentityToken | webIdentityTokenFile, providerId }",
    hint: "set roleArn, sessionName and the OIDC token (or a file holding it)",
    detect(ctx) {
      const key = "tencentcloud:assumeRoleWithWebIdentity";
      const role = configRole(ctx, key);
      if (!role) return undefined;
      const token = field(role.o, "webIdentityToken");
      const file = field(role.o, "webIdentityTokenFile");
      if (!token && !file)
        throw new CredentialsError(`${key} needs webIdentityToken or webIdentityTokenFile`);
      return webIdentityProvider(ctx, `stack config ${key}`, true, {
        ...role.request,
        providerId: field(role.o, "providerId") ?? "OIDC",
        token: () => token ?? readTokenFile(ctx, file!, `${key}.webIdentityTokenFile`),
      });
    },
  },
  {
    name: "stack config tencentcloud:assumeRole { roleArn, sessionName, sessionDuration, policy }",
    hint: "`pulumi config set --path tencentcloud:assumeRole.roleArn <arn>` and `... .sessionName <name>`",
    detect(ctx) {
      const key = "tencentcloud:assumeRole";
      const role = configRole(ctx, key);
      if (!role) return undefined;
      return assumeRoleProvider(ctx, `stack config ${key}`, true, {
        ...role.request,
        policy: field(role.o, "policy"),
      });
    },
  },
  {
    name: "env TENCENTCLOUD_ASSUME_ROLE_ARN / TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME (TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION; with TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN[_FILE] and TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: OIDC)",
    hint: "export the role ARN and a session name",
    detect(ctx) {
      const roleArn = firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_ARN);
      const sessionName = firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME);
      if (!roleArn || !sessionName) return undefined;
      const durationSeconds = seconds(
        firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION),
        "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION",
        DEFAULT_SESSION_SECONDS,
      );
      const token = firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN);
      const file = firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE);
      if (token || file) {
        return webIdentityProvider(ctx, "env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN", false, {
          roleArn,
          sessionName,
          durationSeconds,
          providerId: firstSet(ctx.env.TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID) ?? "OIDC",
          token: () => token ?? readTokenFile(ctx, file!, "TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE"),
        });
      }
      return assumeRoleProvider(ctx, "env TENCENTCLOUD_ASSUME_ROLE_ARN", false, {
        roleArn,
        sessionName,
        durationSeconds,
      });
    },
  },
  {
    name: "tccli profile role (role-arn and role-session-name in <dir>/<profile>.credential)",
    hint: "add role-arn and role-session-name to the profile",
    detect(ctx) {
      const profile = readTencentProfile(ctx);
      if (!profile?.roleArn || !profile.roleSessionName) return undefined;
      return assumeRoleProvider(ctx, `tccli profile role in ${profile.path}`, false, {
        roleArn: profile.roleArn,
        sessionName: profile.roleSessionName,
        durationSeconds: DEFAULT_SESSION_SECONDS,
      });
    },
  },
  ...COS_BASE_SOURCES,
];

/**
 * The COS key-pair provider for the settings in `ctx`.
 *
 * @throws CredentialsError naming every source tried when none is configured.
 */
export function cosCredentials(ctx: SourceContext): KeyPairProvider {
  return selectProvider("COS", COS_SOURCES, ctx);
}

/** The region a tccli profile names, for the engine's region defaults. */
export function cosProfileRegion(ctx: SourceContext): string | undefined {
  return readTencentProfile(ctx)?.region;
}
