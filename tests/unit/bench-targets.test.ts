// The engine benchmark's pure parts: the performance targets judged from synthetic
// median rows (met, missed by how much, reported only, not measured), and the
// jobs the benchmark programs declare passing each cloud's own check.
import { checkCosInputs } from "../../provider/clouds/cos/schema";
import { checkOssInputs } from "../../provider/clouds/oss/schema";
import type { Cloud, Op, Row, SideResult } from "../../bench/engine/model";
import { jobArgs, ossJobArgs } from "../../bench/programs/job";
import { targetChecks, targetsBlock, verdict } from "../../bench/engine/targets";

/** One side's figures: wall seconds, requests and provider peak MiB. */
function side(wallS: number, requestCount = 0, peakMiB = 0): SideResult {
  return {
    wallMs: wallS * 1000,
    requests: {},
    requestCount,
    providerPeakKiB: peakMiB * 1024,
    providerProcesses: 1,
    cpuS: { engine: 0, program: 0, provider: 0, other: 0, emulator: 0 },
    summary: "",
  };
}

/** A median row at 1,000 jobs and 30 ± 5 ms unless `at` says otherwise. */
function row(
  op: Op,
  sides: Record<"baseline" | Cloud, SideResult>,
  at: Partial<Pick<Row, "count" | "variant" | "latency">> = {},
): Row {
  return {
    count: 1000,
    op,
    variant: "default",
    latency: { ms: 30, jitterMs: 5 },
    rep: 0,
    sides,
    ratios: { cos: sides.cos.wallMs / sides.baseline.wallMs, oss: sides.oss.wallMs / sides.baseline.wallMs },
    ...at,
  };
}

/** A full set of rows at the targets' size and latency. */
const ROWS: Row[] = [
  row("up", { baseline: side(10, 0, 60), cos: side(10.5, 2000, 150), oss: side(12, 1000, 210) }),
  row("refresh", { baseline: side(10, 0, 60), cos: side(12, 10, 140), oss: side(13, 1000, 150) }),
  row("destroy", { baseline: side(10, 0, 60), cos: side(11, 1000, 120), oss: side(10, 1000, 120) }),
];

/** The check of `cloud` whose figure starts with `what`. */
function find(cloud: Cloud, what: string) {
  const found = targetChecks(ROWS).find((c) => c.cloud === cloud && c.what.startsWith(what));
  if (!found) throw new Error(`no ${cloud} ${what} check`);
  return found;
}

describe("targetChecks", () => {
  test("ratios: up and destroy ≤ 1.10, refresh ≤ 1.25; missed by the excess", () => {
    expect(verdict(find("cos", "up ratio"))).toBe("met");
    expect(verdict(find("oss", "up ratio"))).toBe("**missed** by 0.10×");
    expect(verdict(find("cos", "refresh ratio"))).toBe("met");
    expect(verdict(find("oss", "refresh ratio"))).toBe("**missed** by 0.05×");
    expect(verdict(find("cos", "destroy ratio"))).toBe("met");
    expect(verdict(find("oss", "destroy ratio"))).toBe("met");
  });

  test("refresh requests per job ≤ 0.05", () => {
    expect(find("cos", "refresh requests").value).toBeCloseTo(0.01);
    expect(verdict(find("cos", "refresh requests"))).toBe("met");
    expect(verdict(find("oss", "refresh requests"))).toBe("**missed** by 0.950");
  });

  test("requests per created job: OSS at most 1.00, COS reported only", () => {
    expect(verdict(find("oss", "requests per created job"))).toBe("met");
    const cos = find("cos", "requests per created job");
    expect(cos.value).toBe(2);
    expect(verdict(cos)).toBe("reported");
  });

  test("provider peak RSS ≤ 200 MiB, the largest of the three commands", () => {
    expect(verdict(find("cos", "provider peak RSS"))).toBe("met");
    expect(find("oss", "provider peak RSS").value).toBe(210);
    expect(verdict(find("oss", "provider peak RSS"))).toBe("**missed** by 10.0 MiB");
  });

  test("only the default variant at 1,000 jobs and 30 ms counts", () => {
    const others = [
      ...ROWS.map((r) => ({ ...r, count: 100 })),
      ...ROWS.map((r) => ({ ...r, latency: { ms: 0, jitterMs: 0 } })),
      ...ROWS.map((r) => ({ ...r, variant: "no-checkpoints" as const })),
    ];
    expect(targetChecks(others)).toEqual([]);
    expect(targetsBlock(others, [100, 1000], ["0 ms", "30 ± 5 ms"])).toEqual([
      expect.stringMatching(/: not measured in this run \(sizes 100, 1000; latencies 0 ms, 30 ± 5 ms\)\.$/),
    ]);
  });

  test("the block lists every check and sums up the misses", () => {
    const block = targetsBlock(ROWS, [1000], ["30 ± 5 ms"]).join("\n");
    expect(block).toContain("| oss | 30 ± 5 ms | up ratio | ≤ 1.10× | 1.20× | **missed** by 0.10× |");
    expect(block).toContain(
      "| cos | 30 ± 5 ms | requests per created job (up) | as few as the safety rule allows | 2.00 | reported |",
    );
    expect(block).toMatch(/4 of 11 targets missed: oss up ratio at 30 ± 5 ms \*\*missed\*\* by 0\.10×; /);
  });
});

describe("the benchmark programs' jobs", () => {
  test("pass each cloud's check with every field kept", () => {
    const cos = checkCosInputs(jobArgs("job-0001"));
    expect(cos.failures).toEqual([]);
    const oss = checkOssInputs(ossJobArgs("job-0001"));
    expect(oss.failures).toEqual([]);
    expect(Object.keys(oss.inputs)).toEqual(
      expect.arrayContaining(["filter", "incrementalInventory", "destination"]),
    );
  });
});
