/**
 * The runtime's own cost per call, without the engine: run by
 * `bench/engine/micro.ts` as a separate Node process (like the provider's,
 * under `--cpu-prof`) with the runtime's path and a job count. It loads
 * `pulumi-bucket-inventory/runtime` from `dist/` and calls the cos provider
 * methods directly against the emulator (endpoint and keys in the
 * environment), 8 in flight, timing its own CPU; prints one JSON line of
 * {@link MicroTimes}.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BucketInventoryRuntime } from "../../provider/engine/runtime";
import { jobArgs, jobName } from "./job";

/** Wall and CPU ms per call (for `load`, once). */
export interface CallCost {
  /** Wall time, ms. */
  wallMs: number;
  /** User + system CPU of this process, ms. */
  cpuMs: number;
}

/** What the process prints: the first load of the runtime, then each method's cost per call. */
export type MicroTimes = Record<"load" | "require" | "check" | "create" | "read" | "delete", CallCost>;

/** This process's CPU time so far, ms. */
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Calls `fn` for 0..n-1, 8 at a time, and returns the cost per call. */
async function phase(n: number, fn: (i: number) => Promise<void>): Promise<CallCost> {
  let next = 0;
  const c0 = cpuMs();
  const w0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return { wallMs: (performance.now() - w0) / n, cpuMs: (cpuMs() - c0) / n };
}

/** The runtime, loaded the way the provider shim loads it: by path, at run time. */
function loadRuntime(runtimePath: string): BucketInventoryRuntime {
  // A real run-time require on purpose: its first cost (`load`) and cached cost (`require`) are measured.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(runtimePath) as BucketInventoryRuntime;
}

async function main(): Promise<void> {
  const [runtimePath, countArg] = process.argv.slice(2);
  const n = Number(countArg);
  const args = (i: number) => jobArgs(jobName(i, "micro"));
  const c0 = cpuMs();
  const w0 = performance.now();
  const rt = loadRuntime(runtimePath);
  const load = { wallMs: performance.now() - w0, cpuMs: cpuMs() - c0 };
  // No stack config: credentials, region and endpoint come from the environment, as in the benchmark's stacks.
  const noConfig = { config: { get: () => undefined } } as unknown as pulumi.dynamic.ConfigureRequest;
  await rt.configure(noConfig);
  const checked: unknown[] = [];
  const outs: unknown[] = [];
  const out: Partial<MicroTimes> = { load };
  out.require = await phase(n, async () => void loadRuntime(runtimePath));
  out.check = await phase(n, async (i) => {
    checked[i] = (await rt.cos.check({}, args(i))).inputs;
  });
  out.create = await phase(n, async (i) => {
    outs[i] = (await rt.cos.create(checked[i])).outs;
  });
  out.read = await phase(n, async (i) => void (await rt.cos.read("", outs[i])));
  out.delete = await phase(n, (i) => rt.cos.delete("", outs[i]));
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
