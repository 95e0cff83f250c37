/**
 * Reading jobs from the clouds for the discovery commands, with the same
 * clients, credentials and endpoint overrides the resources use (see
 * `../engine/settings` and `../engine/dialects`). Only GET and list requests.
 */
import { CosInventoryClient } from "../clouds/cos/client";
import { parseCosEndpoint } from "../clouds/cos/endpoint";
import { OssInventoryClient } from "../clouds/oss/client";
import { parseOssEndpoint } from "../clouds/oss/endpoint";
import { normalizeOssRegion } from "../clouds/oss/schema";
import { NotFoundError } from "../core/errors";
import type { RuntimeKind } from "../engine/contract";
import { ossSignatureVersion } from "../engine/dialects";
import {
  COS_CREDENTIALS_HELP,
  type CloudSettings,
  type ConfigSource,
  OSS_CREDENTIALS_HELP,
  cosSettings,
  ossSettings,
} from "../engine/settings";
import type { CloudJob } from "../discovery/job";

/** Read-only access to one cloud's jobs in one region. */
export interface JobReader {
  /** Every job on `bucket` (all pages). */
  list(bucket: string): Promise<CloudJob[]>;
  /** One job, or undefined when the cloud does not have it. */
  get(bucket: string, id: string): Promise<CloudJob | undefined>;
}

/** One cloud's settings (stack config when given, then the environment). */
export function settingsOf(cloud: RuntimeKind, config: ConfigSource): CloudSettings {
  return cloud === "cos" ? cosSettings(config) : ossSettings(config);
}

/** The region in the form the resources record it (OSS without `oss-`). */
export function normalRegion(cloud: RuntimeKind, region: string): string {
  return cloud === "oss" ? normalizeOssRegion(region) : region;
}

/** A {@link JobReader} for `cloud` in `region`. @throws when no key pair is found */
export function jobReader(cloud: RuntimeKind, region: string, config: ConfigSource): JobReader {
  const s = settingsOf(cloud, config);
  if (!s.keyId || !s.secret) {
    throw new Error(
      `${cloud === "cos" ? COS_CREDENTIALS_HELP : OSS_CREDENTIALS_HELP}. ` +
        `To use a stack's config instead, pass --stack <stack> --stack-credentials.`,
    );
  }
  const found = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  };
  if (cloud === "cos") {
    const c = new CosInventoryClient({
      credentials: { secretId: s.keyId, secretKey: s.secret, securityToken: s.securityToken },
      region,
      endpoint: parseCosEndpoint(s.endpoint, "bucket-inventory:cosEndpoint"),
    });
    return {
      list: async (bucket) => (await c.list(bucket)).map((model) => ({ cloud: "cos" as const, model })),
      get: async (bucket, id) => {
        const model = await found(c.get(bucket, id));
        return model && { cloud: "cos" as const, model };
      },
    };
  }
  const c = new OssInventoryClient({
    credentials: { accessKeyId: s.keyId, accessKeySecret: s.secret, securityToken: s.securityToken },
    region,
    endpoint: parseOssEndpoint(s.endpoint, "bucket-inventory:ossEndpoint"),
    signatureVersion: ossSignatureVersion(config),
  });
  return {
    list: async (bucket) => (await c.list(bucket)).map((model) => ({ cloud: "oss" as const, model })),
    get: async (bucket, id) => {
      const model = await found(c.get(bucket, id));
      return model && { cloud: "oss" as const, model };
    },
  };
}
