/**
 * The `journal` subcommand: what this machine's provider journal (see
 * `../engine/journal`) knows, above all changes a killed provider process
 * left unfinished, with what to do about each.
 *
 * ```
 * bucket-inventory journal [--dir <dir>] [--json]
 * bucket-inventory journal --forget <cloud>:<region>/<bucket>/<inventoryId> [--dir <dir>]
 * ```
 */
import { FileJournal, JournalEntry, interrupted, journalDir } from "../engine/journal";

/** The `journal` subcommand's help text. */
export const JOURNAL_USAGE = `Usage: bucket-inventory journal [--dir <dir>] [--json]
       bucket-inventory journal --forget <cloud>:<region>/<bucket>/<inventoryId> [--dir <dir>]

Lists the inventory jobs this machine's provider journal knows: the stack
managing each, and any create, update or delete that a killed provider left
unfinished, with what to do about it.

With --forget, removes what the journal knows of one job (on every endpoint),
e.g. cos:ap-guangzhou/examplebucket-1250000000/daily. Do this only when the
stack it names no longer manages the job (its state was deleted, or the job
was imported into another stack with \`pulumi import --file\`): a destroy of
a resource whose job the journal gives to another stack leaves the job in
place, and forgetting the entry lets that destroy delete it. Nothing in the
cloud or in any stack's state changes.

Options:
  --dir <dir>   The journal folder (default: $BUCKET_INVENTORY_JOURNAL_DIR,
                else $PULUMI_HOME/bucket-inventory/journal, else
                ~/.pulumi/bucket-inventory/journal)
  --json        Print the entries as JSON, each with "interrupted": true|false
  -h, --help    Show this help`;

/** What to do about an interrupted change, in words. */
export function recoveryAdvice(entry: JournalEntry): string {
  const stack = entry.stack ? `stack ${entry.stack}` : "the stack that declares it";
  switch (entry.pending?.op) {
    case "create":
      return (
        `the job may exist although no stack's state records it. Run \`pulumi up\` in ${stack}: it takes the job ` +
        `back with no write. If the program no longer declares it, delete the job in the console (\`pulumi destroy\` ` +
        `cannot see it).`
      );
    case "update":
      return (
        `the job may hold the old configuration, the new one, or (OSS) be missing. Run \`pulumi up\` in ${stack}: ` +
        `it writes the declared configuration again, even when the program is unchanged.`
      );
    case "delete":
      return `the job may still exist. Run \`pulumi destroy\` (or \`pulumi up\`) in ${stack} again to finish.`;
    default:
      return "";
  }
}

/** One line per entry, interrupted changes first. */
export function formatJournal(entries: readonly JournalEntry[]): string[] {
  if (entries.length === 0) {
    return ["the journal is empty: no job changes are known on this machine"];
  }
  const sorted = [...entries].sort((a, b) => Number(interrupted(b.pending)) - Number(interrupted(a.pending)));
  return sorted.map((e) => {
    const where = `${e.cloud} ${e.region}/${e.bucket}/${e.inventoryId} (endpoint ${e.endpoint})`;
    const who = e.stack ? `stack ${e.stack}` : "no stack recorded";
    if (interrupted(e.pending)) {
      const p = e.pending!;
      return `INTERRUPTED ${p.op} of ${where}, ${who}, by process ${p.pid} at ${p.since}: ${recoveryAdvice(e)}`;
    }
    if (e.pending) {
      return `in progress: ${e.pending.op} of ${where}, ${who}, by process ${e.pending.pid}`;
    }
    return `managed: ${where}, ${who}`;
  });
}

/** A job named on the command line: `<cloud>:<region>/<bucket>/<inventoryId>`. */
export interface ForgetTarget {
  /** `cos` or `oss`. */
  cloud: string;
  /** Region. */
  region: string;
  /** Bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
}

/** Parsed `journal` arguments. */
export interface JournalArgs {
  /** The journal folder. */
  dir: string;
  /** Whether to print JSON. */
  json: boolean;
  /** The job whose entries to remove, with `--forget`. */
  forget?: ForgetTarget;
}

const FORGET_PATTERN = /^(cos|oss):([^/]+)\/([^/]+)\/([^/]+)$/;

/** Parses the arguments after `journal`; `"help"`, the options, or an error message. */
export function parseJournalArgs(args: readonly string[]): JournalArgs | "help" | string {
  let dir = journalDir();
  let json = false;
  let forget: ForgetTarget | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") return "help";
    if (a === "--json") json = true;
    else if (a === "--dir" && args[i + 1] !== undefined) dir = args[++i];
    else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else if (a === "--forget" || a.startsWith("--forget=")) {
      const value = a === "--forget" ? args[++i] : a.slice("--forget=".length);
      const m = FORGET_PATTERN.exec(value ?? "");
      if (!m)
        return `--forget needs <cloud>:<region>/<bucket>/<inventoryId>, e.g. cos:ap-guangzhou/examplebucket-1250000000/daily`;
      forget = { cloud: m[1], region: m[2], bucket: m[3], inventoryId: m[4] };
    } else return `unknown or incomplete option "${a}"`;
  }
  return { dir, json, forget };
}

/** The entries of `entries` that are about the job `t`, on any endpoint. */
export function entriesOf(entries: readonly JournalEntry[], t: ForgetTarget): JournalEntry[] {
  return entries.filter(
    (e) =>
      e.cloud === t.cloud &&
      e.region === t.region &&
      e.bucket === t.bucket &&
      e.inventoryId === t.inventoryId,
  );
}

/** Runs `journal`; resolves with the exit status (2 for a usage error). */
export function runJournal(
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const parsed = parseJournalArgs(args);
  if (parsed === "help") {
    out(JOURNAL_USAGE);
    return 0;
  }
  if (typeof parsed === "string") {
    err(`error: ${parsed}`);
    err(JOURNAL_USAGE);
    return 2;
  }
  const journal = new FileJournal(parsed.dir);
  const entries = journal.entries();
  if (parsed.forget) {
    const t = parsed.forget;
    const found = entriesOf(entries, t);
    if (found.length === 0) {
      out(
        `the journal knows nothing of ${t.cloud}:${t.region}/${t.bucket}/${t.inventoryId}; nothing to forget`,
      );
      return 0;
    }
    for (const e of found) {
      if (interrupted(e.pending)) {
        err(`error: ${formatJournal([e])[0]}`);
        err("Finish or recover that change first (see above); nothing was forgotten.");
        return 1;
      }
    }
    for (const e of found) {
      journal.remove(e);
      out(`forgot: ${formatJournal([e])[0]}`);
    }
    return 0;
  }
  if (parsed.json) {
    out(
      JSON.stringify(
        entries.map((e) => ({ ...e, interrupted: interrupted(e.pending) })),
        null,
        2,
      ),
    );
  } else {
    for (const line of formatJournal(entries)) out(line);
  }
  return 0;
}
