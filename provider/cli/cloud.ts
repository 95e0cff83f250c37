/**
 * Reading jobs from the clouds for the discovery commands, through the
 * resources' own dialects (`../engine/dialects`): the same clients,
 * credential chains, endpoint overrides and signature settings. Only GET and
 * list requests.
 */
import { normalizeOssRegion } from "../clouds/oss/schema";
import { NotFoundError } from "../core/errors";
import { CredentialsError } from "../credentials/common/types";
import type { RuntimeKind } from "../engine/contract";
import { cloudDialects } from "../engine/dialects";
import { type CloudSettings, type ConfigSource, cosSettings, ossSettings } from "../engine/settings";
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

/** The endpoint a cloud's jobs live behind, as the provider's journal records it (`default` or the override). */
export function endpointIdOf(cloud: RuntimeKind, config: ConfigSource): string {
  return cloudDialects(() => config)[cloud].endpointId();
}

/** The region in the form the resources record it (OSS without `oss-`). */
export function normalRegion(cloud: RuntimeKind, region: string): string {
  return cloud === "oss" ? normalizeOssRegion(region) : region;
}

/**
 * A {@link JobReader} for `cloud` in `region`. Credentials are resolved on
 * the first request; when no source gives any, the error names every source
 * and how to use a stack's config instead.
 */
export function jobReader(cloud: RuntimeKind, region: string, config: ConfigSource): JobReader {
  const dialects = cloudDialects(() => config);
  // Built on first use: building resolves the credentials, whose error gets the hint below.
  let built: ReturnType<typeof tagged> | undefined;
  const reader = () =>
    (built ??=
      cloud === "cos"
        ? tagged("cos" as const, dialects.readers.cos(region))
        : tagged("oss" as const, dialects.readers.oss(region)));
  return {
    list: (bucket) => withHint(() => reader().list(bucket)),
    get: async (bucket, id) => {
      try {
        return await withHint(() => reader().get(bucket, id));
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    },
  };
}

function tagged<K extends RuntimeKind, M>(
  cloud: K,
  r: { get(bucket: string, id: string): Promise<M>; list(bucket: string): Promise<M[]> },
): { get(bucket: string, id: string): Promise<CloudJob>; list(bucket: string): Promise<CloudJob[]> } {
  const job = (model: M) => ({ cloud, model }) as CloudJob;
  return {
    get: async (bucket, id) => job(await r.get(bucket, id)),
    list: async (bucket) => (await r.list(bucket)).map(job),
  };
}

async function withHint<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof Error && (e instanceof CredentialsError || e.cause instanceof CredentialsError)) {
      e.message += " To use a stack's config instead, pass --stack <stack> --stack-credentials.";
    }
    throw e;
  }
}
