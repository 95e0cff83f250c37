/**
 * `bucket-inventory status`: compares a stack's jobs with the cloud (drifted,
 * missing, unmanaged) without changing either: GET and list requests only,
 * and no write to the stack (unlike `pulumi refresh`, which records what it
 * finds).
 */
import { type JobRef, jobKey, normalizeJob } from "../discovery/job";
import { type StatusEntry, compareStack, formatTable } from "../discovery/state";
import type { RuntimeKind } from "../engine/contract";
import { type CliIo, EXIT, UsageError, guarded, many, one, parseFlags } from "./args";
import { type JobReader, jobReader, normalRegion } from "./cloud";
import { stackJobs } from "./pulumi";
import {
  CREDENTIALS_HELP,
  EXIT_HELP,
  STACK_OPTIONS_HELP,
  TARGET_FLAGS,
  cloudFlag,
  configSource,
  projectDir,
  readBuckets,
} from "./targets";

/** The `status` subcommand's help text. */
export const STATUS_USAGE = `Usage: bucket-inventory status --stack <stack> [--cwd <dir>]
                               [--cloud cos|oss] [--region <region>] [--bucket <name>]... [--json]

Compares the inventory jobs stack <stack> manages (\`pulumi stack export\` in
--cwd) with the cloud, changing neither (GET and list requests only; unlike
\`pulumi refresh\`, nothing is written to the stack):
  in-sync    the job matches the stack's state
  drifted    the job differs (the properties are named); \`pulumi up --refresh\`
             puts the declared configuration back (a plain \`pulumi up\` compares
             with the state, which has not seen the change), \`pulumi refresh\`
             records the cloud's
  missing    the stack manages it but the cloud has no such job;
             \`pulumi up --refresh\` creates it again
  unmanaged  a job on a bucket the stack uses (or a --bucket) that the stack
             does not manage; \`bucket-inventory import\` takes it over

Options:
  --stack <stack>         The stack (required).
${STACK_OPTIONS_HELP}
  --cloud, --region, --bucket
                          Also look for unmanaged jobs on these buckets, and
                          limit the report to that cloud.
  --json                  Print {"stack", "jobs": [...], "counts"} for scripts.
  -h, --help              Show this help.

${CREDENTIALS_HELP}
${EXIT_HELP}`;

/** Runs `status`; resolves with the exit status (3 when anything is not in sync). */
export function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  return guarded("status", io, async () => {
    const flags = parseFlags(args, {
      single: [...TARGET_FLAGS.single, "stack"],
      repeated: TARGET_FLAGS.repeated,
      booleans: [...TARGET_FLAGS.booleans, "json"],
    });
    if (flags === "help") {
      io.out(STATUS_USAGE);
      return EXIT.ok;
    }
    const stack = one(flags, "stack");
    if (stack === undefined) throw new UsageError("--stack <stack> is required");
    const config = await configSource(flags, [stack]);
    const onlyCloud = cloudFlag(flags);
    const extraBuckets = many(flags, "bucket");
    const region = one(flags, "region");
    if (extraBuckets.length > 0 && (onlyCloud === undefined || region === undefined)) {
      throw new UsageError("--bucket needs --cloud and --region");
    }
    const managed = (await stackJobs(stack, projectDir(flags))).filter(
      (m) => onlyCloud === undefined || m.cloud === onlyCloud,
    );

    // One reader per cloud and region, made only when needed (credentials of a cloud the stack does not use are not asked for).
    const readers = new Map<string, JobReader>();
    const readerFor = (cloud: RuntimeKind, r: string): JobReader => {
      const key = `${cloud} ${r}`;
      let reader = readers.get(key);
      if (!reader) {
        reader = jobReader(cloud, r, config);
        readers.set(key, reader);
      }
      return reader;
    };

    const current = new Map<string, Record<string, unknown> | undefined>();
    for (const m of managed) {
      if (m.run) continue; // a one-shot run's configuration: owned, not compared (see compareStack)
      const job = await readerFor(m.cloud, m.region).get(m.bucket, m.inventoryId);
      current.set(jobKey(m), job && normalizeJob(job, m).read);
    }
    // The buckets to list: every bucket the stack uses, and the ones given.
    const buckets = new Map<string, { cloud: RuntimeKind; region: string; bucket: string }>();
    for (const m of managed) buckets.set(`${m.cloud} ${m.region} ${m.bucket}`, m);
    if (onlyCloud !== undefined && region !== undefined) {
      const r = normalRegion(onlyCloud, region);
      for (const bucket of extraBuckets)
        buckets.set(`${onlyCloud} ${r} ${bucket}`, { cloud: onlyCloud, region: r, bucket });
    }
    const listed: JobRef[] = [];
    for (const b of buckets.values()) {
      const t = { cloud: b.cloud, region: b.region, buckets: [b.bucket] };
      listed.push(...(await readBuckets(t, readerFor(b.cloud, b.region))));
    }
    const entries = compareStack(managed, current, listed);
    const counts = { "in-sync": 0, drifted: 0, missing: 0, unmanaged: 0 };
    for (const e of entries) counts[e.status]++;
    const status = entries.some((e) => e.status !== "in-sync") ? EXIT.attention : EXIT.ok;
    if (flags.set.has("json")) {
      const jobs = entries.map((e: StatusEntry) => ({ ...e }));
      io.out(JSON.stringify({ stack, jobs, counts }, null, 2));
      return status;
    }
    if (entries.length === 0) {
      io.out(`stack ${stack} manages no inventory jobs, and no job was found on the given buckets`);
      return status;
    }
    const rows = entries.map((e) => [
      e.status,
      e.cloud,
      e.region,
      e.bucket,
      e.inventoryId,
      e.name ?? "",
      e.differences?.join(", ") ?? "",
    ]);
    for (const line of formatTable(
      ["STATUS", "CLOUD", "REGION", "BUCKET", "ID", "RESOURCE", "DIFFERS IN"],
      rows,
    )) {
      io.out(line);
    }
    io.out(
      `${counts["in-sync"]} in sync, ${counts.drifted} drifted, ${counts.missing} missing, ${counts.unmanaged} unmanaged`,
    );
    return status;
  });
}
