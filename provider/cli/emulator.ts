/**
 * The `emulator` subcommand: runs the local inventory emulator until SIGINT or
 * SIGTERM:
 *
 * ```
 * bucket-inventory emulator [--host 127.0.0.1] [--port 9100] [--data <dir>]
 *                           [--bucket <name>]... [--credentials <id>:<secret>]... [--admin]
 *                           [--token-ttl <seconds>] [--instance-role <name>]
 *                           [--latency <ms>] [--latency-jitter <ms>]
 * ```
 *
 * Its first stdout line is exactly `listening on http://<host>:<port>`, so
 * scripts and tests can wait for it; the buckets, the key ids (never the
 * secrets: output ends up in CI logs), storage and admin API in use follow.
 */
import { EMULATOR_DEFAULT_CREDENTIAL } from "../emulator/credentials";
import { LatencySettingError, parseLatencySetting, type LatencySetting } from "../emulator/latency";
import { DEFAULT_INSTANCE_ROLE } from "../emulator/sts/common";
import { DEFAULT_HOST, DEFAULT_PORT, startEmulator, type EmulatorCredential } from "../emulator/server";
import { type CliIo, UsageError } from "./args";

/** Buckets the emulator serves when no `--bucket` is given (the README's quick start uses them). */
export const DEFAULT_BUCKETS: readonly string[] = [
  "examplebucket-1250000000",
  "inventorybucket-1250000000",
  "examplebucket",
  "destination-bucket",
];

/** The key pair the emulator accepts when no `--credentials` is given (quick start only). */
export const DEFAULT_CREDENTIALS: readonly EmulatorCredential[] = [EMULATOR_DEFAULT_CREDENTIAL];

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
  /** The cap on temporary credentials' lifetime, seconds, if given. */
  tokenTtlSeconds?: number;
  /** The instance role name the metadata services report, if given. */
  instanceRole?: string;
  /** The standing latency of COS/OSS requests, if `--latency` was given. */
  latency?: LatencySetting;
}

/** The `emulator` subcommand's help text. */
export const EMULATOR_USAGE = `Usage: bucket-inventory emulator [options]

Runs a local emulator of the bucket inventory API, signed like the real
services: the COS dialect (PUT/GET/DELETE /?inventory&id=<id>, GET /?inventory;
q-sign-algorithm=sha1) and the OSS dialect (PUT/GET/DELETE
/?inventory&inventoryId=<id>, GET /?inventory; OSS V1 and OSS4-HMAC-SHA256),
told apart per request by the signature scheme. On the same port it serves
both clouds' STS (Tencent AssumeRole/AssumeRoleWithWebIdentity, TC3-signed;
Alibaba AssumeRole/AssumeRoleWithOIDC, RPC-signed) and instance metadata
credential endpoints (Tencent CVM /latest/meta-data/cam/security-credentials/,
Alibaba ECS /latest/meta-data/ram/security-credentials/ in hardened mode), and
the COS and OSS dialects accept the temporary keys they issue with their token.
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
  --token-ttl <seconds>         The most a temporary credential lives (default: the
                                DurationSeconds asked, else 3600). For tests of
                                expiry; the admin API's PUT /_emulator/token-ttl
                                changes it while running.
  --instance-role <name>        The role name the metadata endpoints report
                                (default emulator-instance-role).
  --latency <ms>                Delay every COS and OSS request by <ms> (half
                                before it is served, half before the answer), to
                                model a real endpoint (default 0). The admin API's
                                PUT /_emulator/latency changes it while running.
  --latency-jitter <ms>         Spread each delay uniformly over <ms> either side
                                of --latency (at most --latency; default 0).
  -h, --help                    Show this help.

Clients reach a bucket either by Host (<bucket>.cos.<region>.myqcloud.com or
<bucket>.oss-<region>.aliyuncs.com, e.g. cos-nodejs-sdk-v5 with
Ip: "<host>:<port>", Protocol: "http:") or by path
(http://<host>:<port>/<bucket>/?inventory).
Stop with Ctrl-C (SIGINT) or SIGTERM.`;

const VALUE_FLAGS = [
  "--host",
  "--port",
  "--data",
  "--bucket",
  "--credentials",
  "--token-ttl",
  "--instance-role",
  "--latency",
  "--latency-jitter",
] as const;
/** Flags that may be given once only. */
const ONCE_FLAGS: readonly string[] = [
  "--host",
  "--port",
  "--data",
  "--token-ttl",
  "--instance-role",
  "--latency",
  "--latency-jitter",
];
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
  const latency: { ms?: number; jitterMs?: number } = {};
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
    if (ONCE_FLAGS.includes(flag) && seen.has(flag)) {
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
      case "--token-ttl":
        if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) === 0) {
          throw new UsageError(`--token-ttl must be a positive whole number of seconds, got "${value}"`);
        }
        opts.tokenTtlSeconds = Number(value);
        break;
      case "--latency":
      case "--latency-jitter":
        if (!/^[0-9]+$/.test(value))
          throw new UsageError(`${flag} must be a whole number of ms, got "${value}"`);
        latency[flag === "--latency" ? "ms" : "jitterMs"] = Number(value);
        break;
      case "--instance-role":
        if (!/^[\w+=,.@-]{1,64}$/.test(value)) {
          throw new UsageError(
            `--instance-role needs a role name (letters, digits, +=,.@_-), got "${value}"`,
          );
        }
        opts.instanceRole = value;
        break;
    }
  }
  if (latency.ms !== undefined || latency.jitterMs !== undefined) opts.latency = latencyOption(latency);
  if (opts.buckets.length === 0) opts.buckets = [...DEFAULT_BUCKETS];
  if (opts.credentials.length === 0) opts.credentials = DEFAULT_CREDENTIALS.map((c) => ({ ...c }));
  return opts;
}

/** The `--latency`/`--latency-jitter` pair as a setting. @throws {@link UsageError} */
function latencyOption(given: { ms?: number; jitterMs?: number }): LatencySetting {
  const ms = given.ms ?? 0;
  const jitterMs = given.jitterMs ?? 0;
  if (jitterMs > ms) throw new UsageError(`--latency-jitter (${jitterMs}) must not exceed --latency (${ms})`);
  try {
    return parseLatencySetting({ ms, jitterMs });
  } catch (err) {
    if (err instanceof LatencySettingError)
      throw new UsageError(`--latency/--latency-jitter: ${err.message}`);
    throw err;
  }
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
      tokenTtlSeconds: opts.tokenTtlSeconds,
      instanceRole: opts.instanceRole,
      latency: opts.latency,
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
  io.out(
    `temporary credentials: ${opts.tokenTtlSeconds === undefined ? "as asked (default 3600 s)" : `at most ${opts.tokenTtlSeconds} s`}; instance role ${opts.instanceRole ?? DEFAULT_INSTANCE_ROLE}`,
  );
  if (opts.latency)
    io.out(`latency: ${opts.latency.ms} ms ± ${opts.latency.jitterMs} ms per COS/OSS request`);
  const signal = await shutdown;
  io.out(`${signal}: stopping`);
  await emulator.close();
  return 0;
}

/** Parses and runs `emulator`; resolves with the exit status (2 for a usage error). */
export async function emulatorCommand(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: EmulatorCliOptions | "help";
  try {
    parsed = parseEmulatorArgs(args);
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
