/**
 * Benchmark of `cos.BucketInventory` on the real Pulumi engine, against the
 * local emulator, side by side with a do-nothing dynamic resource: for each
 * size N, `pulumi up`, `pulumi refresh` and `pulumi destroy` of N inventory
 * jobs on one bucket (1,000 is the COS limit per bucket) and of N baseline
 * resources with the same inputs. Reports wall time, the ratio to the
 * baseline, the emulator's requests per operation, the dynamic provider
 * process's peak memory and where CPU time went, in its section of
 * `bench/results.md` (between `<!-- bench:engine:start -->` and
 * `<!-- bench:engine:end -->`; the rest of the file is kept).
 *
 * Run: `npm run bench:engine` (builds first), or after `npm run build`,
 * `bash tools/with-env.sh node --experimental-strip-types bench/engine.ts
 *  [--sizes 100,1000] [--repeat R] [--parallel P] [--out FILE] [--keep] [--no-diagnose]`
 * (env `BENCH_ENGINE_SIZES=100` does what `--sizes 100` does, `BENCH_ENGINE_REPEAT=3`
 * what `--repeat 3` does: each cycle runs R times and the report gives
 * medians, which a shared machine needs at 1,000 resources). Unless
 * `--no-diagnose` is given, each size is run a second time with
 * `PULUMI_SKIP_CHECKPOINTS=true`, to tell the engine's per-step state writes
 * (which grow with the state's size) from the provider's own work. It must run with
 * the project's environment (tools/with-env.sh): the Pulumi CLI on PATH,
 * PULUMI_HOME, a passphrase, no update checks and no plugin downloads.
 *
 * Node runs this file by stripping its types, so it uses only erasable syntax
 * and loads the compiled provider modules from `dist/` with `require` (typed
 * through `import type` of the sources).
 */
import type * as ChildProcessModule from "child_process";
import type * as FsModule from "fs";
import type * as OsModule from "os";
import type * as PathModule from "path";
import type { RequestLogEntry } from "../provider/emulator/admin";
import type * as ServerModule from "../provider/emulator/server";

/** `require` with the module's type; the one place this file loads code. */
function load<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}

const fs = load<typeof FsModule>("fs");
const os = load<typeof OsModule>("os");
const path = load<typeof PathModule>("path");
const { execFileSync, spawn } = load<typeof ChildProcessModule>("child_process");

const ROOT = path.resolve(__dirname, "..");

/** Loads a compiled provider module from `dist/`, or explains how to build it. */
function loadDist<T>(relative: string): T {
  const file = path.join(ROOT, "dist", "provider", `${relative}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  return load<T>(file);
}

const { startEmulator } = loadDist<typeof ServerModule>("emulator/server");

const BUCKET = "benchbucket-1250000000";
const REGION = "ap-guangzhou";
/** The emulator's default key pair (the quick start's), accepted by the emulator started here. */
const AK = "AKIDEMULATOREXAMPLE";
const SK = "emulator-secret-key";
/** The COS limit of inventory jobs per bucket. */
const MAX_JOBS = 1000;
/** How often the process tree is sampled, in ms. */
const SAMPLE_MS = 100;
/** The ratio to the baseline that the issue asks for at 1,000 jobs. */
const TARGET_RATIO = 1.25;
/** Size of the target. */
const TARGET_SIZE = 1000;
/** Where the throwaway projects go (git-ignored). */
const WORK_BASE = path.join(ROOT, ".bench");
/** The stack of every project. */
const STACK = "bench";

const OPS = ["up", "refresh", "destroy"] as const;
type Op = (typeof OPS)[number];
const SIDES = ["baseline", "cos"] as const;
type Side = (typeof SIDES)[number];
/** `default`: the engine as users run it; `no-checkpoints`: `PULUMI_SKIP_CHECKPOINTS=true` (diagnostic). */
type Variant = "default" | "no-checkpoints";

/** Command-line options. */
interface Options {
  /** Resource counts to run, e.g. [100, 1000]. */
  sizes: number[];
  /** `--parallel` for every pulumi command, or undefined for the CLI's default. */
  parallel?: number;
  /** The Markdown file whose engine section is replaced. */
  out: string;
  /** Keep the generated projects (and their logs) under `.bench/`. */
  keep: boolean;
  /** Also run every size without per-step checkpoints (`PULUMI_SKIP_CHECKPOINTS=true`), as a diagnostic. */
  diagnose: boolean;
  /** How many times each size's cycle (up, refresh, destroy on both sides) runs; the report gives medians. */
  repeat: number;
}

function parseSizes(value: string): number[] {
  const sizes = value.split(",").map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_JOBS)) {
    throw new Error(`sizes must be integers from 1 to ${MAX_JOBS}, comma-separated (got "${value}")`);
  }
  return sizes;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    sizes: parseSizes(process.env.BENCH_ENGINE_SIZES || "100,1000"),
    out: path.join(ROOT, "bench", "results.md"),
    keep: false,
    diagnose: true,
    repeat: Number(process.env.BENCH_ENGINE_REPEAT || 1),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--sizes" && value !== undefined) {
      options.sizes = parseSizes(value);
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
        `unknown argument ${arg}; use --sizes N[,N...] (1–${MAX_JOBS}), --parallel P, --repeat R, --out FILE, --keep, --no-diagnose`,
      );
    }
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) {
    throw new Error("--repeat (or BENCH_ENGINE_REPEAT) must be a positive integer");
  }
  return options;
}

// ---------------------------------------------------------------------------
// The generated projects

/**
 * The inputs of job `i`, the same on both sides: most fields set, like a
 * real job. A JavaScript expression for the generated program.
 */
const JOB_ARGS_JS = `(i) => ({
  bucket: ${JSON.stringify(BUCKET)},
  region: ${JSON.stringify(REGION)},
  inventoryId: name(i),
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Weekly" },
  filter: {
    prefix: "logs/2026/",
    tags: [{ key: "team", value: "data" }],
    period: { startTime: 1700000000, endTime: 1800000000 },
  },
  optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "Tag", "x-cos-meta-owner"],
  destination: {
    bucket: ${JSON.stringify(`qcs::cos:${REGION}::${BUCKET}`)},
    accountId: "100000000001",
    prefix: "inventory-reports",
    format: "CSV",
    encryption: "SSE-COS",
  },
})`;

/** The program (`index.js`) of one side with `count` resources. */
function programFor(side: Side, count: number): string {
  const head = [
    '"use strict";',
    `// Generated by bench/engine.ts: ${count} ${side} resources.`,
    'const pulumi = require("@pulumi/pulumi");',
    "",
    'const name = (i) => `job-${String(i).padStart(4, "0")}`;',
    `const args = ${JOB_ARGS_JS};`,
    "",
  ];
  if (side === "cos") {
    return [
      ...head,
      'const inventory = require("pulumi-bucket-inventory");',
      "",
      `for (let i = 0; i < ${count}; i++) {`,
      "  new inventory.cos.BucketInventory(name(i), args(i));",
      "}",
      "",
    ].join("\n");
  }
  return [
    ...head,
    "// A dynamic provider that does nothing: no check or diff (the defaults), create",
    "// echoes the inputs, read echoes the state, delete returns.",
    "const noop = {",
    "  async create(inputs) {",
    "    return { id: inputs.inventoryId, outs: inputs };",
    "  },",
    "  async read(id, props) {",
    "    return { id, props };",
    "  },",
    "  async delete() {},",
    "};",
    "",
    "class Noop extends pulumi.dynamic.Resource {",
    "  constructor(name, props) {",
    '    super(noop, name, props, undefined, "bench", "Noop");',
    "  }",
    "}",
    "",
    `for (let i = 0; i < ${count}; i++) {`,
    "  new Noop(name(i), args(i));",
    "}",
    "",
  ].join("\n");
}

/** A throwaway Pulumi project with its own file backend and one stack. */
interface Project {
  side: Side;
  count: number;
  dir: string;
  env: Record<string, string>;
  /** Whether `stack init` succeeded (so cleanup must remove the stack). */
  initialized: boolean;
}

/** The environment of every pulumi command: ours plus the emulator's endpoint and keys, and a backend. */
function projectEnv(backend: string, emulatorUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined) env[k] = v;
  }
  return {
    ...env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    TENCENTCLOUD_SECRET_ID: AK,
    TENCENTCLOUD_SECRET_KEY: SK,
    TENCENTCLOUD_REGION: REGION,
    BUCKET_INVENTORY_COS_ENDPOINT: emulatorUrl,
  };
}

/** Writes a project (`Pulumi.yaml`, `package.json`, `index.js`) under `parent` and inits its stack. */
async function createProject(parent: string, side: Side, count: number, emulatorUrl: string) {
  const dir = path.join(parent, `${side}-${count}`);
  fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
  const name = `bench-engine-${side}`;
  // Plain JavaScript on both sides: no TypeScript compile in either program.
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
  );
  // Its own package.json, so the run script does not take the repository's
  // package.json (and its `main`) as the program. `@pulumi/pulumi` and
  // `pulumi-bucket-inventory` (a self-link to the repository) resolve from
  // the repository's node_modules, two folders up.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name, private: true, main: "index.js" }, null, 2) + "\n",
  );
  fs.writeFileSync(path.join(dir, "index.js"), programFor(side, count));
  const project: Project = {
    side,
    count,
    dir,
    env: projectEnv(path.join(dir, ".state"), emulatorUrl),
    initialized: false,
  };
  await pulumi(project, ["stack", "init", STACK], path.join(dir, "stack-init.log"));
  project.initialized = true;
  return project;
}

/** Removes a project's stack (forcefully, with whatever it still holds). Never throws. */
async function removeProject(project: Project): Promise<void> {
  if (!project.initialized) return;
  try {
    await pulumi(
      project,
      ["stack", "rm", "--yes", "--force", "--stack", STACK],
      path.join(project.dir, "stack-rm.log"),
    );
    project.initialized = false;
  } catch (err) {
    process.stderr.write(`bench: could not remove stack of ${project.dir}: ${String(err)}\n`);
  }
}

// ---------------------------------------------------------------------------
// Running pulumi and watching its process tree

/** The pulumi command being run, so a signal can stop it. */
let current: ReturnType<typeof spawn> | undefined;
/** Set by SIGINT/SIGTERM: no further command starts. */
let interrupted = false;

/** Kinds of process in a pulumi command's tree. */
type ProcKind = "engine" | "program" | "provider" | "other";

/** What the sampler learnt about one process. */
interface ProcInfo {
  kind: ProcKind;
  /** Its command line, space-separated (for `--keep`'s process list). */
  argv: string;
  /** Last seen `VmHWM` (peak RSS), KiB. */
  hwmKiB: number;
  /** Last seen user + system CPU, clock ticks. */
  cpuTicks: number;
}

/** What a sampled command did. */
interface CommandRun {
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
  /** Every process seen in its tree. */
  procs: Map<number, ProcInfo>;
  /** CPU time of this Node process (the emulator, and the sampler) during the command, ms. */
  selfCpuMs: number;
  /** The command's output. */
  log: string;
}

/**
 * Classifies a process of the tree by its arguments. The provider is the Node
 * process running `@pulumi/pulumi/cmd/dynamic-provider`; its launcher (the
 * `pulumi-resource-pulumi-nodejs` shell script, and the `node -e` that
 * resolves the script's path) counts as `other`.
 */
function classify(pid: number, root: number, argv: readonly string[]): ProcKind {
  if (pid === root) return "engine";
  if (argv.includes("-e")) return "other";
  if (argv.some((a) => /[/\\]cmd[/\\]dynamic-provider([/\\]index\.js)?$/.test(a))) return "provider";
  if (argv.some((a) => /pulumi-language-nodejs$|[/\\]cmd[/\\]run([/\\]index\.js)?$/.test(a)))
    return "program";
  return "other";
}

/** Reads `/proc/<pid>/stat`: parent pid and user + system CPU ticks. */
function readStat(pid: string): { ppid: number; cpuTicks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

/** Reads `VmHWM` from `/proc/<pid>/status`, KiB (undefined once the process is gone or a zombie). */
function readHwm(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One sample: finds the descendants of `root` and updates their peaks and CPU. */
function sampleTree(root: number, procs: Map<number, ProcInfo>): void {
  const children = new Map<number, number[]>();
  const stats = new Map<number, { ppid: number; cpuTicks: number }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(name);
    if (!s) continue;
    const pid = Number(name);
    stats.set(pid, s);
    const list = children.get(s.ppid);
    if (list) list.push(pid);
    else children.set(s.ppid, [pid]);
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    const s = stats.get(pid);
    if (s) {
      let info = procs.get(pid);
      if (!info) {
        let argv: string[] = [];
        try {
          argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        } catch {
          // Gone already.
        }
        info = { kind: classify(pid, root, argv), argv: argv.join(" "), hwmKiB: 0, cpuTicks: 0 };
        procs.set(pid, info);
      }
      info.cpuTicks = Math.max(info.cpuTicks, s.cpuTicks);
      const hwm = readHwm(pid);
      if (hwm !== undefined) info.hwmKiB = Math.max(info.hwmKiB, hwm);
    }
    queue.push(...(children.get(pid) ?? []));
  }
}

/** Runs `pulumi --non-interactive <args>` in a project, output to `logFile`; throws when it fails. */
async function pulumi(
  project: Project,
  args: string[],
  logFile: string,
  sample = false,
  extraEnv: Record<string, string> = {},
): Promise<CommandRun> {
  if (interrupted) throw new Error("interrupted");
  const out = fs.openSync(logFile, "w");
  const procs = new Map<number, ProcInfo>();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("pulumi", ["--non-interactive", ...args], {
        cwd: project.dir,
        env: { ...project.env, ...extraEnv },
        stdio: ["ignore", out, out],
      });
      current = child;
      child.on("error", reject);
      child.on("exit", (c, signal) => resolve(signal ? null : c));
      const pid = child.pid;
      if (sample && pid !== undefined) {
        sampleTree(pid, procs);
        timer = setInterval(() => sampleTree(pid, procs), SAMPLE_MS);
      }
    });
  } finally {
    if (timer) clearInterval(timer);
    current = undefined;
    fs.closeSync(out);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const log = fs.readFileSync(logFile, "utf8");
  if (code !== 0) {
    const tail = log.split("\n").slice(-40).join("\n");
    throw new Error(`pulumi ${args.join(" ")} in ${project.dir} exited ${code}; log ${logFile}:\n${tail}`);
  }
  return { wallMs, procs, selfCpuMs: (cpu.user + cpu.system) / 1000, log };
}

/** The pulumi arguments of an operation. */
function opArgs(op: Op, parallel: number | undefined): string[] {
  const args = [op, "--yes", "--skip-preview", "--stack", STACK];
  if (parallel !== undefined) args.push("--parallel", String(parallel));
  return args;
}

// ---------------------------------------------------------------------------
// Measuring

/** The figures of one side's run of one operation. */
interface SideResult {
  wallMs: number;
  /** Requests the emulator served during the command, by operation and status, e.g. `get 404`. */
  requests: Record<string, number>;
  /** Total requests. */
  requestCount: number;
  /** Largest peak RSS (VmHWM) of the dynamic provider processes, KiB; 0 if none was seen. */
  providerPeakKiB: number;
  /** Dynamic provider processes seen. */
  providerProcesses: number;
  /** CPU seconds by process kind. */
  cpuS: Record<ProcKind | "emulator", number>;
  /** The `Resources:` summary pulumi printed, on one line. */
  summary: string;
  /** The stack's checkpoint after `up`. */
  state?: StateSize;
}

/** One row: both sides of one operation at one size. */
interface Row {
  count: number;
  op: Op;
  variant: Variant;
  /** Which repetition (1-based); 0 for the median of all of them. */
  rep: number;
  sides: Record<Side, SideResult>;
  /** cos ÷ baseline wall time; for a median row, the median of the repetitions' ratios. */
  ratio: number;
}

/** Size of a stack's checkpoint file, as the file backend writes it. */
interface StateSize {
  /** Bytes of the checkpoint file. */
  bytes: number;
  /** Resources in it (with the stack and the default provider). */
  resources: number;
  /** Bytes one dynamic resource's `__provider` input (the serialized provider) takes in the file, JSON-encoded. */
  providerBytes: number;
}

/** Reads the checkpoint file of the project's stack (`.state/.pulumi/stacks/<project>/<stack>.json`). */
function stateSize(project: Project): StateSize | undefined {
  const stacks = path.join(project.dir, ".state", ".pulumi", "stacks");
  let file: string | undefined;
  for (const dir of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
    const candidate = path.join(stacks, dir, `${STACK}.json`);
    if (fs.existsSync(candidate)) file = candidate;
  }
  if (!file) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const checkpoint = JSON.parse(text) as {
    checkpoint?: { latest?: { resources?: { type: string; inputs?: Record<string, unknown> }[] } };
  };
  const resources = checkpoint.checkpoint?.latest?.resources ?? [];
  const dynamic = resources.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  return {
    bytes: Buffer.byteLength(text),
    resources: resources.length,
    providerBytes: Buffer.byteLength(JSON.stringify(dynamic?.inputs?.__provider ?? "")),
  };
}

let clockTicks = 100;

/** The `Resources:` block of pulumi's output, on one line. */
function resourceSummary(log: string): string {
  const m = /^Resources:\n((?:[ \t]+.*\n?)+)/m.exec(log);
  return m
    ? m[1]
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join(", ")
    : "(no summary)";
}

/** The request log as counts by operation and status class (`get 404`, `put`). */
function countRequests(log: readonly RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of log) {
    const key = e.status >= 200 && e.status < 300 ? e.operation : `${e.operation} ${e.status}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Runs one operation on one project and collects its figures. */
async function measure(
  project: Project,
  op: Op,
  variant: Variant,
  emu: ServerModule.RunningEmulator,
  parallel: number | undefined,
): Promise<SideResult> {
  await fetch(`${emu.url}/_emulator/requests`, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
  });
  const logFile = path.join(project.dir, `${variant}-${op}.log`);
  const extraEnv: Record<string, string> =
    variant === "no-checkpoints" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
  const run = await pulumi(project, opArgs(op, parallel), logFile, true, extraEnv);
  // What the sampler saw, next to the command's log (kept with --keep).
  fs.writeFileSync(
    path.join(project.dir, `${variant}-${op}.procs.json`),
    JSON.stringify(Object.fromEntries(run.procs), null, 2) + "\n",
  );
  const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as RequestLogEntry[];
  const cpuS: Record<ProcKind | "emulator", number> = {
    engine: 0,
    program: 0,
    provider: 0,
    other: 0,
    emulator: run.selfCpuMs / 1000,
  };
  let providerPeakKiB = 0;
  let providerProcesses = 0;
  for (const p of run.procs.values()) {
    cpuS[p.kind] += p.cpuTicks / clockTicks;
    if (p.kind === "provider") {
      providerProcesses++;
      providerPeakKiB = Math.max(providerPeakKiB, p.hwmKiB);
    }
  }
  const result: SideResult = {
    wallMs: run.wallMs,
    requests: countRequests(log),
    requestCount: log.length,
    providerPeakKiB,
    providerProcesses,
    cpuS,
    summary: resourceSummary(run.log),
    state: op === "up" ? stateSize(project) : undefined,
  };
  verify(project, op, result, emu);
  return result;
}

/** Checks that the operation did what it should, so a broken run is not reported as fast. */
function verify(project: Project, op: Op, r: SideResult, emu: ServerModule.RunningEmulator): void {
  const n = project.count;
  const fail = (what: string): never => {
    throw new Error(`${project.side} ${op} of ${n}: ${what} (summary: ${r.summary})`);
  };
  if (op === "up" && !r.summary.includes(`${n + 1} created`)) fail(`expected ${n + 1} created`);
  if (op === "destroy" && !r.summary.includes(`${n + 1} deleted`)) fail(`expected ${n + 1} deleted`);
  if (op === "refresh" && /updated|deleted|created/.test(r.summary)) fail("expected no changes");
  if (project.side === "baseline") {
    if (r.requestCount !== 0) fail(`the baseline sent ${r.requestCount} requests`);
    return;
  }
  const jobs = emu.store.count(BUCKET, "cos");
  if (op !== "destroy" && jobs !== n) fail(`the emulator holds ${jobs} jobs, expected ${n}`);
  if (op === "destroy" && jobs !== 0) fail(`the emulator still holds ${jobs} jobs`);
  const unexpected = Object.keys(r.requests).filter((k) => k.includes(" ") && k !== "get 404");
  if (unexpected.length > 0) fail(`unexpected answers: ${JSON.stringify(r.requests)}`);
}

/** Both sides of every operation at one size. */
async function runSize(
  parent: string,
  count: number,
  emu: ServerModule.RunningEmulator,
  options: Options,
): Promise<Row[]> {
  const projects: Project[] = [];
  try {
    for (const side of SIDES) {
      projects.push(await createProject(parent, side, count, emu.url));
    }
    const rows: Row[] = [];
    const variants: Variant[] = options.diagnose ? ["default", "no-checkpoints"] : ["default"];
    for (let rep = 1; rep <= options.repeat; rep++) {
      for (const variant of variants) {
        for (const [index, op] of OPS.entries()) {
          // Alternate which side goes first, so neither always runs on a warmer machine.
          const order = (index + rep) % 2 === 1 ? projects : [...projects].reverse();
          const sides = {} as Record<Side, SideResult>;
          for (const project of order) {
            process.stderr.write(
              `bench: ${count} ${project.side} (${variant}, run ${rep}/${options.repeat}): pulumi ${op}… `,
            );
            const r = await measure(project, op, variant, emu, options.parallel);
            sides[project.side] = r;
            process.stderr.write(
              `${(r.wallMs / 1000).toFixed(1)} s, ${r.requestCount} requests, provider peak ` +
                `${mib(r.providerPeakKiB * 1024)} MiB\n`,
            );
          }
          rows.push({ count, op, variant, rep, sides, ratio: sides.cos.wallMs / sides.baseline.wallMs });
        }
      }
    }
    return rows;
  } finally {
    for (const p of projects) await removeProject(p);
  }
}

/**
 * The runtime's own cost per call, without the engine: a separate Node process
 * (like the provider's) loads `pulumi-bucket-inventory/runtime` from `dist/`
 * and calls the cos provider methods directly against the emulator, 8 in
 * flight, timing its own CPU. Prints one JSON line.
 */
const MICRO_SCRIPT = `"use strict";
const [runtimePath, countArg, argsJs] = process.argv.slice(1);
const n = Number(countArg);
const name = (i) => "micro-" + String(i).padStart(4, "0");
const args = eval(argsJs);
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
async function phase(fn) {
  let next = 0;
  const c0 = cpuMs();
  const w0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) await fn(next++); }));
  return { wallMs: (performance.now() - w0) / n, cpuMs: (cpuMs() - c0) / n };
}
(async () => {
  const c0 = cpuMs();
  const w0 = performance.now();
  const rt = require(runtimePath);
  const load = { wallMs: performance.now() - w0, cpuMs: cpuMs() - c0 };
  await rt.configure({ config: { get: () => undefined } });
  const checked = [], outs = [];
  const out = { load };
  out.require = await phase(async () => { require(runtimePath); });
  out.check = await phase(async (i) => { checked[i] = (await rt.cos.check({}, args(i))).inputs; });
  out.create = await phase(async (i) => { outs[i] = (await rt.cos.create(checked[i])).outs; });
  out.read = await phase(async (i) => { await rt.cos.read("", outs[i]); });
  out.delete = await phase(async (i) => { await rt.cos.delete("", outs[i]); });
  process.stdout.write(JSON.stringify(out) + "\\n");
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Per-call figures of {@link MICRO_SCRIPT}: wall and CPU ms per call (for `load`, once). */
type MicroResult = Record<
  "load" | "require" | "check" | "create" | "read" | "delete",
  { wallMs: number; cpuMs: number }
> & {
  /** Share of the process's sampled CPU by kind of code, from a V8 CPU profile (`--cpu-prof`). */
  profile?: Record<string, number>;
};

/** What kind of code a V8 profile node is, by its script and function. */
function codeKind(url: string, fn: string): string | undefined {
  if (fn === "(idle)") return undefined;
  if (fn === "(garbage collector)") return "garbage collection";
  if (/[/\\]axios[/\\]|^node:(_http|net|internal\/(http|net|streams|stream_base))/.test(url))
    return "HTTP (axios, Node http/net)";
  if (url === "" && /^write(v|Latin1String|Utf8String|Buffer)$/.test(fn))
    return "HTTP (axios, Node http/net)";
  if (/fast-xml-parser|[/\\]provider[/\\]xml[/\\]/.test(url)) return "XML";
  if (/[/\\]signer\.js$|^node:internal\/crypto/.test(url)) return "signing";
  return "other";
}

/** Self time by {@link codeKind}, as fractions of the non-idle total, from a `.cpuprofile` file. */
function profileShares(file: string): Record<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { url: string; functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const shares: Record<string, number> = {};
  let total = 0;
  for (const node of profile.nodes) {
    const kind = codeKind(node.callFrame.url, node.callFrame.functionName);
    const t = time.get(node.id) ?? 0;
    if (!kind || t <= 0) continue;
    shares[kind] = (shares[kind] ?? 0) + t;
    total += t;
  }
  for (const k of Object.keys(shares)) shares[k] /= total || 1;
  return shares;
}

/** Runs {@link MICRO_SCRIPT} with `count` jobs against the emulator. */
async function microBench(count: number, emu: ServerModule.RunningEmulator): Promise<MicroResult> {
  await fetch(`${emu.url}/_emulator/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
  });
  const runtimePath = path.join(ROOT, "dist", "provider", "resource", "runtime.js");
  const env = projectEnv(path.join(WORK_BASE, "unused"), emu.url);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-engine-prof-"));
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--cpu-prof",
        "--cpu-prof-dir",
        profileDir,
        "-e",
        MICRO_SCRIPT,
        runtimePath,
        String(count),
        JOB_ARGS_JS,
      ],
      { env, stdio: ["ignore", "pipe", "inherit"] },
    );
    let text = "";
    child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`runtime micro-benchmark exited ${code}`)),
    );
  });
  const jobs = emu.store.count(BUCKET, "cos");
  if (jobs !== 0) throw new Error(`the runtime micro-benchmark left ${jobs} jobs`);
  const result = JSON.parse(output) as MicroResult;
  try {
    const file = fs.readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
    if (file) result.profile = profileShares(path.join(profileDir, file));
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  return result;
}

/** An untimed `up` and `destroy` of one resource per side: loads the CLI, plugins and modules from disk once. */
async function warmUp(parent: string, emu: ServerModule.RunningEmulator): Promise<void> {
  const warm = path.join(parent, "warmup");
  for (const side of SIDES) {
    const project = await createProject(warm, side, 1, emu.url);
    try {
      for (const op of ["up", "destroy"] as const) {
        await pulumi(project, opArgs(op, undefined), path.join(project.dir, `${op}.log`));
      }
    } finally {
      await removeProject(project);
    }
  }
}

// ---------------------------------------------------------------------------
// The report

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const secs = (ms: number): string => (ms / 1000).toFixed(1);

/** Output of a command, trimmed, or `unknown`. */
function commandOutput(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** `1000 get 404 + 1000 put`, in a stable order. */
function describeRequests(requests: Record<string, number>): string {
  const order = ["get", "get 404", "put", "delete", "list"];
  const keys = Object.keys(requests).sort((a, b) => {
    const ia = order.indexOf(a) < 0 ? order.length : order.indexOf(a);
    const ib = order.indexOf(b) < 0 ? order.length : order.indexOf(b);
    return ia - ib || a.localeCompare(b);
  });
  return keys.length === 0 ? "none" : keys.map((k) => `${requests[k]} ${k}`).join(" + ");
}

/** Facts about the run, for the report. */
interface RunInfo {
  options: Options;
  rows: Row[];
  /** The runtime micro-benchmark, when run. */
  micro?: MicroResult;
  totalMs: number;
  startedAt: string;
  loadAvg: number[];
}

/** Wall-time ratio cos ÷ baseline of a row. */
const ratioOf = (row: Row): number => row.ratio;

/** The median of `xs` (mean of the middle two for an even count). */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One row per size, op and variant from the repetitions: median wall and CPU
 * times, the median of the ratios, the largest memory peak, and requests,
 * summary and state of the first repetition.
 */
function medians(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  for (const first of rows.filter((r) => r.rep === 1)) {
    const reps = rows.filter(
      (r) => r.count === first.count && r.op === first.op && r.variant === first.variant,
    );
    const sides = {} as Record<Side, SideResult>;
    for (const side of SIDES) {
      const all = reps.map((r) => r.sides[side]);
      const cpuS = { ...all[0].cpuS };
      for (const key of Object.keys(cpuS) as (keyof typeof cpuS)[]) {
        cpuS[key] = median(all.map((r) => r.cpuS[key]));
      }
      sides[side] = {
        ...all[0],
        wallMs: median(all.map((r) => r.wallMs)),
        providerPeakKiB: Math.max(...all.map((r) => r.providerPeakKiB)),
        providerProcesses: Math.max(...all.map((r) => r.providerProcesses)),
        cpuS,
      };
    }
    out.push({ ...first, rep: 0, sides, ratio: median(reps.map((r) => r.ratio)) });
  }
  return out;
}

/** Percentage, no decimals. */
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** "`up`, `refresh` and `destroy`". */
function listOps(items: readonly { op: Op }[]): string {
  const names = items.map((i) => `\`${i.op}\``);
  return names.length < 2
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Generated observations about where the time goes, at the largest size (the target's, if run). */
function observations(rows: readonly Row[], options: Options, micro: MicroResult | undefined): string[] {
  const size = options.sizes.includes(TARGET_SIZE) ? TARGET_SIZE : Math.max(...options.sizes);
  const find = (op: Op, variant: Variant): Row | undefined =>
    rows.find((r) => r.count === size && r.op === op && r.variant === variant);
  const out: string[] = [];
  const up = find("up", "default");
  const upFast = find("up", "no-checkpoints");
  if (up && upFast) {
    const b = up.sides.baseline.wallMs;
    const bFast = upFast.sides.baseline.wallMs;
    out.push(
      `- Checkpoints: at ${size} resources, \`pulumi up\` of the baseline took ${secs(b)} s, and ` +
        `${secs(bFast)} s with \`PULUMI_SKIP_CHECKPOINTS=true\`: ${pct(1 - bFast / b)} of that wall time ` +
        "is the file backend writing the whole checkpoint again after every step. That grows with steps × " +
        "state size (so with N²), and it grows with the size of each resource's state.",
    );
  }
  const bState = up?.sides.baseline.state;
  const cState = up?.sides.cos.state;
  const stateLarger =
    bState !== undefined &&
    cState !== undefined &&
    cState.bytes / cState.resources > bState.bytes / bState.resources;
  if (bState && cState) {
    const bPer = bState.bytes / bState.resources;
    const cPer = cState.bytes / cState.resources;
    const providerDelta = 2 * (cState.providerBytes - bState.providerBytes);
    const share =
      cPer > bPer && providerDelta > 0
        ? `: 2 × ${providerDelta / 2} = ${providerDelta} bytes more, ${pct(providerDelta / (cPer - bPer))} of the ` +
          "difference per resource."
        : ".";
    out.push(
      `- State size: a cos resource takes ${Math.round(cPer)} bytes of checkpoint against ${Math.round(bPer)} ` +
        `for the baseline (×${(cPer / bPer).toFixed(2)}). Its \`__provider\` (the serialized provider, kept in ` +
        `both the inputs and the outputs of every resource) is ${cState.providerBytes} bytes against ` +
        `${bState.providerBytes}${share}`,
    );
  }
  if (options.diagnose) {
    const fast = OPS.map((op) => find(op, "no-checkpoints")).filter((r): r is Row => r !== undefined);
    const parts = fast.map((r) => `${r.op} ${ratioOf(r).toFixed(2)}`);
    const cpu = OPS.map((op) => find(op, "default"))
      .filter((r): r is Row => r !== undefined)
      .map(
        (r) =>
          `${r.op} ${(((r.sides.cos.cpuS.provider - r.sides.baseline.cpuS.provider) / size) * 1000).toFixed(1)} ms`,
      );
    const served = rows
      .filter((r) => r.count === size && r.variant === "default")
      .reduce(
        (acc, r) => ({
          cpu: acc.cpu + r.sides.cos.cpuS.emulator - r.sides.baseline.cpuS.emulator,
          requests: acc.requests + r.sides.cos.requestCount,
        }),
        { cpu: 0, requests: 0 },
      );
    out.push(
      `- The provider's own work: without per-step checkpoints the ratios at ${size} are ${parts.join(", ")}. ` +
        "The cos provider process used more CPU than the baseline's (including loading the runtime once), " +
        `per resource: ${cpu.join(", ")}; the ` +
        `in-process emulator about ${((served.cpu / Math.max(1, served.requests)) * 1000).toFixed(1)} ms per ` +
        "request, on the same cores (a real endpoint would not compete for them).",
    );
    if (micro) {
      const f = (x: { cpuMs: number }): string => `${x.cpuMs.toFixed(x.cpuMs < 0.1 ? 3 : 2)} ms`;
      out.push(
        `- The runtime alone (a separate Node process calling \`cos.check/create/read/delete\` from \`dist/\` ` +
          `against the same emulator, 8 in flight, ${Math.max(...options.sizes)} jobs), CPU per call: check ` +
          `${f(micro.check)}, create ${f(micro.create)} (get + put), read ${f(micro.read)}, delete ` +
          `${f(micro.delete)}; the shim's \`require("pulumi-bucket-inventory/runtime")\` on every call costs ` +
          `${f(micro.require)} once cached, and loading the runtime the first time ${micro.load.wallMs.toFixed(0)} ms ` +
          "once per provider process." +
          (micro.profile
            ? " Where that process's CPU goes (V8 profile, self time, loading included, idle left out): " +
              Object.entries(micro.profile)
                .sort((a, b) => b[1] - a[1])
                .map(([k, v]) => `${k} ${pct(v)}`)
                .join(", ") +
              "."
            : "") +
          " The rest of the provider process's extra CPU (figures above) is the dynamic-provider host's " +
          "own handling of each call: decoding the request and encoding the answer (a cos read returns " +
          "its inputs as well as its outputs, so that drift shows up in later diffs).",
      );
    }
    // Seconds cos takes over the baseline, with and without per-step checkpoints.
    const excess = (r: Row): number => (r.sides.cos.wallMs - r.sides.baseline.wallMs) / 1000;
    const gaps = OPS.flatMap((op) => {
      const d = find(op, "default");
      const k = find(op, "no-checkpoints");
      return d && k ? [{ op, withCheckpoints: excess(d), without: excess(k) }] : [];
    });
    if (gaps.length > 0) {
      out.push(
        `- Extra seconds of cos over the baseline at ${size}, with per-step checkpoints → without: ` +
          gaps
            .map((g) => `${g.op} ${g.withCheckpoints.toFixed(1)} s → ${g.without.toFixed(1)} s`)
            .join(", ") +
          ".",
      );
    }
    // Ops that miss the target with per-step checkpoints: those that meet it without them miss it because
    // of the checkpoint writes; those that miss it either way, because of the provider's own work.
    const missing = gaps.filter((g) => {
      const d = find(g.op, "default");
      return d !== undefined && ratioOf(d) > TARGET_RATIO;
    });
    const meetsWithout = (g: { op: Op }): boolean => {
      const k = find(g.op, "no-checkpoints");
      return k !== undefined && ratioOf(k) <= TARGET_RATIO;
    };
    const stateBound = missing.filter(meetsWithout);
    const own = missing.filter((g) => !meetsWithout(g));
    if (stateBound.length > 0) {
      out.push(
        stateLarger
          ? `- So in ${listOps(stateBound)} the gap is the larger state being rewritten after every step, not ` +
              "the provider's requests: a smaller serialized provider (or less state per resource) would bring " +
              "these ratios towards the figures without checkpoints."
          : `- ${listOps(stateBound)} would meet the target without per-step checkpoints although the cos ` +
              "state is not larger: that is the variance of those long checkpoint-bound commands (run with " +
              "--repeat to see it), not the provider.",
      );
    }
    if (own.length > 0) {
      out.push(
        `- ${listOps(own)} ${own.length === 1 ? "misses" : "miss"} the target because of the provider's own work per call (above): small ` +
          "in seconds, but large against a baseline that does nothing.",
      );
    }
  }
  const memory = OPS.map((op) => find(op, "default"))
    .filter((r): r is Row => r !== undefined)
    .map(
      (r) => `${r.op} ${mib((r.sides.cos.providerPeakKiB - r.sides.baseline.providerPeakKiB) * 1024)} MiB`,
    );
  if (memory.length > 0) {
    out.push(
      `- Memory: the cos provider's peak RSS over the baseline's at ${size}: ${memory.join(", ")}. That is the ` +
        "runtime, its HTTP client and XML parser, and whatever garbage had not been collected yet when the " +
        "high-water mark was set (VmHWM does not tell live memory from garbage).",
    );
  }
  return out;
}

/** The command-line arguments that reproduce `options` (sizes, repeat, parallel), for the report. */
function commandArgs(options: Options): string {
  const args: string[] = [];
  if (options.sizes.join(",") !== "100,1000") args.push("--sizes", options.sizes.join(","));
  if (options.repeat !== 1) args.push("--repeat", String(options.repeat));
  if (options.parallel !== undefined) args.push("--parallel", String(options.parallel));
  if (!options.diagnose) args.push("--no-diagnose");
  return args.length > 0 ? ` -- ${args.join(" ")}` : "";
}

/** The engine section of the report. */
function report(info: RunInfo): string {
  const { options } = info;
  const rows = medians(info.rows);
  const main = rows.filter((r) => r.variant === "default");
  const diag = rows.filter((r) => r.variant === "no-checkpoints");
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const sdkVersion = load<{ version: string }>(
    path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"),
  ).version;
  const parallel =
    options.parallel === undefined ? "the CLI's default (8 here: 4 × CPUs)" : String(options.parallel);
  const lines = [
    "## Engine benchmark: `cos.BucketInventory` vs a do-nothing dynamic resource",
    "",
    "Generated by `bench/engine.ts` (`npm run bench:engine`); each run replaces this section.",
    "",
    `- Date: ${info.startedAt}`,
    `- Machine: nproc ${commandOutput("nproc", [])}, ${cpu}, ${mib(os.totalmem())} MiB RAM, ` +
      `${os.type()} ${os.release()} ${os.arch()}; load average at start ${info.loadAvg.map((x) => x.toFixed(2)).join(" ")}`,
    `- Node: ${process.version}; Pulumi CLI: ${commandOutput("pulumi", ["version"])}; @pulumi/pulumi ${sdkVersion}`,
    `- Sizes: ${options.sizes.join(", ")} resources in one stack (COS: jobs on one bucket); \`--parallel\`: ${parallel}`,
    options.repeat === 1
      ? "- Runs: 1 (each figure is one command; on a busy machine, use `--repeat 3`)"
      : `- Runs: ${options.repeat} of each cycle; times are medians, a ratio is the median of the runs' ratios ` +
        "(each run's pair ran back to back), a memory peak the largest seen",
    `- Total time: ${secs(info.totalMs)} s (with project set-up, warm-up, the diagnostic pass and clean-up)`,
    "",
    "How to read: each row is one pulumi command on each side, run back to back in the same run; " +
      "`ratio` = cos wall time ÷ baseline wall time (1.00 = nothing over the engine's own cost of a " +
      "dynamic resource); requests are what the emulator served during the cos command.",
    "",
    "| N | op | baseline s | cos s | ratio | requests (cos) | requests per resource | provider peak RSS MiB (baseline / cos) |",
    "|---:|---|---:|---:|---:|---|---:|---|",
  ];
  for (const row of main) {
    const b = row.sides.baseline;
    const c = row.sides.cos;
    lines.push(
      `| ${row.count} | ${row.op} | ${secs(b.wallMs)} | ${secs(c.wallMs)} | ${ratioOf(row).toFixed(2)} | ` +
        `${describeRequests(c.requests)} | ${(c.requestCount / row.count).toFixed(2)} | ` +
        `${mib(b.providerPeakKiB * 1024)} / ${mib(c.providerPeakKiB * 1024)} |`,
    );
  }
  lines.push("");
  const atTarget = main.filter((r) => r.count === TARGET_SIZE);
  if (atTarget.length === 0) {
    lines.push(
      `Target (ratio ≤ ${TARGET_RATIO} at ${TARGET_SIZE} jobs): not measured in this run (sizes ${options.sizes.join(", ")}).`,
    );
  } else {
    const verdicts = atTarget.map(
      (r) => `${r.op} ${ratioOf(r).toFixed(2)} ${ratioOf(r) <= TARGET_RATIO ? "(met)" : "(**missed**)"}`,
    );
    const all = atTarget.every((r) => ratioOf(r) <= TARGET_RATIO);
    lines.push(
      `Target (ratio ≤ ${TARGET_RATIO} at ${TARGET_SIZE} jobs): ${all ? "met" : "**not met**"} — ${verdicts.join("; ")}.`,
    );
  }
  if (options.repeat > 1) {
    lines.push(
      "",
      "Every run (wall seconds, baseline / cos = ratio), to show the spread:",
      "",
      `| N | op | ${Array.from({ length: options.repeat }, (_, i) => `run ${i + 1}`).join(" | ")} |`,
      `|---:|---|${"---|".repeat(options.repeat)}`,
    );
    for (const row of main) {
      const reps = info.rows.filter(
        (r) => r.count === row.count && r.op === row.op && r.variant === row.variant,
      );
      lines.push(
        `| ${row.count} | ${row.op} | ` +
          reps
            .map(
              (r) => `${secs(r.sides.baseline.wallMs)} / ${secs(r.sides.cos.wallMs)} = ${r.ratio.toFixed(2)}`,
            )
            .join(" | ") +
          " |",
      );
    }
  }
  lines.push("", "### Where the time goes", "", ...observations(rows, options, info.micro), "");
  if (diag.length > 0) {
    lines.push(
      "Without per-step checkpoints (diagnostic: the same commands with `PULUMI_SKIP_CHECKPOINTS=true`, " +
        "which no one should use for real stacks; the state is written once at the end):",
      "",
      "| N | op | baseline s | cos s | ratio | requests (cos) |",
      "|---:|---|---:|---:|---:|---|",
    );
    for (const row of diag) {
      lines.push(
        `| ${row.count} | ${row.op} | ${secs(row.sides.baseline.wallMs)} | ${secs(row.sides.cos.wallMs)} | ` +
          `${ratioOf(row).toFixed(2)} | ${describeRequests(row.sides.cos.requests)} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    "State after `up` (the checkpoint file the file backend rewrites after every step):",
    "",
    "| N | side | checkpoint bytes | resources | bytes per resource | `__provider` bytes per resource (× 2: inputs and outputs) |",
    "|---:|---|---:|---:|---:|---:|",
  );
  for (const row of main.filter((r) => r.op === "up")) {
    for (const side of SIDES) {
      const st = row.sides[side].state;
      if (!st) continue;
      lines.push(
        `| ${row.count} | ${side} | ${st.bytes} | ${st.resources} | ${Math.round(st.bytes / st.resources)} | ${st.providerBytes} |`,
      );
    }
  }
  lines.push(
    "",
    "CPU seconds (user + system) of each command's processes: `engine` is the `pulumi` CLI, `program` " +
      "the language host and the Node program, `provider` the dynamic provider's Node process, `emulator` " +
      "this benchmark's own process (the in-process emulator, and the sampler). CPU can exceed wall time " +
      "on 2 cores.",
    "",
    "| N | op | variant | side | wall s | engine | program | provider | other | emulator | provider processes | pulumi's summary |",
    "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const row of rows) {
    for (const side of SIDES) {
      const r = row.sides[side];
      const c = r.cpuS;
      lines.push(
        `| ${row.count} | ${row.op} | ${row.variant} | ${side} | ${secs(r.wallMs)} | ${c.engine.toFixed(1)} | ` +
          `${c.program.toFixed(1)} | ${c.provider.toFixed(1)} | ${c.other.toFixed(1)} | ${c.emulator.toFixed(1)} | ` +
          `${r.providerProcesses} | ${r.summary} |`,
      );
    }
  }
  lines.push(
    "",
    "### How it was run",
    "",
    "```sh",
    `npm run bench:engine${commandArgs(options)}`,
    "# = bash tools/with-env.sh tsc -p tsconfig.build.json \\",
    "#   && bash tools/with-env.sh node --experimental-strip-types bench/engine.ts",
    "```",
    "",
    "- The emulator (`startEmulator` from `dist/`, port 0, admin API on, jobs in memory) runs in the",
    `  benchmark's process with one bucket, \`${BUCKET}\`; the cos side reaches it through`,
    "  `BUCKET_INVENTORY_COS_ENDPOINT` with the keys in `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY`.",
    "- Each side is a generated plain-JavaScript project (`typescript: false`, so neither side compiles",
    "  TypeScript) in `.bench/`, with its own file backend (`PULUMI_BACKEND_URL=file://…`) and stack.",
    "  Both create N resources with the same inputs (every job field set). The baseline is a",
    "  `pulumi.dynamic.Resource` whose provider has no `check`/`diff`, `create` returns `{ id, outs: inputs }`,",
    "  `read` returns the state and `delete` does nothing; the cos side is `inventory.cos.BucketInventory`.",
    "- Per size: `pulumi up`, `pulumi refresh`, `pulumi destroy`, each with `--yes --skip-preview",
    "  --non-interactive`, baseline and cos back to back (which goes first alternates by operation).",
    "  Wall time is from spawning `pulumi` to its exit, so it includes CLI start-up, plugin start and",
    "  checkpoint writes; before the first size, one untimed `up` + `destroy` of one resource per side",
    "  loads the binaries and modules from disk.",
  );
  if (options.diagnose) {
    lines.push(
      "- Then the same three commands again with `PULUMI_SKIP_CHECKPOINTS=true` (the diagnostic table);",
      "  the main table is always the engine's default behaviour.",
    );
  }
  lines.push(
    "- Each command is checked: `up` created N + 1 resources (with the stack), `refresh` changed nothing,",
    "  `destroy` deleted N + 1; the emulator holds N jobs after `up` and `refresh`, none after `destroy`;",
    "  the baseline sent no request.",
    "- Requests: the emulator's request log (`GET /_emulator/requests`), cleared before each command.",
    "  `get 404` is the existence check a create makes before its `put`; any other error answer fails the run.",
    `- Memory and CPU: every ${SAMPLE_MS} ms the benchmark walks \`/proc\` for the descendants of the \`pulumi\``,
    "  process and reads each one's `VmHWM` (peak resident set) from `/proc/<pid>/status` and its",
    "  user + system time from `/proc/<pid>/stat`; the provider is the `node …/@pulumi/pulumi/cmd/dynamic-provider`",
    "  process, and its peak is the largest `VmHWM` seen (the kernel's high-water mark, so short spikes",
    `  between samples count; growth in the last ≤ ${SAMPLE_MS} ms before it exits does not). CPU is the last value`,
    `  seen, so it misses up to ${SAMPLE_MS} ms per process.`,
    "- State size: the stack's checkpoint file (`.state/.pulumi/stacks/<project>/bench.json`) read right",
    "  after `up`.",
    "- Other work may run on the machine; the two sides of a row ran back to back in the same run,",
    "  so compare within a row rather than across runs.",
    "",
  );
  return lines.join("\n");
}

/** The index of `bench/results.md`, when the file does not exist yet. */
const RESULTS_HEADER = [
  "# Benchmark results",
  "",
  "Each benchmark replaces only its own section, between its `<!-- bench:NAME:start -->` and",
  "`<!-- bench:NAME:end -->` markers.",
  "",
].join("\n");

/** Replaces this benchmark's section of `file` (adding the section, or the file, when missing). */
function writeSection(file: string, name: string, body: string): void {
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

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const loadAvg = os.loadavg();
  const started = performance.now();
  clockTicks = Number(commandOutput("getconf", ["CLK_TCK"])) || 100;
  const stop = (signal: string): void => {
    process.stderr.write(`\nbench: ${signal}, stopping after clean-up…\n`);
    interrupted = true;
    current?.kill("SIGINT");
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));

  fs.mkdirSync(WORK_BASE, { recursive: true });
  const parent = fs.mkdtempSync(path.join(WORK_BASE, "engine-"));
  const emu = await startEmulator({
    port: 0,
    buckets: [BUCKET],
    credentials: [{ id: AK, secret: SK }],
    admin: true,
  });
  const rows: Row[] = [];
  let micro: MicroResult | undefined;
  try {
    process.stderr.write(`bench: emulator ${emu.url}; projects in ${path.relative(ROOT, parent)}\n`);
    process.stderr.write("bench: warm-up (1 resource per side)…\n");
    await warmUp(parent, emu);
    for (const count of options.sizes) {
      await fetch(`${emu.url}/_emulator/reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      rows.push(...(await runSize(parent, count, emu, options)));
    }
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
  writeSection(options.out, "engine", markdown);
  process.stdout.write(markdown);
  process.stderr.write(`bench: wrote the engine section of ${path.relative(process.cwd(), options.out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
