/**
 * The job both sides of the engine benchmark declare, and the runtime
 * micro-benchmark checks: most fields set, like a real job. Imports nothing
 * at run time, so loading it costs a program (or the micro-benchmark's
 * measured first load of the runtime) nothing.
 */
import type { cos } from "../../provider";

/** The bucket every benchmark puts its jobs on. */
export const BENCH_BUCKET = "benchbucket-1250000000";

/** Its region. */
export const BENCH_REGION = "ap-guangzhou";

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

/** The inputs of the job named `name` (also its id), the same on both sides. */
export function jobArgs(name: string) {
  return {
    bucket: BENCH_BUCKET,
    region: BENCH_REGION,
    inventoryId: name,
    enabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Weekly" },
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
