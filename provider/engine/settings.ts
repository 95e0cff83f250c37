/**
 * Provider settings (credentials, region defaults, endpoint overrides) from
 * stack config and the environment. Credentials are read in the provider
 * process only; they never enter resource inputs, outputs or the serialized
 * provider.
 */
import { REGION_SOURCES, regionConfigKey } from "./region";

/** Something that looks up stack config by `namespace:key` (the dynamic provider's Config). */
export interface ConfigSource {
  /** The value, or undefined when unset. */
  get(key: string): string | undefined;
}

/** An empty config source (before `configure`, or outside the engine). */
export const NO_CONFIG: ConfigSource = { get: () => undefined };

/** One cloud's settings, resolved. */
export interface CloudSettings {
  /** Access key id (COS SecretId, OSS AccessKeyId), when found. */
  keyId?: string;
  /** Secret key, when found. */
  secret?: string;
  /** STS token, when found. */
  securityToken?: string;
  /** Default region, when found. */
  region?: string;
  /** Endpoint override string, when found. */
  endpoint?: string;
  /** Where the credentials came from, for messages (never the values). */
  credentialSource?: string;
}

/** A place a key pair may come from: either stack config keys or environment variables. */
interface CredentialSource {
  kind: "config" | "env";
  id: string;
  secret: string;
  token?: string;
}

/** Where one cloud's settings are looked up, in order of preference. */
interface SettingsSpec {
  credentials: readonly CredentialSource[];
  region: { config: string; env: string };
  endpoint: { config: string; env: string };
}

function first(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

/**
 * Resolves settings from `spec`. Credentials come whole from the first source
 * that names a key id, so an id from one place is never paired with a secret
 * from another.
 */
function resolve(spec: SettingsSpec, config: ConfigSource, env: NodeJS.ProcessEnv): CloudSettings {
  const lookup = (kind: "config" | "env", key: string | undefined): string | undefined =>
    key === undefined ? undefined : first(kind === "config" ? config.get(key) : env[key]);
  const source = spec.credentials.find((s) => lookup(s.kind, s.id) !== undefined);
  return {
    keyId: source && lookup(source.kind, source.id),
    secret: source && lookup(source.kind, source.secret),
    securityToken: source && lookup(source.kind, source.token),
    region: first(config.get(spec.region.config), env[spec.region.env]),
    endpoint: first(config.get(spec.endpoint.config), env[spec.endpoint.env]),
    credentialSource:
      source && `${source.kind === "config" ? "stack config" : "env"} ${source.id}/${source.secret}`,
  };
}

const COS_SPEC: SettingsSpec = {
  credentials: [
    {
      kind: "config",
      id: "tencentcloud:secretId",
      secret: "tencentcloud:secretKey",
      token: "tencentcloud:securityToken",
    },
    {
      kind: "env",
      id: "TENCENTCLOUD_SECRET_ID",
      secret: "TENCENTCLOUD_SECRET_KEY",
      token: "TENCENTCLOUD_SECURITY_TOKEN",
    },
    // The COS SDK samples' variables carry no token.
    { kind: "env", id: "COS_SECRET_ID", secret: "COS_SECRET_KEY" },
  ],
  region: { config: regionConfigKey("cos"), env: REGION_SOURCES.cos.env },
  endpoint: { config: "bucket-inventory:cosEndpoint", env: "BUCKET_INVENTORY_COS_ENDPOINT" },
};

const OSS_SPEC: SettingsSpec = {
  credentials: [
    {
      kind: "config",
      id: "alicloud:accessKey",
      secret: "alicloud:secretKey",
      token: "alicloud:securityToken",
    },
    {
      kind: "env",
      id: "ALICLOUD_ACCESS_KEY",
      secret: "ALICLOUD_SECRET_KEY",
      token: "ALICLOUD_SECURITY_TOKEN",
    },
    { kind: "env", id: "OSS_ACCESS_KEY_ID", secret: "OSS_ACCESS_KEY_SECRET", token: "OSS_SESSION_TOKEN" },
  ],
  region: { config: regionConfigKey("oss"), env: REGION_SOURCES.oss.env },
  endpoint: { config: "bucket-inventory:ossEndpoint", env: "BUCKET_INVENTORY_OSS_ENDPOINT" },
};

/**
 * Resolves COS settings: stack config (`tencentcloud:secretId`,
 * `tencentcloud:secretKey`, `tencentcloud:securityToken`, `tencentcloud:region`,
 * `bucket-inventory:cosEndpoint`) first, then the environment
 * (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SECURITY_TOKEN`, then `COS_SECRET_ID`, `COS_SECRET_KEY`;
 * `TENCENTCLOUD_REGION`, `BUCKET_INVENTORY_COS_ENDPOINT`).
 */
export function cosSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): CloudSettings {
  return resolve(COS_SPEC, config, env);
}

/**
 * Resolves OSS settings: stack config (`alicloud:accessKey`,
 * `alicloud:secretKey`, `alicloud:securityToken`, `alicloud:region`,
 * `bucket-inventory:ossEndpoint`) first, then the environment
 * (`ALICLOUD_ACCESS_KEY`, `ALICLOUD_SECRET_KEY`, `ALICLOUD_SECURITY_TOKEN`,
 * then `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET`, `OSS_SESSION_TOKEN`;
 * `ALICLOUD_REGION`, `BUCKET_INVENTORY_OSS_ENDPOINT`).
 */
export function ossSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): CloudSettings {
  return resolve(OSS_SPEC, config, env);
}

/** The message for missing COS credentials: what to set, where. */
export const COS_CREDENTIALS_HELP =
  "no COS credentials: set stack config tencentcloud:secretId and tencentcloud:secretKey " +
  "(`pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`), " +
  "or env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (or COS_SECRET_ID / COS_SECRET_KEY)";

/** The message for missing OSS credentials: what to set, where. */
export const OSS_CREDENTIALS_HELP =
  "no OSS credentials: set stack config alicloud:accessKey and alicloud:secretKey " +
  "(`pulumi config set alicloud:accessKey <id>` and `pulumi config set --secret alicloud:secretKey <key>`), " +
  "or env ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (or OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET)";
