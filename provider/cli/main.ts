#!/usr/bin/env node
/**
 * The `bucket-inventory` command: dispatches to one file per subcommand.
 * `emulator` runs the local inventory emulator (./emulator), `journal` lists
 * what this machine's provider journal knows (./journal), and `list`,
 * `import` and `status` find existing jobs, take them over into a stack and
 * compare a stack with the cloud (./list, ./import, ./status).
 */
import * as fs from "fs";
import * as path from "path";
import { type CliIo, EXIT } from "./args";
import { emulatorCommand } from "./emulator";
import { importCommand } from "./import";
import { runJournal } from "./journal";
import { listCommand } from "./list";
import { statusCommand } from "./status";
import { runInventoryCommand } from "./run";

export type { CliIo } from "./args";

/** The top-level help text. */
export const USAGE = `Usage: bucket-inventory <command> [options]

Commands:
  list        List the inventory jobs on buckets, and which stacks manage them.
  import      Read existing jobs and write a \`pulumi import --file\` document
              and the program's declarations for them (--run: import them).
  status      Compare a stack's jobs with the cloud: drifted, missing and
              unmanaged jobs (read-only).
  emulator    Run the local COS + OSS inventory emulator (HTTP) until Ctrl-C.
  journal     List jobs this machine's provider journal knows, and changes a
              killed provider left unfinished, with how to recover.
  run         Start a one-shot inventory report now (COS or OSS).

Options:
  -h, --help  Show help (also: bucket-inventory emulator --help).
  --version   Print this package's version.

Run "bucket-inventory <command> --help" for a command's options.`;

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/**
 * This package's version, from its package.json: found by walking up from this
 * file, because the compiled file (dist/provider/cli) and the source
 * (provider/cli) sit at different depths.
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "pulumi-bucket-inventory" && typeof pkg.version === "string") return pkg.version;
    }
    if (path.dirname(dir) === dir)
      throw new Error(`no package.json of pulumi-bucket-inventory above ${__dirname}`);
  }
}

/**
 * Runs the command with `argv` (the arguments after the program name) and
 * resolves with the exit status: 0 on success, 1 on a failure, 2 for a usage
 * error, 3 when `status` finds differences or `import` skipped jobs.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.err(USAGE);
      return EXIT.usage;
    case "-h":
    case "--help":
    case "help":
      io.out(USAGE);
      return EXIT.ok;
    case "--version":
    case "-v":
    case "version":
      io.out(packageVersion());
      return EXIT.ok;
    case "emulator":
      return emulatorCommand(rest, io);
    case "journal":
      return runJournal(rest, io.out, io.err);
    case "list":
      return listCommand(rest, io);
    case "import":
      return importCommand(rest, io);
    case "status":
      return statusCommand(rest, io);
    case "run":
      return runInventoryCommand(rest, io.out, io.err);
    default:
      io.err(`error: unknown command "${command}"`);
      io.err(USAGE);
      return EXIT.usage;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
