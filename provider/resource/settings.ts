/**
 * Provider settings (credentials, region defaults, endpoint overrides) from
 * stack config and the environment. Credentials are read in the provider
 * process only; they never enter resource inputs, outputs or the serialized
 * provider.
 */

/** Something that looks up stack config by `namespace:key` (the dynamic provider's Config). */
export interface ConfigSource {
  /** The value, or undefined when unset. */
  get(key: string): string | undefined;
}

/** An empty config source (before `configure`, or outside the engine). */
export const NO_CONFIG: ConfigSource = { get: () => undefined };

/** COS settings. */
export interface CosSettings {
  /** SecretId, when found. */
  secretId?: string;
  /** SecretKey, when found. */
  secretKey?: string;
  /** STS token, when found. */
  securityToken?: string;
  /** Default region, when found. */
  region?: string;
  /** Endpoint override string, when found. */
  endpoint?: string;
  /** Where the credentials came from, for messages (never the values). */
  credentialSource?: string;
}

function first(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

/**
 * Resolves COS settings: stack config (`tencentcloud:secretId`,
 * `tencentcloud:secretKey`, `tencentcloud:securityToken`, `tencentcloud:region`,
 * `bucket-inventory:cosEndpoint`) first, then the environment
 * (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SECURITY_TOKEN`, `COS_SECRET_ID`, `COS_SECRET_KEY`,
 * `TENCENTCLOUD_REGION`, `BUCKET_INVENTORY_COS_ENDPOINT`).
 */
export function cosSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): CosSettings {
  const fromConfig = first(config.get("tencentcloud:secretId")) !== undefined;
  const fromTencentEnv = first(env.TENCENTCLOUD_SECRET_ID) !== undefined;
  const secretId = first(config.get("tencentcloud:secretId"), env.TENCENTCLOUD_SECRET_ID, env.COS_SECRET_ID);
  // Take the key from the same place as the id, so a pair is never mixed.
  const secretKey = fromConfig
    ? first(config.get("tencentcloud:secretKey"))
    : fromTencentEnv
      ? first(env.TENCENTCLOUD_SECRET_KEY)
      : first(env.COS_SECRET_KEY);
  const securityToken = fromConfig
    ? first(config.get("tencentcloud:securityToken"))
    : fromTencentEnv
      ? first(env.TENCENTCLOUD_SECURITY_TOKEN)
      : undefined;
  return {
    secretId,
    secretKey,
    securityToken,
    region: first(config.get("tencentcloud:region"), env.TENCENTCLOUD_REGION),
    endpoint: first(config.get("bucket-inventory:cosEndpoint"), env.BUCKET_INVENTORY_COS_ENDPOINT),
    credentialSource: fromConfig
      ? "stack config tencentcloud:secretId/secretKey"
      : fromTencentEnv
        ? "env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY"
        : secretId
          ? "env COS_SECRET_ID/COS_SECRET_KEY"
          : undefined,
  };
}

/** The message for missing COS credentials: what to set, where. */
export const COS_CREDENTIALS_HELP =
  "no COS credentials: set stack config tencentcloud:secretId and tencentcloud:secretKey " +
  "(`pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`), " +
  "or env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (or COS_SECRET_ID / COS_SECRET_KEY)";
