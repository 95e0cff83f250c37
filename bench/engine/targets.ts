/**
 * Issue 15's targets and their verdicts, as pure functions of the report's
 * median rows: at {@link TARGET_SIZE} jobs in one bucket and
 * {@link TARGET_LATENCY_MS} ms of emulator latency, each cloud's ratios to the
 * baseline, requests per job and the provider's peak memory, each "met" or
 * "missed by" how much. These are benchmark figures, never a test's pass or
 * fail.
 */
import {
  CLOUDS,
  type Cloud,
  OPS,
  type Op,
  type Row,
  TARGET_LATENCY_MS,
  TARGET_RATIOS,
  TARGET_SIZE,
  latencyLabel,
  ratioOf,
} from "./model";

/** At most this many requests per job in a refresh. */
export const TARGET_REFRESH_REQUESTS_PER_JOB = 0.05;
/** At most this many requests per created job, per cloud; `undefined`: reported only (COS: the safety rule decides). */
export const TARGET_REQUESTS_PER_CREATE: Readonly<Record<Cloud, number | undefined>> = {
  cos: undefined,
  oss: 1,
};
/** At most this peak RSS of the provider process, MiB. */
export const TARGET_PROVIDER_PEAK_MIB = 200;

/** One target of one cloud at one latency, with what was measured. */
export interface TargetCheck {
  /** The cloud measured. */
  cloud: Cloud;
  /** The latency label of the rows, e.g. `30 ± 5 ms`. */
  latency: string;
  /** What is measured, e.g. `refresh ratio`. */
  what: string;
  /** The limit, or undefined when the figure is only reported. */
  limit?: number;
  /** The measured figure. */
  value: number;
  /** How figures print: decimals and unit suffix. */
  format: { decimals: number; unit: string };
}

/** Whether `check` meets its limit (a reported-only figure has none to meet). */
export function met(check: TargetCheck): boolean {
  return check.limit === undefined || check.value <= check.limit;
}

/** A figure with its unit, e.g. `1.32×`, `0.05`, `180.3 MiB`. */
function show(check: TargetCheck, x: number): string {
  return `${x.toFixed(check.format.decimals)}${check.format.unit}`;
}

/** `met`, `**missed** by 0.07×`, or `reported` for a figure without a limit. */
export function verdict(check: TargetCheck): string {
  if (check.limit === undefined) return "reported";
  return met(check) ? "met" : `**missed** by ${show(check, check.value - check.limit)}`;
}

/** The rows the targets read: default variant, at the targets' size and latency (any jitter). */
export function targetRows(rows: readonly Row[]): Row[] {
  return rows.filter(
    (r) => r.variant === "default" && r.count === TARGET_SIZE && r.latency.ms === TARGET_LATENCY_MS,
  );
}

/** Every target of every cloud, for each latency of `rows` at the targets' size; [] when not measured. */
export function targetChecks(rows: readonly Row[]): TargetCheck[] {
  const at = targetRows(rows);
  const labels = [...new Set(at.map((r) => latencyLabel(r.latency)))];
  const out: TargetCheck[] = [];
  for (const latency of labels) {
    const find = (op: Op): Row | undefined =>
      at.find((r) => r.op === op && latencyLabel(r.latency) === latency);
    for (const cloud of CLOUDS) {
      const add = (what: string, limit: number | undefined, value: number, format: TargetCheck["format"]) =>
        out.push({ cloud, latency, what, limit, value, format });
      for (const op of OPS) {
        const row = find(op);
        if (row) add(`${op} ratio`, TARGET_RATIOS[op], ratioOf(row, cloud), { decimals: 2, unit: "×" });
      }
      const refresh = find("refresh");
      if (refresh) {
        const perJob = refresh.sides[cloud].requestCount / refresh.count;
        add("refresh requests per job", TARGET_REFRESH_REQUESTS_PER_JOB, perJob, { decimals: 3, unit: "" });
      }
      const up = find("up");
      if (up) {
        const perJob = up.sides[cloud].requestCount / up.count;
        add("requests per created job (up)", TARGET_REQUESTS_PER_CREATE[cloud], perJob, {
          decimals: 2,
          unit: "",
        });
      }
      const peaks = OPS.flatMap((op) => find(op) ?? []).map((r) => r.sides[cloud].providerPeakKiB / 1024);
      if (peaks.length > 0) {
        add(
          "provider peak RSS (largest of up, refresh, destroy)",
          TARGET_PROVIDER_PEAK_MIB,
          Math.max(...peaks),
          {
            decimals: 1,
            unit: " MiB",
          },
        );
      }
    }
  }
  return out;
}

/** The report's targets block: a table of every check, or a line saying they were not measured. */
export function targetsBlock(
  rows: readonly Row[],
  sizes: readonly number[],
  latencies: readonly string[],
): string[] {
  const checks = targetChecks(rows);
  const title = `Targets (${TARGET_SIZE} jobs in one bucket, ${TARGET_LATENCY_MS} ms emulator latency, ratios to the baseline of the same run)`;
  if (checks.length === 0) {
    return [
      `${title}: not measured in this run (sizes ${sizes.join(", ")}; latencies ${latencies.join(", ")}).`,
    ];
  }
  const lines = [
    `${title}:`,
    "",
    "| cloud | latency | figure | target | measured | verdict |",
    "|---|---|---|---:|---:|---|",
  ];
  for (const c of checks) {
    const target = c.limit === undefined ? "as few as the safety rule allows" : `≤ ${show(c, c.limit)}`;
    lines.push(`| ${c.cloud} | ${c.latency} | ${c.what} | ${target} | ${show(c, c.value)} | ${verdict(c)} |`);
  }
  const missed = checks.filter((c) => !met(c));
  lines.push(
    "",
    missed.length === 0
      ? "Every target with a limit is met."
      : `${missed.length} of ${checks.filter((c) => c.limit !== undefined).length} targets missed: ` +
          missed.map((c) => `${c.cloud} ${c.what} at ${c.latency} ${verdict(c)}`).join("; ") +
          ".",
  );
  return lines;
}
