/**
 * Provider settings (credentials, region defaults, endpoint overrides) from
 * stack config, the environment and the clouds' profile files. Credentials
 * are read in the provider process only; they never enter resource inputs,
 * outputs, logs or the serialized provider.
 */
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import type { KeyPairProvider, SourceContext } from "../credentials/common/types";
import { cosCredentials as selectCos, cosProfileRegion } from "../credentials/cos/sources";
import { ossCredentials as selectOss } from "../credentials/oss/sources";
import { REGION_SOURCES, regionConfigKey } from "./region";

/** Something that looks up stack config by `namespace:key` (the dynamic provider's Config). */
export interface ConfigSource {
  /** The value, or undefined when unset. */
  get(key: string): string | undefined;
}

/** An empty config source (before `configure`, or outside the engine). */
export const NO_CONFIG: ConfigSource = { get: () => undefined };

/** One cloud's settings, resolved (credentials come from {@link cosCredentials} / {@link ossCredentials}). */
export interface CloudSettings {
  /** Default region, when found. */
  region?: string;
  /** Endpoint override string, when found. */
  endpoint?: string;
}

function first(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

/**
 * Resolves COS settings: region from `tencentcloud:region`, then
 * `TENCENTCLOUD_REGION`, then the tccli profile's region; the endpoint
 * from `bucket-inventory:cosEndpoint`, then `BUCKET_INVENTORY_COS_ENDPOINT`.
 */
export function cosSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): CloudSettings {
  return {
    region: first(
      config.get(regionConfigKey("cos")),
      env[REGION_SOURCES.cos.env],
      profileRegion(config, env),
    ),
    endpoint: first(config.get("bucket-inventory:cosEndpoint"), env.BUCKET_INVENTORY_COS_ENDPOINT),
  };
}

/**
 * Resolves OSS settings: region from `alicloud:region`, then
 * `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION`; the endpoint from
 * `bucket-inventory:ossEndpoint`, then `BUCKET_INVENTORY_OSS_ENDPOINT`.
 */
export function ossSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): CloudSettings {
  return {
    region: first(config.get(regionConfigKey("oss")), env[REGION_SOURCES.oss.env], env.ALIBABA_CLOUD_REGION),
    endpoint: first(config.get("bucket-inventory:ossEndpoint"), env.BUCKET_INVENTORY_OSS_ENDPOINT),
  };
}

/** The tccli profile's region, when a profile file is there (a broken file is reported by the credential chain). */
function profileRegion(config: ConfigSource, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return cosProfileRegion(sourceContext(config, env));
  } catch {
    return undefined;
  }
}

/** The real world the credential sources read: this config and environment, files, the clock and `fetch`. */
export function sourceContext(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): SourceContext {
  return {
    config,
    env,
    home: env.HOME ?? env.USERPROFILE ?? homedir(),
    readFile: (path) => (existsSync(path) ? readFileSync(path, "utf8") : undefined),
    now: Date.now,
    fetch: (input, init) => fetch(input, init),
  };
}

/**
 * The COS credential provider for this config and environment: the first
 * configured source of the Tencent Cloud provider's chain
 * (`../credentials/cos/sources`; README, Credentials).
 *
 * @throws CredentialsError naming every source tried when none is configured.
 */
export function cosCredentials(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): KeyPairProvider {
  return selectCos(sourceContext(config, env));
}

/**
 * The OSS credential provider for this config and environment: the first
 * configured source of the Alibaba Cloud provider's chain
 * (`../credentials/oss/sources`; README, Credentials).
 *
 * @throws CredentialsError naming every source tried when none is configured.
 */
export function ossCredentials(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): KeyPairProvider {
  return selectOss(sourceContext(config, env));
}
