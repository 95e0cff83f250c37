/**
 * The engine benchmark's throwaway projects, one per side and size, made with
 * the e2e harness's scaffolding (`tests/support/pulumi-project.ts`): plain
 * JavaScript projects (`typescript: false`, so neither side compiles
 * TypeScript) running the side's program from `bench/programs/`, built, and
 * told its resource count by `BENCH_ENGINE_COUNT`.
 * Also runs their pulumi commands, sampling the process tree.
 */
import * as fs from "fs";
import * as path from "path";
import {
  type EnvOverrides,
  engineArgs,
  stackInitArgs,
  stackRemoveArgs,
  startPulumiLogged,
  writeProject,
} from "../../tests/support/pulumi-project";
import { BENCH_CREDENTIAL, BENCH_REGION, OSS_BENCH_REGION } from "../common";
import { COUNT_ENV } from "../programs/job";
import { type Op, type Side, STACK } from "./model";
import { type ProcInfo, SAMPLE_MS, sampleTree } from "./sampler";

/** A throwaway Pulumi project with its own file backend and one stack. */
export interface Project {
  /** Which program it runs. */
  side: Side;
  /** How many resources the program declares. */
  count: number;
  /** The project folder. */
  dir: string;
  /** What its commands add to the inherited environment. */
  env: EnvOverrides;
  /** Whether `stack init` succeeded (so cleanup must remove the stack). */
  initialized: boolean;
}

/** The environment that points the cos runtime at the emulator: its keys, the region and its endpoint. */
export function cosEmulatorEnv(emulatorUrl: string): EnvOverrides {
  return {
    TENCENTCLOUD_SECRET_ID: BENCH_CREDENTIAL.id,
    TENCENTCLOUD_SECRET_KEY: BENCH_CREDENTIAL.secret,
    TENCENTCLOUD_REGION: BENCH_REGION,
    BUCKET_INVENTORY_COS_ENDPOINT: emulatorUrl,
  };
}

/** The environment that points the oss runtime at the emulator: its keys, the region and its endpoint. */
export function ossEmulatorEnv(emulatorUrl: string): EnvOverrides {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_CREDENTIAL.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_CREDENTIAL.secret,
    ALICLOUD_REGION: OSS_BENCH_REGION,
    BUCKET_INVENTORY_OSS_ENDPOINT: emulatorUrl,
  };
}

/** The built programs: the benchmark runs from `dist/bench/engine/`, built together with them. */
const PROGRAMS = path.join(__dirname, "..", "programs");

/**
 * Copies a side's built program into the project as `index.js`, with the job
 * module it imports. Copied rather than pointed at, so the project looks like
 * a user's: the engine records each resource's source position relative to
 * the project, and the checkpoint's size is one of the figures.
 */
function copyProgram(dir: string, side: Side): void {
  for (const [from, to] of [
    [`${side}.js`, "index.js"],
    ["job.js", "job.js"],
  ]) {
    const file = path.join(PROGRAMS, from);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: run the benchmark with \`npm run bench:engine\`, which builds it`);
    }
    fs.copyFileSync(file, path.join(dir, to));
  }
}

/** Writes a project for `count` resources of `side` under `parent` and inits its stack. */
export async function createProject(
  parent: string,
  side: Side,
  count: number,
  emulatorUrl: string,
): Promise<Project> {
  const dir = path.join(parent, `${side}-${count}`);
  const backend = writeProject(dir, {
    name: `bench-engine-${side}`,
    typescript: false,
    main: "index.js",
  });
  copyProgram(dir, side);
  const project: Project = {
    side,
    count,
    dir,
    // The baseline ignores the emulator's settings; every side gets both clouds', so the environments differ in nothing else.
    env: {
      ...backend,
      [COUNT_ENV]: String(count),
      ...cosEmulatorEnv(emulatorUrl),
      ...ossEmulatorEnv(emulatorUrl),
    },
    initialized: false,
  };
  await pulumi(project, stackInitArgs(STACK), path.join(dir, "stack-init.log"));
  project.initialized = true;
  return project;
}

/** Removes a project's stack (forcefully, with whatever it still holds). Never throws. */
export async function removeProject(project: Project): Promise<void> {
  if (!project.initialized) return;
  try {
    await pulumi(project, stackRemoveArgs(STACK), path.join(project.dir, "stack-rm.log"));
    project.initialized = false;
  } catch (err) {
    process.stderr.write(`bench: could not remove stack of ${project.dir}: ${String(err)}\n`);
  }
}

/** What a sampled command did. */
export interface CommandRun {
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
  /** Every process seen in its tree. */
  procs: Map<number, ProcInfo>;
  /** CPU time of this Node process (the emulator, and the sampler) during the command, ms. */
  selfCpuMs: number;
  /** The command's output. */
  log: string;
}

/** The running command and whether a signal asked to stop; one command runs at a time. */
const running: { child?: ReturnType<typeof startPulumiLogged>; interrupted: boolean } = {
  interrupted: false,
};

/** Stops the running pulumi command (SIGINT, so it ends cleanly) and lets no further one start. */
export function interruptCommands(): void {
  running.interrupted = true;
  running.child?.kill("SIGINT");
}

/**
 * Runs `pulumi <args>` in a project, output to `logFile`, optionally sampling
 * its process tree; throws when it fails.
 */
export async function pulumi(
  project: Project,
  args: string[],
  logFile: string,
  sample = false,
  extraEnv: EnvOverrides = {},
): Promise<CommandRun> {
  if (running.interrupted) throw new Error("interrupted");
  const out = fs.openSync(logFile, "w");
  const procs = new Map<number, ProcInfo>();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve, reject) => {
      const child = startPulumiLogged(project.dir, { ...project.env, ...extraEnv }, args, out);
      running.child = child;
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
    running.child = undefined;
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
export function opArgs(op: Op, parallel: number | undefined): string[] {
  return engineArgs(op, STACK, { extra: parallel === undefined ? [] : ["--parallel", String(parallel)] });
}
