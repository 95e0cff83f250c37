/**
 * The `journal` subcommand: what this machine's provider journal (see
 * `../engine/journal`) knows, above all changes a killed provider process
 * left unfinished, with what to do about each.
 *
 * ```
 * bucket-inventory journal [--dir <dir>] [--json]
 * ```
 */
import { FileJournal, JournalEntry, interrupted, journalDir } from "../engine/journal";

/** The `journal` subcommand's help text. */
export const JOURNAL_USAGE = `Usage: bucket-inventory journal [--dir <dir>] [--json]

Lists the inventory jobs this machine's provider journal knows: the stack
managing each, and any create, update or delete that a killed provider left
unfinished, with what to do about it.

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

/** Parses the arguments after `journal`; `"help"`, the options, or an error message. */
export function parseJournalArgs(args: readonly string[]): { dir: string; json: boolean } | "help" | string {
  let dir = journalDir();
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") return "help";
    if (a === "--json") json = true;
    else if (a === "--dir" && args[i + 1] !== undefined) dir = args[++i];
    else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else return `unknown or incomplete option "${a}"`;
  }
  return { dir, json };
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
  const entries = new FileJournal(parsed.dir).entries();
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
