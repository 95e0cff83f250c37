/**
 * `bucket-inventory import`: reads chosen jobs from the cloud and writes the
 * `pulumi import --file` document and the program's declarations for them,
 * so that after the import the program previews with no changes; `--run`
 * runs the `pulumi import` too. Nothing is written to the cloud.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { FileJournal, type JournalEntry, journalDir } from "../engine/journal";
import { generateProgram } from "../discovery/code";
import { importFile } from "../discovery/import-file";
import { type NormalizedJob, jobKey, normalizeJob } from "../discovery/job";
import { type CliIo, EXIT, UsageError, guarded, many, one, parseFlags } from "./args";
import { endpointIdOf, jobReader } from "./cloud";
import { pulumiImportArgs, runPulumiCli, stackJobs } from "./pulumi";
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

/** Default output files, in the current folder. */
const DEFAULT_FILE = "inventory-import.json";
const DEFAULT_CODE = "inventory-import.ts";

/** The `import` subcommand's help text. */
export const IMPORT_USAGE = `Usage: bucket-inventory import --cloud cos|oss --region <region> --bucket <name>...
                               [--id <inventoryId>]... [--file <path>] [--code <path>] [--force]
                               [--stack <stack>] [--cwd <dir>] [--run] [--json]

Reads the jobs (every job on the buckets, or only --id ones) from the cloud and
writes:
  --file  a \`pulumi import --file\` document (default ${DEFAULT_FILE}) whose
          inputs and outputs are the jobs as the cloud returned them,
          normalized as the resources' check normalizes them;
  --code  TypeScript declarations of the same jobs (default ${DEFAULT_CODE}),
          \`new inventory.<cloud>.BucketInventory("<bucket>.<id>", {...})\`.
Then run, in the project folder:
  pulumi import --file <file> --generate-code=false --protect=false
and add the declarations to the program: the next preview shows no changes.

Options:
${TARGET_OPTIONS_HELP}
  --id <inventoryId>      Only this job (with a single --bucket). Repeatable.
  --file <path>           Where to write the import document.
  --code <path>           Where to write the declarations.
  --force                 Overwrite --file and --code if they exist.
  --stack <stack>         Leave out jobs this stack already manages; with --run,
                          the stack to import into.
${STACK_OPTIONS_HELP}
  --run                   Also run that \`pulumi import\` (with --yes) in --cwd
                          on --stack.
  --json                  Print {"file", "code", "imported", "skipped"} for scripts.
  -h, --help              Show this help.

Jobs this package cannot manage as they are (an id outside a-z A-Z 0-9 - _ .,
a value past a limit) are skipped and named, with the reason.
${CREDENTIALS_HELP}
${EXIT_HELP}`;

/** A job left out, and why. */
interface Skipped {
  job: string;
  reason: string;
  /** Left out because the stack already manages it: what was asked, not a problem to report. */
  managed?: true;
}

/** Writes `text` to `file`, refusing to replace an existing file unless `force`. */
function writeNew(file: string, text: string, force: boolean): void {
  if (!force && fs.existsSync(file)) {
    throw new Error(`${file} exists; choose another path or pass --force to overwrite it`);
  }
  fs.writeFileSync(file, text);
}

/** Runs `import`; resolves with the exit status. */
export function importCommand(args: readonly string[], io: CliIo): Promise<number> {
  return guarded("import", io, async () => {
    const flags = parseFlags(args, {
      single: [...TARGET_FLAGS.single, "file", "code", "stack"],
      repeated: [...TARGET_FLAGS.repeated, "id"],
      booleans: [...TARGET_FLAGS.booleans, "force", "run", "json"],
    });
    if (flags === "help") {
      io.out(IMPORT_USAGE);
      return EXIT.ok;
    }
    const stack = one(flags, "stack");
    const run = flags.set.has("run");
    if (run && stack === undefined) throw new UsageError("--run needs --stack <stack> to import into");
    const config = await configSource(flags, stack === undefined ? [] : [stack]);
    const targets = parseTargets(flags, config);
    const ids = many(flags, "id");
    if (ids.length > 0 && targets.buckets.length !== 1) {
      throw new UsageError("--id needs exactly one --bucket (the bucket the jobs are on)");
    }
    const reader = jobReader(targets.cloud, targets.region, config);
    let jobs: NormalizedJob[];
    if (ids.length > 0) {
      jobs = [];
      const bucket = targets.buckets[0];
      for (const id of new Set(ids)) {
        const job = await reader.get(bucket, id);
        if (job === undefined) {
          throw new Error(
            `no inventory job "${id}" on ${targets.cloud} bucket ${bucket} (${targets.region}); nothing was written. ` +
              `See the ids with \`bucket-inventory list --cloud ${targets.cloud} --region ${targets.region} --bucket ${bucket}\`.`,
          );
        }
        jobs.push(normalizeJob(job, { region: targets.region, bucket }));
      }
    } else {
      jobs = await readBuckets(targets, reader);
    }

    const skipped: Skipped[] = [];
    if (stack !== undefined) {
      const managed = new Set((await stackJobs(stack, projectDir(flags))).map(jobKey));
      jobs = jobs.filter((j) => {
        if (!managed.has(jobKey(j))) return true;
        skipped.push({ job: jobKey(j), reason: `stack ${stack} already manages it`, managed: true });
        return false;
      });
    }
    jobs = jobs.filter((j) => {
      if (j.failures.length === 0) return true;
      const reason = j.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      skipped.push({ job: jobKey(j), reason: `this package cannot manage it as it is (${reason})` });
      return false;
    });

    // This machine's journal may give a job to another stack's resource (see ../engine/journal): a destroy
    // in the importing stack would then leave the job in place. With --run the import takes the jobs over,
    // as the `import` resource option does: each gets a fresh claim, in the state and in the journal.
    const journal = new FileJournal(journalDir());
    const endpoint = endpointIdOf(targets.cloud, config);
    const entryOf = (j: NormalizedJob): JournalEntry => ({
      version: 1,
      cloud: j.cloud,
      endpoint,
      region: j.region,
      bucket: j.bucket,
      inventoryId: j.inventoryId,
    });
    const claims = jobs.map(() => randomUUID());
    const file = path.resolve(one(flags, "file") ?? DEFAULT_FILE);
    const code = path.resolve(one(flags, "code") ?? DEFAULT_CODE);
    if (jobs.length > 0) {
      const force = flags.set.has("force");
      writeNew(file, JSON.stringify(importFile(jobs, run ? claims : []), null, 2) + "\n", force);
      writeNew(code, generateProgram(jobs), force);
    }
    const claimed = jobs
      .map((j) => ({ job: j, entry: journal.get(entryOf(j)) }))
      .filter((c) => c.entry?.claim !== undefined);
    // Jobs the stack already manages are left out as asked, not a problem to report.
    const attention = skipped.some((s) => !s.managed);
    const status = attention ? EXIT.attention : EXIT.ok;
    const imported = jobs.map(jobKey);
    if (flags.set.has("json")) {
      io.out(
        JSON.stringify(
          {
            file: jobs.length > 0 ? file : null,
            code: jobs.length > 0 ? code : null,
            imported,
            skipped: skipped.map(({ job, reason }) => ({ job, reason })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const s of skipped) io.err(`skipped ${s.job}: ${s.reason}`);
      if (jobs.length === 0) {
        io.out("no jobs to import; nothing was written");
      } else {
        io.out(`read ${jobs.length} job(s): ${imported.join(", ")}`);
        io.out(`wrote ${file} (pulumi import document) and ${code} (declarations)`);
      }
    }
    if (jobs.length === 0) return status;
    const importArgs = pulumiImportArgs(file, stack, run);
    if (!run) {
      for (const { job, entry } of claimed) {
        io.err(
          `note: this machine's provider journal says ${entry?.stack ? `stack ${entry.stack}` : "another resource"} ` +
            `manages ${jobKey(job)}; a \`pulumi destroy\` after this import leaves the job in place. Import with ` +
            `--run to take it over, or, once that stack no longer manages it, run \`bucket-inventory journal ` +
            `--forget ${job.cloud}:${job.region}/${job.bucket}/${job.inventoryId}\`.`,
        );
      }
      if (!flags.set.has("json")) {
        io.out("next, in the project folder:");
        io.out(`  pulumi ${importArgs.join(" ")}`);
        io.out(`and add the declarations in ${code} to the program; the next preview then shows no changes.`);
      }
      return status;
    }
    const r = await runPulumiCli(importArgs, projectDir(flags));
    if (r.code !== 0) {
      io.err(r.stdout.trim());
      io.err(r.stderr.trim());
      throw new Error(
        `\`pulumi ${importArgs.join(" ")}\` failed (exit ${r.code}); the jobs in the cloud are unchanged. ` +
          `Fix the cause above and run it again (resources it did import are in the stack: see \`pulumi stack\`).`,
      );
    }
    jobs.forEach((j, i) => {
      const before = journal.get(entryOf(j));
      if (before?.claim !== undefined && !flags.set.has("json")) {
        io.err(
          `took ${jobKey(j)} over from ${before.stack ? `stack ${before.stack}` : "another resource"} ` +
            `in this machine's journal: a destroy there now leaves the job in place.`,
        );
      }
      journal.put({ ...entryOf(j), stack, claim: claims[i] });
    });
    if (!flags.set.has("json")) {
      io.out(`imported into stack ${stack}; add the declarations in ${code} to the program.`);
    }
    return status;
  });
}
