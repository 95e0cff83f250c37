/**
 * The jobs the engine benchmark's programs declare, and the runtime
 * micro-benchmark checks: every field set, like a real job, for each cloud
 * (the baseline declares the COS inputs). Imports nothing at run time, so
 * loading it costs a program (or the micro-benchmark's measured first load of
 * the runtime) nothing.
 */
import type { cos, oss } from "../../provider";

/** The COS bucket every benchmark puts its COS jobs on. */
export const BENCH_BUCKET = "benchbucket-1250000000";

/** Its region. */
export const BENCH_REGION = "ap-guangzhou";

/** The OSS bucket the engine benchmark puts its OSS jobs on. */
export const OSS_BENCH_BUCKET = "benchbucket-oss";

/** Its region. */
export const OSS_BENCH_REGION = "cn-hangzhou";

/** The environment variable that tells a benchmark program how many resources to declare. */
export const COUNT_ENV = "BENCH_ENGINE_COUNT";

/** The number of resources a program declares, from {@link COUNT_ENV}. */
export function resourceCount(): number {
  const count = Number(process.env[COUNT_ENV]);
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`${COUNT_ENV} must be a whole number (got ${JSON.stringify(process.env[COUNT_ENV])})`);
  }
  return count;
}

/** The name (and job id) of resource `i`: `<prefix>-0042`. */
export function jobName(i: number, prefix = "job"): string {
  return `${prefix}-${String(i).padStart(4, "0")}`;
}

/** Declares {@link resourceCount} resources, the i-th made by `declare` under the name {@link jobName}(i). */
export function declareJobs(declare: (name: string) => void): void {
  for (let i = 0; i < resourceCount(); i++) declare(jobName(i));
}

/** The arguments both clouds spell alike, for the job named `name` (also its id). */
function sharedArgs(name: string) {
  return {
    inventoryId: name,
    enabled: true,
    includedObjectVersions: "All" as const,
    schedule: { frequency: "Weekly" as const },
  };
}

/** The inputs of the COS job named `name` (also its id); the baseline declares the same. */
export function jobArgs(name: string) {
  return {
    bucket: BENCH_BUCKET,
    region: BENCH_REGION,
    ...sharedArgs(name),
    filter: {
      prefix: "logs/2026/",
      tags: [{ key: "team", value: "data" }],
      period: { startTime: 1700000000, endTime: 1800000000 },
    },
    optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "Tag", "x-cos-meta-owner"],
    destination: {
      bucket: `qcs::cos:${BENCH_REGION}::${BENCH_BUCKET}`,
      accountId: "100000000001",
      prefix: "inventory-reports",
      format: "CSV",
      encryption: "SSE-COS",
    },
  } satisfies cos.BucketInventoryArgs;
}

/** The inputs of the OSS job named `name` (also its id): every argument OSS has. */
export function ossJobArgs(name: string) {
  return {
    bucket: OSS_BENCH_BUCKET,
    region: OSS_BENCH_REGION,
    ...sharedArgs(name),
    filter: {
      prefix: "logs/2026/",
      lastModifyBeginTime: 1700000000,
      lastModifyEndTime: 1800000000,
      lowerSizeBound: 1024,
      upperSizeBound: 1073741824,
      storageClasses: ["Standard", "IA"],
    },
    optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "ObjectAcl", "Crc64"],
    destination: {
      bucket: `acs:oss:::${OSS_BENCH_BUCKET}`,
      accountId: "1000000000000000",
      roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
      prefix: "inventory-reports",
      format: "CSV",
      encryption: { type: "SSE-KMS", keyId: "bench-kms-key" },
    },
    incrementalInventory: { enabled: true, optionalFields: ["SequenceNumber", "RecordType", "Size"] },
  } satisfies oss.BucketInventoryArgs;
}
