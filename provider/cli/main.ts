#!/usr/bin/env node
/**
 * The `bucket-inventory` command. `journal` lists what this machine's provider
 * journal knows (see ./journal); `emulator` runs the local inventory emulator
 * until SIGINT or SIGTERM:
 *
 * ```
 * bucket-inventory emulator [--host 127.0.0.1] [--port 9100] [--data <dir>]
 *                           [--bucket <name>]... [--credentials <id>:<secret>]... [--admin]
 * ```
 *
 * Its first stdout line is exactly `listening on http://<host>:<port>`, so
 * scripts and tests can wait for it; the buckets, the key ids (never the
 * secrets: output ends up in CI logs), storage and admin API in use follow.
 * Argument parsing is hand-written on purpose (no dependencies): `--flag value`
 * and `--flag=value` are both accepted.
 */
import * as fs from "fs";
import * as path from "path";
import { EMULATOR_DEFAULT_CREDENTIAL } from "../emulator/credentials";
import { DEFAULT_HOST, DEFAULT_PORT, startEmulator, type EmulatorCredential } from "../emulator/server";
import { runJournal } from "./journal";
import { runInventoryCommand } from "./run";

/** Buckets the emulator serves when no `--bucket` is given (the README's quick start uses them). */
export const DEFAULT_BUCKETS: readonly string[] = [
  "examplebucket-1250000000",
  "inventorybucket-1250000000",
  "examplebucket",
  "destination-bucket",
];

/** The key pair the emulator accepts when no `--credentials` is given (quick start only). */
export const DEFAULT_CREDENTIALS: readonly EmulatorCredential[] = [EMULATOR_DEFAULT_CREDENTIAL];

/** Where the command writes, and how it waits for shutdown (replaceable in tests). */
export interface CliIo {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Resolves with the signal name when the emulator should stop. Default: SIGINT or SIGTERM. */
  waitForShutdown?(): Promise<string>;
}

/** Options of the `emulator` subcommand, after parsing. */
export interface EmulatorCliOptions {
  /** Listen address. */
  host: string;
  /** Listen port (0 = any free port). */
  port: number;
  /** Data directory, or undefined for in memory. */
  dataDir?: string;
  /** Buckets (the defaults when none were given). */
  buckets: string[];
  /** Key pairs (the defaults when none were given). */
  credentials: EmulatorCredential[];
  /** Whether the admin API is on. */
  admin: boolean;
}

/** A command-line mistake: printed with a hint, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The top-level help text. */
export const USAGE = `Usage: bucket-inventory <command> [options]

Commands:
  emulator    Run the local COS + OSS inventory emulator (HTTP) until Ctrl-C.
  journal     List jobs this machine's provider journal knows, and changes a
              killed provider left unfinished, with how to recover.
  run         Start a one-shot inventory report now (COS or OSS).

Options:
  -h, --help  Show help (also: bucket-inventory emulator --help).
  --version   Print this package's version.

Run "bucket-inventory <command> --help" for a command's options.`;

/** The `emulator` subcommand's help text. */
export const EMULATOR_USAGE = `Usage: bucket-inventory emulator [options]

Runs a local emulator of the bucket inventory API, signed like the real
services: the COS dialect (PUT/GET/DELETE /?inventory&id=<id>, GET /?inventory;
q-sign-algorithm=sha1) and the OSS dialect (PUT/GET/DELETE
/?inventory&inventoryId=<id>, GET /?inventory; OSS V1 and OSS4-HMAC-SHA256),
told apart per request by the signature scheme.
The first output line is "listening on http://<host>:<port>".

Options:
  --host <address>              Listen address (default ${DEFAULT_HOST}).
  --port <number>               Listen port, 0 for any free port (default ${DEFAULT_PORT}).
  --data <dir>                  Keep jobs in <dir>, written durably before each answer
                                (default: in memory, lost on exit).
  --bucket <name>               A bucket that exists, e.g. examplebucket-1250000000.
                                Repeatable. Default: ${DEFAULT_BUCKETS.join(", ")}.
  --credentials <id>:<secret>   A key pair to accept (COS SecretId/SecretKey or OSS
                                AccessKeyId/AccessKeySecret). Repeatable.
                                Default: ${DEFAULT_CREDENTIALS.map((c) => `${c.id}:${c.secret}`).join(", ")}.
  --admin                       Serve the unsigned admin API under /_emulator/
                                (request log, fault injection, reset, job dump).
                                It answers only a loopback Host, no browser
                                cross-origin request, and needs
                                Content-Type: application/json on POST/DELETE.
  -h, --help                    Show this help.

Clients reach a bucket either by Host (<bucket>.cos.<region>.myqcloud.com or
<bucket>.oss-<region>.aliyuncs.com, e.g. cos-nodejs-sdk-v5 with
Ip: "<host>:<port>", Protocol: "http:") or by path
(http://<host>:<port>/<bucket>/?inventory).
Stop with Ctrl-C (SIGINT) or SIGTERM.`;

const VALUE_FLAGS = ["--host", "--port", "--data", "--bucket", "--credentials"] as const;
const BOOLEAN_FLAGS = ["--admin"] as const;

/** Parses the arguments after `emulator`. @throws {@link UsageError} */
export function parseEmulatorArgs(args: readonly string[]): EmulatorCliOptions | "help" {
  const opts: EmulatorCliOptions = {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    buckets: [],
    credentials: [],
    admin: false,
  };
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (!arg.startsWith("-")) {
      throw new UsageError(`unexpected argument "${arg}" (options start with --)`);
    }
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if ((BOOLEAN_FLAGS as readonly string[]).includes(flag)) {
      if (eq >= 0) throw new UsageError(`${flag} takes no value`);
      opts.admin = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      const all = [...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(", ");
      throw new UsageError(`unknown option "${flag}" (known: ${all}, --help)`);
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
      value = args[++i];
    }
    if ((flag === "--host" || flag === "--port" || flag === "--data") && seen.has(flag)) {
      throw new UsageError(`${flag} given more than once`);
    }
    seen.add(flag);
    switch (flag) {
      case "--host":
        if (!value) throw new UsageError("--host needs a non-empty address, e.g. 127.0.0.1");
        opts.host = value;
        break;
      case "--port": {
        if (!/^[0-9]+$/.test(value) || Number(value) > 65535) {
          throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
        }
        opts.port = Number(value);
        break;
      }
      case "--data":
        if (!value) throw new UsageError("--data needs a directory");
        opts.dataDir = value;
        break;
      case "--bucket":
        if (!value || value.includes("/") || /\s/.test(value)) {
          throw new UsageError(`--bucket needs a bucket name without "/" or spaces, got "${value}"`);
        }
        if (!opts.buckets.includes(value)) opts.buckets.push(value);
        break;
      case "--credentials": {
        const colon = value.indexOf(":");
        if (colon <= 0 || colon === value.length - 1) {
          // The value is not echoed: it may well be a secret.
          throw new UsageError(
            "--credentials must be <id>:<secret> with neither part empty, e.g. AKIDEXAMPLE:secret",
          );
        }
        opts.credentials.push({ id: value.slice(0, colon), secret: value.slice(colon + 1) });
        break;
      }
    }
  }
  if (opts.buckets.length === 0) opts.buckets = [...DEFAULT_BUCKETS];
  if (opts.credentials.length === 0) opts.credentials = DEFAULT_CREDENTIALS.map((c) => ({ ...c }));
  return opts;
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** The start-up line's list of accepted keys: ids only, never a secret. */
function credentialsLine(credentials: readonly EmulatorCredential[]): string {
  const ids = [...new Set(credentials.map((c) => c.id))];
  return `${ids.join(", ")} (key ids only; secrets are not printed)`;
}

/** Runs `emulator` until shutdown; resolves with the exit status. */
async function runEmulator(opts: EmulatorCliOptions, io: CliIo): Promise<number> {
  // Listen for signals before listening on the port, so an early Ctrl-C is not lost.
  const shutdown = (io.waitForShutdown ?? waitForSignal)();
  let emulator;
  try {
    emulator = await startEmulator({
      host: opts.host,
      port: opts.port,
      dataDir: opts.dataDir,
      buckets: opts.buckets,
      credentials: opts.credentials,
      admin: opts.admin,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") io.err(`error: ${opts.host}:${opts.port} is already in use (try --port 0)`);
    else if (e.code === "EADDRNOTAVAIL")
      io.err(`error: cannot listen on ${opts.host}: address not available`);
    else io.err(`error: cannot start the emulator: ${e.message}`);
    return 1;
  }
  io.out(`listening on ${emulator.url}`);
  io.out(`buckets: ${opts.buckets.join(", ")}`);
  io.out(`credentials: ${credentialsLine(opts.credentials)}`);
  io.out(`data: ${opts.dataDir ?? "in memory (use --data <dir> to keep jobs)"}`);
  io.out(`admin: ${opts.admin ? `${emulator.url}/_emulator/` : "off (use --admin)"}`);
  const signal = await shutdown;
  io.out(`${signal}: stopping`);
  await emulator.close();
  return 0;
}

/**
 * Runs the command with `argv` (the arguments after the program name) and
 * resolves with the exit status: 0 on success and after a clean shutdown,
 * 1 when the emulator cannot start, 2 for a usage error.
 */
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

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    io.out(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.out(packageVersion());
    return 0;
  }
  if (command === "journal") {
    return runJournal(rest, io.out, io.err);
  }
  if (command === "run") return runInventoryCommand(rest, io.out, io.err);
  if (command !== "emulator") {
    io.err(`error: unknown command "${command}"`);
    io.err(USAGE);
    return 2;
  }
  let parsed: EmulatorCliOptions | "help";
  try {
    parsed = parseEmulatorArgs(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}`);
      io.err('Run "bucket-inventory emulator --help" for usage.');
      return 2;
    }
    throw err;
  }
  if (parsed === "help") {
    io.out(EMULATOR_USAGE);
    return 0;
  }
  return runEmulator(parsed, io);
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
