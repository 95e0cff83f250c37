// The emulator's standing latency as pure steps: validating a setting (admin
// body and CLI flags), drawing one request's delay with jitter, and splitting
// it around the handling of the request.
import { parseEmulatorArgs } from "../../provider/cli/emulator";
import {
  LatencyControl,
  LatencySettingError,
  MAX_LATENCY_MS,
  NO_LATENCY,
  drawLatencyMs,
  latencyAdminAnswer,
  parseLatencySetting,
  splitLatency,
} from "../../provider/emulator/latency";
import { UsageError } from "../../provider/cli/args";

describe("parseLatencySetting", () => {
  test("whole ms; jitter defaults to 0", () => {
    expect(parseLatencySetting({ ms: 30 })).toEqual({ ms: 30, jitterMs: 0 });
    expect(parseLatencySetting({ ms: 30, jitterMs: 10 })).toEqual({ ms: 30, jitterMs: 10 });
    expect(parseLatencySetting({ ms: 0 })).toEqual(NO_LATENCY);
  });

  test.each<[unknown, RegExp]>([
    [null, /JSON object/],
    [[30], /JSON object/],
    [{}, /ms must be a whole number/],
    [{ ms: -1 }, /ms must be a whole number/],
    [{ ms: 1.5 }, /ms must be a whole number/],
    [{ ms: "30" }, /ms must be a whole number/],
    [{ ms: MAX_LATENCY_MS + 1 }, /ms must be a whole number/],
    [{ ms: 30, jitterMs: 31 }, /jitterMs \(31\) must not exceed ms \(30\)/],
    [{ ms: 30, jitter: 5 }, /unknown field "jitter"/],
  ])("refuses %j", (value, message) => {
    expect(() => parseLatencySetting(value)).toThrow(LatencySettingError);
    expect(() => parseLatencySetting(value)).toThrow(message);
  });
});

describe("drawLatencyMs", () => {
  test("uniform over ms ± jitter: the random extremes give the bounds, the middle the mean", () => {
    const setting = { ms: 30, jitterMs: 10 };
    expect(drawLatencyMs(setting, () => 0)).toBe(20);
    expect(drawLatencyMs(setting, () => 0.5)).toBe(30);
    expect(drawLatencyMs(setting, () => 0.999999)).toBe(40);
  });

  test("no jitter is exactly ms; no latency is 0", () => {
    expect(drawLatencyMs({ ms: 30, jitterMs: 0 }, () => 0.9)).toBe(30);
    expect(drawLatencyMs(NO_LATENCY, () => 0.9)).toBe(0);
  });

  test("every draw with Math.random stays inside the bounds", () => {
    for (let i = 0; i < 1000; i++) {
      const d = drawLatencyMs({ ms: 30, jitterMs: 30 });
      expect(d >= 0 && d <= 60).toBe(true);
    }
  });
});

describe("splitLatency", () => {
  test("half before the request is served, the rest before its answer is written", () => {
    expect(splitLatency(30)).toEqual({ beforeMs: 15, afterMs: 15 });
    expect(splitLatency(31)).toEqual({ beforeMs: 15, afterMs: 16 });
    expect(splitLatency(0)).toEqual({ beforeMs: 0, afterMs: 0 });
  });
});

describe("latencyAdminAnswer", () => {
  test("GET answers the setting; PUT sets it; an invalid PUT is 400 and changes nothing", () => {
    const control = new LatencyControl({ ms: 5, jitterMs: 1 });
    const body = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
    expect(latencyAdminAnswer("GET", Buffer.alloc(0), control)).toEqual({
      status: 200,
      value: { ms: 5, jitterMs: 1 },
    });
    expect(latencyAdminAnswer("PUT", body({ ms: 30, jitterMs: 10 }), control)).toEqual({
      status: 200,
      value: { ms: 30, jitterMs: 10 },
    });
    expect(latencyAdminAnswer("PUT", body({ ms: 10, jitterMs: 20 }), control).status).toBe(400);
    expect(latencyAdminAnswer("PUT", Buffer.from("{"), control).status).toBe(400);
    expect(control.current()).toEqual({ ms: 30, jitterMs: 10 });
  });

  test("an invalid start-up setting is refused", () => {
    expect(() => new LatencyControl({ ms: 1, jitterMs: 2 })).toThrow(LatencySettingError);
  });
});

describe("emulator --latency / --latency-jitter", () => {
  test("both flags give the setting; neither leaves it unset; jitter alone is refused", () => {
    const parsed = parseEmulatorArgs(["--latency", "30", "--latency-jitter=10"]);
    expect(parsed !== "help" && parsed.latency).toEqual({ ms: 30, jitterMs: 10 });
    const plain = parseEmulatorArgs([]);
    expect(plain !== "help" && plain.latency).toBeUndefined();
    expect(() => parseEmulatorArgs(["--latency-jitter", "5"])).toThrow(UsageError);
    expect(() => parseEmulatorArgs(["--latency-jitter", "5"])).toThrow(
      "--latency-jitter (5) must not exceed --latency (0)",
    );
  });

  test.each([
    ["--latency", "-1"],
    ["--latency", "3.5"],
    ["--latency", "ms"],
    ["--latency-jitter", ""],
  ])("%s %j is a usage error", (flag, value) => {
    expect(() => parseEmulatorArgs([flag, value])).toThrow(UsageError);
  });

  test("each flag once", () => {
    expect(() => parseEmulatorArgs(["--latency", "1", "--latency", "2"])).toThrow(/given more than once/);
  });
});
