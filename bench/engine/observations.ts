/**
 * The engine benchmark's generated observations about where the time goes,
 * at the largest size run (the targets', if run): checkpoints, then for each
 * cloud its state size, the provider's own work (and for cos the runtime
 * alone), memory.
 */
import { mib } from "../common";
import {
  CLOUDS,
  type Cloud,
  OPS,
  type MicroResult,
  type Op,
  type Options,
  type Row,
  TARGET_RATIOS,
  TARGET_SIZE,
  type Variant,
  ratioOf,
} from "./model";

/** Milliseconds as seconds with one decimal. */
export const secs = (ms: number): string => (ms / 1000).toFixed(1);

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
export function observations(
  rows: readonly Row[],
  options: Options,
  micro: MicroResult | undefined,
): string[] {
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
  for (const cloud of CLOUDS) out.push(...cloudObservations(cloud, size, find, options, micro));
  return out;
}

/** The observations about one cloud's side against the baseline, at `size`. */
function cloudObservations(
  cloud: Cloud,
  size: number,
  find: (op: Op, variant: Variant) => Row | undefined,
  options: Options,
  micro: MicroResult | undefined,
): string[] {
  const out: string[] = [];
  const up = find("up", "default");
  const bState = up?.sides.baseline.state;
  const cState = up?.sides[cloud].state;
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
      `- ${cloud} state size: each ${cloud} resource takes ${Math.round(cPer)} bytes of checkpoint against ${Math.round(bPer)} ` +
        `for the baseline (×${(cPer / bPer).toFixed(2)}). Its \`__provider\` (the serialized provider, kept in ` +
        `both the inputs and the outputs of every resource) is ${cState.providerBytes} bytes against ` +
        `${bState.providerBytes}${share}`,
    );
  }
  if (options.diagnose) {
    const fast = OPS.map((op) => find(op, "no-checkpoints")).filter((r): r is Row => r !== undefined);
    const parts = fast.map((r) => `${r.op} ${ratioOf(r, cloud).toFixed(2)}`);
    const defaults = OPS.map((op) => find(op, "default")).filter((r): r is Row => r !== undefined);
    const cpu = defaults.map(
      (r) =>
        `${r.op} ${(((r.sides[cloud].cpuS.provider - r.sides.baseline.cpuS.provider) / size) * 1000).toFixed(1)} ms`,
    );
    const served = defaults.reduce(
      (acc, r) => ({
        cpu: acc.cpu + r.sides[cloud].cpuS.emulator - r.sides.baseline.cpuS.emulator,
        requests: acc.requests + r.sides[cloud].requestCount,
      }),
      { cpu: 0, requests: 0 },
    );
    out.push(
      `- ${cloud}, the provider's own work: without per-step checkpoints the ratios at ${size} are ${parts.join(", ")}. ` +
        `The ${cloud} provider process used more CPU than the baseline's (including loading the runtime once), ` +
        `per resource: ${cpu.join(", ")}; the ` +
        `in-process emulator about ${((served.cpu / Math.max(1, served.requests)) * 1000).toFixed(1)} ms per ` +
        "request, on the same cores (a real endpoint would not compete for them).",
    );
    if (micro && cloud === "cos") out.push(microObservation(micro, options));
    // Seconds the cloud takes over the baseline, with and without per-step checkpoints.
    const excess = (r: Row): number => (r.sides[cloud].wallMs - r.sides.baseline.wallMs) / 1000;
    const gaps = OPS.flatMap((op) => {
      const d = find(op, "default");
      const k = find(op, "no-checkpoints");
      return d && k ? [{ op, withCheckpoints: excess(d), without: excess(k) }] : [];
    });
    if (gaps.length > 0) {
      out.push(
        `- Extra seconds of ${cloud} over the baseline at ${size}, with per-step checkpoints → without: ` +
          gaps
            .map((g) => `${g.op} ${g.withCheckpoints.toFixed(1)} s → ${g.without.toFixed(1)} s`)
            .join(", ") +
          ".",
      );
    }
    // Ops over their ratio target with per-step checkpoints: those within it without them are over because
    // of the checkpoint writes; those over it either way, because of the provider's own work.
    const within = (op: Op, variant: Variant): boolean => {
      const r = find(op, variant);
      return r !== undefined && ratioOf(r, cloud) <= TARGET_RATIOS[op];
    };
    const missing = gaps.filter((g) => find(g.op, "default") !== undefined && !within(g.op, "default"));
    const stateBound = missing.filter((g) => within(g.op, "no-checkpoints"));
    const own = missing.filter((g) => !within(g.op, "no-checkpoints"));
    if (stateBound.length > 0) {
      out.push(
        stateLarger
          ? `- So in ${cloud}'s ${listOps(stateBound)} the gap over the ratio target is the larger state being ` +
              "rewritten after every step, not the provider's requests: a smaller serialized provider (or less " +
              "state per resource) would bring these ratios towards the figures without checkpoints."
          : `- ${cloud}'s ${listOps(stateBound)} would be within the ratio target without per-step checkpoints ` +
              `although the ${cloud} state is not larger: that is the variance of those long checkpoint-bound ` +
              "commands (run with --repeat to see it), not the provider.",
      );
    }
    if (own.length > 0) {
      out.push(
        `- ${cloud}'s ${listOps(own)} ${own.length === 1 ? "is" : "are"} over the ratio target because of the ` +
          "provider's own work per call (above) and its requests' round trips: small in " +
          "seconds, but large against a baseline that does nothing.",
      );
    }
  }
  const memory = OPS.map((op) => find(op, "default"))
    .filter((r): r is Row => r !== undefined)
    .map(
      (r) => `${r.op} ${mib((r.sides[cloud].providerPeakKiB - r.sides.baseline.providerPeakKiB) * 1024)} MiB`,
    );
  if (memory.length > 0) {
    out.push(
      `- ${cloud} memory: the provider's peak RSS over the baseline's at ${size}: ${memory.join(", ")}. That is the ` +
        "runtime, its HTTP client and XML parser, and whatever garbage had not been collected yet when the " +
        "high-water mark was set (VmHWM does not tell live memory from garbage).",
    );
  }
  return out;
}

/** The runtime micro-benchmark's observation (it runs the cos runtime only). */
function microObservation(micro: MicroResult, options: Options): string {
  const f = (x: { cpuMs: number }): string => `${x.cpuMs.toFixed(x.cpuMs < 0.1 ? 3 : 2)} ms`;
  return (
    `- The cos runtime alone (a separate Node process calling \`cos.check/create/read/delete\` from \`dist/\` ` +
    `against the same emulator without latency, 8 in flight, ${Math.max(...options.sizes)} jobs; the oss runtime ` +
    `is not micro-benchmarked), CPU per call: check ${f(micro.check)}, create ${f(micro.create)}, read ` +
    `${f(micro.read)}, delete ${f(micro.delete)}; the shim's \`require("pulumi-bucket-inventory/runtime")\` on ` +
    `every call costs ${f(micro.require)} once cached, and loading the runtime the first time ` +
    `${micro.load.wallMs.toFixed(0)} ms once per provider process.` +
    (micro.profile
      ? " Where that process's CPU goes (V8 profile, self time, loading included, idle left out): " +
        Object.entries(micro.profile)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(", ") +
        "."
      : "") +
    " The rest of the provider process's extra CPU (figures above) is the dynamic-provider host's " +
    "own handling of each call: decoding the request and encoding the answer (a read returns " +
    "its inputs as well as its outputs, so that drift shows up in later diffs)."
  );
}
