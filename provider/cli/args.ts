/**
 * What every subcommand shares: where output goes, usage errors, and a small
 * hand-written flag parser (no dependencies): `--flag value` and
 * `--flag=value` are both accepted.
 */

/** Where a command writes, and how it waits for shutdown (replaceable in tests). */
export interface CliIo {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Resolves with the signal name when the emulator should stop. Default: SIGINT or SIGTERM. */
  waitForShutdown?(): Promise<string>;
}

/** A command-line mistake: printed with a hint, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit statuses of the discovery commands (documented in each `--help` and the README). */
export const EXIT = {
  /** Done; for `status`, every job matches. */
  ok: 0,
  /** A cloud, network, credentials or Pulumi failure: nothing was changed. */
  failed: 1,
  /** A usage mistake. */
  usage: 2,
  /** `status`: drifted, missing or unmanaged jobs; `import`: some chosen jobs were skipped. */
  attention: 3,
} as const;

/** The flags a command accepts. */
export interface FlagSpec {
  /** Flags taking a value, at most once. */
  single: readonly string[];
  /** Flags taking a value, repeatable. */
  repeated: readonly string[];
  /** Flags taking no value. */
  booleans: readonly string[];
}

/** Parsed flags. */
export interface ParsedFlags {
  /** Values by flag (without `--`), in the order given. */
  values: Map<string, string[]>;
  /** Boolean flags given (without `--`). */
  set: Set<string>;
}

/** Parses `args` against `spec`; `"help"` for `-h`/`--help`. @throws {@link UsageError} */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags | "help" {
  const values = new Map<string, string[]>();
  const set = new Set<string>();
  const all = [...spec.single, ...spec.repeated, ...spec.booleans].map((f) => `--${f}`).join(", ");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}" (options start with --)`);
    const eq = arg.indexOf("=");
    const flag = arg.slice(2, eq >= 0 ? eq : undefined);
    if (spec.booleans.includes(flag)) {
      if (eq >= 0) throw new UsageError(`--${flag} takes no value`);
      set.add(flag);
      continue;
    }
    if (!spec.single.includes(flag) && !spec.repeated.includes(flag)) {
      throw new UsageError(`unknown option "--${flag}" (known: ${all}, --help)`);
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) value = args[++i];
    else throw new UsageError(`--${flag} needs a value`);
    if (value === "") throw new UsageError(`--${flag} needs a non-empty value`);
    const list = values.get(flag) ?? [];
    if (list.length > 0 && spec.single.includes(flag)) throw new UsageError(`--${flag} given more than once`);
    list.push(value);
    values.set(flag, list);
  }
  return { values, set };
}

/** The one value of a flag, or undefined. */
export function one(flags: ParsedFlags, flag: string): string | undefined {
  return flags.values.get(flag)?.[0];
}

/** Every value of a flag. */
export function many(flags: ParsedFlags, flag: string): string[] {
  return flags.values.get(flag) ?? [];
}

/**
 * Runs a subcommand body, mapping a {@link UsageError} to exit status 2 with a
 * pointer to `--help`, and any other error to status 1 with its message.
 */
export async function guarded(command: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}`);
      io.err(`Run "bucket-inventory ${command} --help" for usage.`);
      return EXIT.usage;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  }
}
