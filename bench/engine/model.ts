/**
 * The engine benchmark's vocabulary: its sizes, operations, sides and
 * variants, its options, and the figures that measuring produces and the
 * report reads.
 */
import type { LatencySetting } from "../../provider/emulator/latency";
import type { MicroTimes } from "../programs/micro";
import type { ProcKind } from "./sampler";

/** The limit of inventory jobs per bucket (COS and OSS alike). */
export const MAX_JOBS = 1000;
/** Size of the targets. */
export const TARGET_SIZE = 1000;
/** Emulator latency of the targets, ms (any jitter): a real endpoint's round trip. */
export const TARGET_LATENCY_MS = 30;
/** The largest ratio to the baseline each operation may take at the targets' size and latency. */
export const TARGET_RATIOS: Readonly<Record<Op, number>> = { up: 1.1, refresh: 1.25, destroy: 1.1 };
/** The stack of every project. */
export const STACK = "bench";

/** The operations each size runs, in order. */
export const OPS = ["up", "refresh", "destroy"] as const;
/** One of {@link OPS}. */
export type Op = (typeof OPS)[number];
/** The programs compared: a do-nothing dynamic resource, `cos.BucketInventory` and `oss.BucketInventory`. */
export const SIDES = ["baseline", "cos", "oss"] as const;
/** One of {@link SIDES}. */
export type Side = (typeof SIDES)[number];
/** The sides that are a cloud: each is compared with the baseline. */
export const CLOUDS = ["cos", "oss"] as const;
/** One of {@link CLOUDS}. */
export type Cloud = (typeof CLOUDS)[number];
/** `default`: the engine as users run it; `no-checkpoints`: `PULUMI_SKIP_CHECKPOINTS=true` (diagnostic). */
export type Variant = "default" | "no-checkpoints";

/** Command-line options. */
export interface Options {
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
  /** How many times each size's cycle (up, refresh, destroy on every side) runs; the report gives medians. */
  repeat: number;
  /** The emulator's standing latencies to run every size at, in order (`0` = localhost as is). */
  latencies: LatencySetting[];
}

/** The figures of one side's run of one operation. */
export interface SideResult {
  /** Wall time from spawn to exit, ms. */
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

/** One row: every side of one operation at one size. */
export interface Row {
  /** Resources per side. */
  count: number;
  /** The operation. */
  op: Op;
  /** With or without per-step checkpoints. */
  variant: Variant;
  /** The emulator's standing latency during the row's commands. */
  latency: LatencySetting;
  /** Which repetition (1-based); 0 for the median of all of them. */
  rep: number;
  /** Each side's figures. */
  sides: Record<Side, SideResult>;
  /** Each cloud's wall time ÷ the baseline's; for a median row, the median of the repetitions' ratios. */
  ratios: Record<Cloud, number>;
}

/** Size of a stack's checkpoint file, as the file backend writes it. */
export interface StateSize {
  /** Bytes of the checkpoint file. */
  bytes: number;
  /** Resources in it (with the stack and the default provider). */
  resources: number;
  /** Bytes one dynamic resource's `__provider` input (the serialized provider) takes in the file, JSON-encoded. */
  providerBytes: number;
}

/** What the runtime micro-benchmark found: cost per call, and where its CPU went. */
export type MicroResult = MicroTimes & {
  /** Share of the process's sampled CPU by kind of code, from a V8 CPU profile (`--cpu-prof`). */
  profile?: Record<string, number>;
};

/** Facts about the run, for the report. */
export interface RunInfo {
  /** The options it ran with. */
  options: Options;
  /** Every row of every repetition. */
  rows: Row[];
  /** The runtime micro-benchmark, when run. */
  micro?: MicroResult;
  /** Wall time of the whole run, ms. */
  totalMs: number;
  /** When it started (ISO 8601). */
  startedAt: string;
  /** The load average when it started. */
  loadAvg: number[];
}

/** A latency as the report names it: `0 ms`, `30 ms`, `30 ± 5 ms`. */
export function latencyLabel(l: LatencySetting): string {
  return l.jitterMs > 0 ? `${l.ms} ± ${l.jitterMs} ms` : `${l.ms} ms`;
}

/** Whether two rows were measured at the same latency. */
export const sameLatency = (a: Row, b: Row): boolean =>
  a.latency.ms === b.latency.ms && a.latency.jitterMs === b.latency.jitterMs;

/** Wall-time ratio `cloud` ÷ baseline of a row. */
export const ratioOf = (row: Row, cloud: Cloud): number => row.ratios[cloud];
