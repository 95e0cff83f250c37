/**
 * Benchmark of `cos.BucketInventory` and `oss.BucketInventory` on the real
 * Pulumi engine, against the local emulator, side by side with a do-nothing
 * dynamic resource: for each emulator latency and size N, `pulumi up`,
 * `pulumi refresh` and `pulumi destroy` of N baseline resources, N COS jobs
 * on one bucket and N OSS jobs on one bucket (1,000 is the limit per bucket),
 * back to back, the order rotating. Reports wall time, each cloud's ratio to
 * that baseline, the emulator's requests per operation and per resource, the
 * dynamic provider process's peak memory, where CPU time went, and our
 * targets (at 1,000 jobs and 30 ms) met or missed by how much, in its section
 * of `bench/results.md` (between `<!-- bench:engine:start -->` and
 * `<!-- bench:engine:end -->`; the rest of the file is kept).
 *
 * Run: `npm run bench:engine -- [options]`, which is
 * `tsc -p tsconfig.bench.json` (the provider, this benchmark and its
 * programs, into `dist/`) then `node dist/bench/engine.js [options]`, both
 * through `tools/with-env.sh`. Options:
 * `[--sizes 100,1000] [--latency 0,30:5] [--repeat R] [--parallel P] [--out FILE] [--keep] [--no-diagnose]`
 * (env `BENCH_ENGINE_SIZES=100` does what `--sizes 100` does, `BENCH_ENGINE_LATENCY`
 * what `--latency` does, `BENCH_ENGINE_REPEAT=3` what `--repeat 3` does: each
 * cycle runs R times and the report gives medians, which a shared machine
 * needs at 1,000 resources). `--latency` lists the emulator's standing
 * latencies (`ms` or `ms:jitter`: every COS and OSS request waits a delay drawn
 * uniformly from `ms ± jitter`, half before it is handled and half before the
 * answer, see `provider/emulator/latency.ts`) to run every size at, so the
 * report shows localhost and a real endpoint's round trip side by side. Unless
 * `--no-diagnose` is given, each size is run a second time with
 * `PULUMI_SKIP_CHECKPOINTS=true`, to tell the engine's per-step state writes
 * (which grow with the state's size) from the provider's own work, and the
 * runtime micro-benchmark (COS only) runs. It must run with the project's
 * environment (tools/with-env.sh): the Pulumi CLI on PATH, PULUMI_HOME, a
 * passphrase, no update checks and no plugin downloads.
 *
 * The parts: `engine/projects.ts` (the throwaway projects, made with the e2e
 * harness's scaffolding, and running pulumi), `engine/sampler.ts` (the
 * process tree), `engine/measure.ts`, `engine/micro.ts` (the runtime alone),
 * `engine/report.ts`, `engine/targets.ts` and `engine/observations.ts`; the
 * Pulumi programs the projects run are `programs/baseline.ts`,
 * `programs/cos.ts` and `programs/oss.ts`, declaring the jobs of
 * `programs/job.ts`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  BENCH_BUCKET,
  OSS_BENCH_BUCKET,
  RESULTS_FILE,
  ROOT,
  publish,
  resetEmulator,
  runMain,
  startBenchEmulator,
} from "./common";
import { parseLatencySetting, type LatencySetting } from "../provider/emulator/latency";
import { adminCall } from "../tests/support/http";
import { runSize, warmUp } from "./engine/measure";
import { microBench } from "./engine/micro";
import { MAX_JOBS, type MicroResult, type Options, type Row } from "./engine/model";
import { interruptCommands } from "./engine/projects";
import { report } from "./engine/report";

/** Where the throwaway projects go (git-ignored). */
const WORK_BASE = path.join(ROOT, ".bench");

/** Parses `--sizes` / `BENCH_ENGINE_SIZES`: comma-separated resource counts. */
function parseSizes(value: string): number[] {
  const sizes = value.split(",").map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_JOBS)) {
    throw new Error(`sizes must be integers from 1 to ${MAX_JOBS}, comma-separated (got "${value}")`);
  }
  return sizes;
}

/** Parses `--latency` / `BENCH_ENGINE_LATENCY`: comma-separated `ms` or `ms:jitter`. */
function parseLatencies(value: string): LatencySetting[] {
  return value.split(",").map((item) => {
    const m = /^\s*(\d+)(?::(\d+))?\s*$/.exec(item);
    if (!m) throw new Error(`latencies must be ms or ms:jitter, comma-separated (got "${value}")`);
    return parseLatencySetting({ ms: Number(m[1]), jitterMs: Number(m[2] ?? 0) });
  });
}

/** Parses the command line (and the `BENCH_ENGINE_*` variables). */
function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    sizes: parseSizes(process.env.BENCH_ENGINE_SIZES || "100,1000"),
    out: RESULTS_FILE,
    keep: false,
    diagnose: true,
    repeat: Number(process.env.BENCH_ENGINE_REPEAT || 1),
    latencies: parseLatencies(process.env.BENCH_ENGINE_LATENCY || "0,30:5"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--sizes" && value !== undefined) {
      options.sizes = parseSizes(value);
      i++;
    } else if (arg === "--latency" && value !== undefined) {
      options.latencies = parseLatencies(value);
      i++;
    } else if (arg === "--parallel" && value !== undefined) {
      options.parallel = Number(value);
      if (!Number.isInteger(options.parallel) || options.parallel < 1) {
        throw new Error("--parallel must be a positive integer");
      }
      i++;
    } else if (arg === "--out" && value !== undefined) {
      options.out = path.resolve(value);
      i++;
    } else if (arg === "--keep") {
      options.keep = true;
    } else if (arg === "--no-diagnose") {
      options.diagnose = false;
    } else if (arg === "--repeat" && value !== undefined) {
      options.repeat = Number(value);
      i++;
    } else {
      throw new Error(
        `unknown argument ${arg}; use --sizes N[,N...] (1–${MAX_JOBS}), --latency MS[:JITTER][,...], --parallel P, --repeat R, --out FILE, --keep, --no-diagnose`,
      );
    }
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) {
    throw new Error("--repeat (or BENCH_ENGINE_REPEAT) must be a positive integer");
  }
  return options;
}

/** Runs every size (then the runtime micro-benchmark) and writes the report. */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const loadAvg = os.loadavg();
  const started = performance.now();
  const stop = (signal: string): void => {
    process.stderr.write(`\nbench: ${signal}, stopping after clean-up…\n`);
    interruptCommands();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));

  fs.mkdirSync(WORK_BASE, { recursive: true });
  const parent = fs.mkdtempSync(path.join(WORK_BASE, "engine-"));
  const emu = await startBenchEmulator([BENCH_BUCKET, OSS_BENCH_BUCKET]);
  const rows: Row[] = [];
  let micro: MicroResult | undefined;
  try {
    process.stderr.write(`bench: emulator ${emu.url}; projects in ${path.relative(ROOT, parent)}\n`);
    process.stderr.write("bench: warm-up (1 resource per side)…\n");
    await warmUp(parent, emu);
    for (const latency of options.latencies) {
      // Reset keeps the latency; the warm-up above ran without any.
      await adminCall(emu, "PUT", "/_emulator/latency", latency);
      for (const count of options.sizes) {
        await resetEmulator(emu);
        rows.push(...(await runSize(parent, count, emu, options, latency)));
      }
    }
    await adminCall(emu, "PUT", "/_emulator/latency", { ms: 0 });
    if (options.diagnose) {
      process.stderr.write("bench: runtime micro-benchmark…\n");
      try {
        micro = await microBench(Math.max(...options.sizes), emu);
      } catch (err) {
        // A diagnostic only: the report goes without it.
        process.stderr.write(`bench: runtime micro-benchmark failed: ${String(err)}\n`);
      }
    }
  } finally {
    await emu.close();
    if (!options.keep) {
      fs.rmSync(parent, { recursive: true, force: true });
      try {
        fs.rmdirSync(WORK_BASE); // only when nothing else is in it
      } catch {
        // Other runs' folders, or --keep of an earlier run.
      }
    }
  }
  const markdown = report({ options, rows, micro, totalMs: performance.now() - started, startedAt, loadAvg });
  publish(options.out, "engine", markdown);
}

runMain(main);
