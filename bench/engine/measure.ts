/**
 * Measuring the engine benchmark: one pulumi command on one project (its wall
 * time, the emulator's requests, the process tree's memory and CPU, the state
 * size), checked so that a broken run is never reported as fast; every side of
 * every operation at one size; and the untimed warm-up.
 */
import * as fs from "fs";
import * as path from "path";
import type { LatencySetting } from "../../provider/emulator/latency";
import type { RunningEmulator } from "../../provider/emulator/server";
import {
  BENCH_BUCKET,
  OSS_BENCH_BUCKET,
  type LoggedRequest,
  clearRequestLog,
  commandOutput,
  mib,
  requestLog,
} from "../common";
import {
  type Cloud,
  OPS,
  type Op,
  type Options,
  type Row,
  SIDES,
  type Side,
  type SideResult,
  STACK,
  type StateSize,
  type Variant,
  latencyLabel,
} from "./model";
import { type Project, createProject, opArgs, pulumi, removeProject } from "./projects";
import type { ProcKind } from "./sampler";

/** Clock ticks per second, the unit of `/proc/<pid>/stat` CPU times. */
const CLOCK_TICKS = Number(commandOutput("getconf", ["CLK_TCK"])) || 100;

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
function countRequests(log: readonly LoggedRequest[]): Record<string, number> {
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
  emu: RunningEmulator,
  parallel: number | undefined,
): Promise<SideResult> {
  await clearRequestLog(emu);
  const logFile = path.join(project.dir, `${variant}-${op}.log`);
  const extraEnv: Record<string, string> =
    variant === "no-checkpoints" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
  const run = await pulumi(project, opArgs(op, parallel), logFile, true, extraEnv);
  // What the sampler saw, next to the command's log (kept with --keep).
  fs.writeFileSync(
    path.join(project.dir, `${variant}-${op}.procs.json`),
    JSON.stringify(Object.fromEntries(run.procs), null, 2) + "\n",
  );
  const log = await requestLog(emu);
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
    cpuS[p.kind] += p.cpuTicks / CLOCK_TICKS;
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

/** Each cloud's bucket in the emulator. */
const CLOUD_BUCKETS: Readonly<Record<Cloud, string>> = { cos: BENCH_BUCKET, oss: OSS_BENCH_BUCKET };

/**
 * Error answers a healthy run may get, by `countRequests` key: the existence
 * check before a create (or a read of a job not there yet). Anything else, a
 * 409 on an OSS create or any 5xx included, fails the run. Which 2xx requests
 * the provider sends (gets, puts, list pages) is its business, not checked.
 */
export const EXPECTED_ERROR_ANSWERS: readonly string[] = ["get 404"];

/**
 * Checks that the operation did what it should, so a broken run is not
 * reported as fast: pulumi's summary, the cloud's job count in the emulator
 * and no unexpected error answer.
 */
function verify(project: Project, op: Op, r: SideResult, emu: RunningEmulator): void {
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
  const jobs = emu.store.count(CLOUD_BUCKETS[project.side], project.side);
  if (op !== "destroy" && jobs !== n) fail(`the emulator holds ${jobs} ${project.side} jobs, expected ${n}`);
  if (op === "destroy" && jobs !== 0) fail(`the emulator still holds ${jobs} ${project.side} jobs`);
  const unexpected = Object.keys(r.requests).filter(
    (k) => k.includes(" ") && !EXPECTED_ERROR_ANSWERS.includes(k),
  );
  if (unexpected.length > 0) fail(`unexpected answers: ${JSON.stringify(r.requests)}`);
}

/** Every side of every operation at one size. */
export async function runSize(
  parent: string,
  count: number,
  emu: RunningEmulator,
  options: Options,
  latency: LatencySetting,
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
          // Rotate which side goes first, so none always runs on a warmer machine.
          const shift = (index + rep) % projects.length;
          const order = [...projects.slice(shift), ...projects.slice(0, shift)];
          const sides = {} as Record<Side, SideResult>;
          for (const project of order) {
            process.stderr.write(
              `bench: ${count} ${project.side} (${variant}, ${latencyLabel(latency)}, run ${rep}/${options.repeat}): pulumi ${op}… `,
            );
            const r = await measure(project, op, variant, emu, options.parallel);
            sides[project.side] = r;
            process.stderr.write(
              `${(r.wallMs / 1000).toFixed(1)} s, ${r.requestCount} requests, provider peak ` +
                `${mib(r.providerPeakKiB * 1024)} MiB\n`,
            );
          }
          rows.push({
            count,
            op,
            variant,
            latency,
            rep,
            sides,
            ratios: {
              cos: sides.cos.wallMs / sides.baseline.wallMs,
              oss: sides.oss.wallMs / sides.baseline.wallMs,
            },
          });
        }
      }
    }
    return rows;
  } finally {
    for (const p of projects) await removeProject(p);
  }
}

/** An untimed `up` and `destroy` of one resource per side: loads the CLI, plugins and modules from disk once. */
export async function warmUp(parent: string, emu: RunningEmulator): Promise<void> {
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
