/**
 * The dynamic-provider watchdog's decisions: which processes it watches, and
 * when it gives up on the engine. The checks themselves (the process tree and
 * the TCP connect) are faked here; tests/e2e/lifetime.test.ts kills a real
 * engine.
 */
import {
  EngineState,
  dynamicProviderEngineAddress,
  parseEngineAddress,
  watchEngine,
} from "../../provider/engine/watchdog";

const PROVIDER = "/repo/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";

describe("parseEngineAddress", () => {
  it("takes host:port as the engine gives it", () => {
    expect(parseEngineAddress("127.0.0.1:41234")).toEqual({ host: "127.0.0.1", port: 41234 });
    expect(parseEngineAddress("localhost:80")).toEqual({ host: "localhost", port: 80 });
    expect(parseEngineAddress("[::1]:5")).toEqual({ host: "::1", port: 5 });
  });

  it("refuses anything else", () => {
    for (const s of [
      undefined,
      "",
      "-c",
      "--monitor=127.0.0.1:1",
      "127.0.0.1",
      "127.0.0.1:0",
      "h:65536",
      "a b:1",
    ]) {
      expect(parseEngineAddress(s)).toBeUndefined();
    }
  });
});

describe("dynamicProviderEngineAddress", () => {
  it("is the argument of @pulumi/pulumi's dynamic-provider host", () => {
    expect(dynamicProviderEngineAddress(["node", PROVIDER, "127.0.0.1:41234"])).toBe("127.0.0.1:41234");
    expect(dynamicProviderEngineAddress(["node", PROVIDER.replace(/\/index\.js$/, ""), "127.0.0.1:1"])).toBe(
      "127.0.0.1:1",
    );
  });

  it("is undefined in programs, our CLI, tests and a provider without an address", () => {
    const cases = [
      [
        "node",
        "/repo/node_modules/@pulumi/pulumi/cmd/run",
        "--monitor=127.0.0.1:1",
        "--engine=127.0.0.1:2",
        ".",
      ],
      ["node", "/repo/dist/provider/cli/main.js", "emulator", "127.0.0.1:9000"],
      ["node", "/repo/node_modules/.bin/jest", "-c", "tests/jest.config.js"],
      ["node", PROVIDER],
      ["node", PROVIDER, "not-an-address"],
    ];
    for (const argv of cases) {
      expect(dynamicProviderEngineAddress(argv)).toBeUndefined();
    }
  });

  it("is undefined in this very process, so loading the runtime in tests watches nothing", () => {
    expect(dynamicProviderEngineAddress()).toBeUndefined();
    expect(watchEngine()).toBeUndefined();
  });
});

describe("watchEngine", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A probe answering `states` in turn (then `alive`), counting its calls. */
  function scripted(states: EngineState[]): { probe: () => Promise<EngineState>; calls: () => number } {
    let n = 0;
    return {
      probe: () => Promise.resolve(states[n++] ?? "alive"),
      calls: () => n,
    };
  }

  /** Runs one check: the timer fires, then the probe's answer is handled. */
  async function tick(ms = 1000): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
  }

  it("does nothing without a valid address", () => {
    const onGone = jest.fn();
    expect(watchEngine(undefined, { onGone })).toBeUndefined();
    expect(watchEngine("--engine=127.0.0.1:1", { onGone })).toBeUndefined();
    expect(onGone).not.toHaveBeenCalled();
  });

  it("gives up after two consecutive misses, forgiving a single one", async () => {
    jest.useFakeTimers();
    const onGone = jest.fn();
    const p = scripted(["alive", "gone", "alive", "gone", "unknown", "gone", "alive"]);
    const watch = watchEngine("127.0.0.1:1", { onGone, probe: p.probe });
    expect(watch).toBeDefined();

    await tick(); // alive
    await tick(); // gone (1)
    await tick(); // alive: back to 0
    await tick(); // gone (1)
    await tick(); // unknown: still 1
    expect(onGone).not.toHaveBeenCalled();
    await tick(); // gone (2)
    expect(onGone).toHaveBeenCalledTimes(1);

    // It stops checking once it has given up.
    await tick(5000);
    expect(p.calls()).toBe(6);
    expect(onGone).toHaveBeenCalledTimes(1);
  });

  it("keeps one watch per process and stops on request", async () => {
    jest.useFakeTimers();
    const onGone = jest.fn();
    const p = scripted(Array<EngineState>(10).fill("gone"));
    const first = watchEngine("127.0.0.1:1", { onGone, probe: p.probe, intervalMs: 100 });
    expect(watchEngine("127.0.0.1:2", { onGone, probe: p.probe })).toBe(first);

    await tick(100);
    first!.stop();
    await tick(1000);
    expect(p.calls()).toBe(1);
    expect(onGone).not.toHaveBeenCalled();
  });

  it("never holds the process open: its timer is unref'd", () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const watch = watchEngine("127.0.0.1:1", { probe: () => Promise.resolve("alive") });
    try {
      expect(watch).toBeDefined();
      expect(timers()).toBe(before);
    } finally {
      watch?.stop();
    }
  });
});
