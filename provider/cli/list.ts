/**
 * `bucket-inventory list`: the jobs on one or more buckets, and which of the
 * given stacks manage each (none: unmanaged, an orphan of those stacks).
 */
import { jobKey } from "../discovery/job";
import { resourceName } from "../discovery/naming";
import { type ManagedJob, formatTable, managersOf } from "../discovery/state";
import { type CliIo, EXIT, guarded, many, parseFlags } from "./args";
import { jobReader } from "./cloud";
import { stackJobs } from "./pulumi";
import {
  CREDENTIALS_HELP,
  EXIT_HELP,
  STACK_OPTIONS_HELP,
  TARGET_FLAGS,
  TARGET_OPTIONS_HELP,
  configSource,
  parseTargets,
  projectDir,
  readBuckets,
} from "./targets";

/** The `list` subcommand's help text. */
export const LIST_USAGE = `Usage: bucket-inventory list --cloud cos|oss --region <region> --bucket <name>...
                             [--stack <stack>]... [--cwd <dir>] [--json]

Lists the inventory jobs on the buckets (read from the cloud) and, for each
--stack, whether that stack manages it (read with \`pulumi stack export\` in
--cwd). A job no given stack manages is marked "unmanaged".

Options:
${TARGET_OPTIONS_HELP}
  --stack <stack>         A stack to compare with. Repeatable.
${STACK_OPTIONS_HELP}
  --json                  Print {"stacks", "jobs": [...]} for scripts; each job has
                          "managedBy" (the given stacks managing it), "unmanaged"
                          (true when stacks were given and none manages it),
                          "name" (its resource name on import) and "importable".
  -h, --help              Show this help.

${CREDENTIALS_HELP}
${EXIT_HELP}`;

/** Runs `list`; resolves with the exit status. */
export function listCommand(args: readonly string[], io: CliIo): Promise<number> {
  return guarded("list", io, async () => {
    const flags = parseFlags(args, {
      ...TARGET_FLAGS,
      repeated: [...TARGET_FLAGS.repeated, "stack"],
      booleans: [...TARGET_FLAGS.booleans, "json"],
    });
    if (flags === "help") {
      io.out(LIST_USAGE);
      return EXIT.ok;
    }
    const stacks = many(flags, "stack");
    const config = await configSource(flags, stacks);
    const targets = parseTargets(flags, config);
    const managed: ManagedJob[] = [];
    for (const stack of stacks) managed.push(...(await stackJobs(stack, projectDir(flags))));
    const jobs = await readBuckets(targets, jobReader(targets.cloud, targets.region, config));
    const managers = managersOf(jobs, managed);
    const rows = jobs.map((j) => {
      const managedBy = managers.get(jobKey(j)) ?? [];
      return {
        cloud: j.cloud,
        region: j.region,
        bucket: j.bucket,
        inventoryId: j.inventoryId,
        enabled: j.read.enabled as boolean,
        frequency: (j.read.schedule as { frequency?: string } | undefined)?.frequency,
        name: resourceName(j),
        managedBy,
        unmanaged: stacks.length > 0 && managedBy.length === 0,
        importable: j.failures.length === 0,
      };
    });
    if (flags.set.has("json")) {
      io.out(JSON.stringify({ stacks, jobs: rows }, null, 2));
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.out(`no inventory jobs on ${targets.buckets.join(", ")} (${targets.cloud} ${targets.region})`);
      return EXIT.ok;
    }
    const header = ["CLOUD", "REGION", "BUCKET", "ID", "ENABLED", "SCHEDULE"];
    if (stacks.length > 0) header.push("MANAGED BY");
    const table = rows.map((r) => {
      const cells = [r.cloud, r.region, r.bucket, r.inventoryId, String(r.enabled), r.frequency ?? ""];
      if (stacks.length > 0) cells.push(r.unmanaged ? "unmanaged" : r.managedBy.join(", "));
      return cells;
    });
    for (const line of formatTable(header, table)) io.out(line);
    return EXIT.ok;
  });
}
