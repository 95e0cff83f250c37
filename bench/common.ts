/**
 * What both benchmarks (`bench/client.ts`, `bench/engine.ts`) share: the
 * bucket and region they use, the emulator they start in their own process
 * and its admin API, the machine description and the writing of their
 * section of `bench/results.md`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_DEFAULT_CREDENTIAL } from "../provider/emulator/credentials";
import { startEmulator, type RunningEmulator } from "../provider/emulator/server";
import { adminCall } from "../tests/support/http";
import { REPO_ROOT } from "../tests/support/pulumi-project";
/** The buckets and regions of the benchmarks, defined next to the jobs the programs declare. */
export { BENCH_BUCKET, BENCH_REGION, OSS_BENCH_BUCKET, OSS_BENCH_REGION } from "./programs/job";

/** The repository root (the benchmarks run from `dist/bench/`, so not `__dirname`). */
export const ROOT = REPO_ROOT;

/** The committed results file; each benchmark replaces only its own section. */
export const RESULTS_FILE = path.join(ROOT, "bench", "results.md");

/** The emulator's default key pair: the emulator accepts it, the client and the programs sign with it. */
export const BENCH_CREDENTIAL = EMULATOR_DEFAULT_CREDENTIAL;

/**
 * Starts the emulator in this process on a free port with the admin API on,
 * serving `buckets` (to both dialects) and accepting {@link BENCH_CREDENTIAL};
 * jobs in memory, or persisted under `dataDir`.
 */
export function startBenchEmulator(buckets: readonly string[], dataDir?: string): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    buckets: [...buckets],
    credentials: [{ ...BENCH_CREDENTIAL }],
    admin: true,
    dataDir,
  });
}

/** The fields of the emulator's request log (`GET /_emulator/requests`) the benchmarks read. */
export interface LoggedRequest {
  /** `get`, `put`, `delete`, `list`, ... */
  operation: string;
  /** The HTTP status answered (0 when the connection was dropped). */
  status: number;
}

/** The requests the emulator served since the log was last cleared. */
export async function requestLog(emu: RunningEmulator): Promise<LoggedRequest[]> {
  return (await adminCall(emu, "GET", "/_emulator/requests")) as LoggedRequest[];
}

/** Clears the emulator's request log. */
export async function clearRequestLog(emu: RunningEmulator): Promise<void> {
  await adminCall(emu, "DELETE", "/_emulator/requests");
}

/** Clears the emulator's jobs, request log and faults. */
export async function resetEmulator(emu: RunningEmulator): Promise<void> {
  await adminCall(emu, "POST", "/_emulator/reset");
}

/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** Output of a command, trimmed, or `unknown`. */
export function commandOutput(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** `nproc N, <CPU>, <RAM> MiB RAM, <OS>`, for a report's Machine line. */
export function machine(): string {
  const nproc = commandOutput("nproc", []);
  const cpus = nproc === "unknown" ? String(os.availableParallelism()) : nproc;
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `nproc ${cpus}, ${cpu}, ${mib(os.totalmem())} MiB RAM, ${os.type()} ${os.release()} ${os.arch()}`;
}

/** The index of `bench/results.md`, when the file does not exist yet. */
const RESULTS_HEADER = [
  "# Benchmark results",
  "",
  "Each benchmark replaces only its own section, between its `<!-- bench:NAME:start -->` and",
  "`<!-- bench:NAME:end -->` markers.",
  "",
].join("\n");

/** Replaces the section `name` of `file` (adding the section, or the file, when missing). */
export function writeSection(file: string, name: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body.trimEnd()}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : RESULTS_HEADER;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

/** Writes a benchmark's report to its section of `out` and to stdout. */
export function publish(out: string, name: string, markdown: string): void {
  writeSection(out, name, markdown);
  process.stdout.write(markdown);
  process.stderr.write(`bench: wrote the ${name} section of ${path.relative(process.cwd(), out)}\n`);
}

/** Runs a benchmark's `main`, printing its failure and setting the exit code. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
