/**
 * The options `list`, `import` and `status` share: which buckets (`--cloud`,
 * `--region`, `--bucket`), which stacks (`--stack`, `--cwd`), and where
 * credentials come from (the environment, or `--stack-credentials`).
 */
import * as path from "path";
import type { RuntimeKind } from "../engine/contract";
import { type ConfigSource, NO_CONFIG } from "../engine/settings";
import { type JobRef, normalizeJob, type NormalizedJob } from "../discovery/job";
import { type ParsedFlags, UsageError, many, one } from "./args";
import { type JobReader, normalRegion, settingsOf } from "./cloud";
import { stackConfig } from "./pulumi";

/** Help lines for the shared options. */
export const TARGET_OPTIONS_HELP = `  --cloud cos|oss         The cloud of the buckets.
  --region <region>       Their region (default: config tencentcloud:region /
                          alicloud:region with --stack-credentials, else env
                          TENCENTCLOUD_REGION / ALICLOUD_REGION).
  --bucket <name>         A source bucket. Repeatable.`;

/** Help lines for the stack options. */
export const STACK_OPTIONS_HELP = `  --cwd <dir>             The Pulumi project folder (default: the current one).
  --stack-credentials     Read credentials, region and endpoints from the
                          stack's config (\`pulumi config --show-secrets\`;
                          never printed) instead of only the environment.`;

/** Help text on credentials, shared by the commands. */
export const CREDENTIALS_HELP = `Credentials and endpoints are read as the resources read them: env
TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (COS), ALICLOUD_ACCESS_KEY /
ALICLOUD_SECRET_KEY (OSS), BUCKET_INVENTORY_COS_ENDPOINT /
BUCKET_INVENTORY_OSS_ENDPOINT; with --stack-credentials, the stack's config
first. Only GET and list requests are sent.`;

/** Help text on exit statuses, shared by the commands. */
export const EXIT_HELP = `Exit status: 0 done, 1 a cloud, network, credentials or Pulumi failure,
2 a usage mistake, 3 (status) something differs / (import) jobs were skipped.`;

/** The flags {@link parseTargets} reads. */
export const TARGET_FLAGS = {
  single: ["cloud", "region", "cwd"],
  repeated: ["bucket"],
  booleans: ["stack-credentials"],
};

/** Buckets of one cloud and region. */
export interface Targets {
  /** The cloud. */
  cloud: RuntimeKind;
  /** The region, normalized. */
  region: string;
  /** The buckets. */
  buckets: string[];
}

/** The project folder (`--cwd`, absolute). */
export function projectDir(flags: ParsedFlags): string {
  return path.resolve(one(flags, "cwd") ?? ".");
}

/** The cloud named by `--cloud`, or undefined when not given. @throws {@link UsageError} */
export function cloudFlag(flags: ParsedFlags): RuntimeKind | undefined {
  const cloud = one(flags, "cloud");
  if (cloud === undefined || cloud === "cos" || cloud === "oss") return cloud;
  throw new UsageError(`--cloud must be "cos" or "oss", got "${cloud}"`);
}

/**
 * Where settings come from: the stack's config when `--stack-credentials`
 * (then exactly one `--stack` is needed), else nothing (the environment only).
 */
export async function configSource(flags: ParsedFlags, stacks: readonly string[]): Promise<ConfigSource> {
  if (!flags.set.has("stack-credentials")) return NO_CONFIG;
  if (stacks.length !== 1) {
    throw new UsageError("--stack-credentials needs exactly one --stack, whose config holds the credentials");
  }
  return stackConfig(stacks[0], projectDir(flags));
}

/** `--cloud`, `--region` and `--bucket`, all required (the region may come from settings). */
export function parseTargets(flags: ParsedFlags, config: ConfigSource): Targets {
  const cloud = cloudFlag(flags);
  if (cloud === undefined) throw new UsageError("--cloud cos|oss is required");
  const buckets = many(flags, "bucket");
  if (buckets.length === 0) throw new UsageError("at least one --bucket <name> is required");
  const region = one(flags, "region") ?? settingsOf(cloud, config).region;
  if (region === undefined) {
    throw new UsageError(
      `--region is required (or set env ${cloud === "cos" ? "TENCENTCLOUD_REGION" : "ALICLOUD_REGION"})`,
    );
  }
  return { cloud, region: normalRegion(cloud, region), buckets: [...new Set(buckets)] };
}

/** Every job on the targets' buckets, read through `reader` and normalized. */
export async function readBuckets(t: Targets, reader: JobReader): Promise<NormalizedJob[]> {
  const jobs: NormalizedJob[] = [];
  for (const bucket of t.buckets) {
    for (const job of await reader.list(bucket)) jobs.push(normalizeJob(job, { region: t.region, bucket }));
  }
  return jobs;
}

/** The address of a normalized job. */
export function refOf(j: JobRef): JobRef {
  return { cloud: j.cloud, region: j.region, bucket: j.bucket, inventoryId: j.inventoryId };
}
