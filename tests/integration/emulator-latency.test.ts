// The emulator's standing latency on a running server: set at start-up and
// through the admin API, kept by reset, and given to requests of both
// dialects (a lower bound only, with a few ms for timer rounding: a slow
// machine only adds to it).
import { performance } from "perf_hooks";
import type { RunningEmulator } from "../../provider/emulator/server";
import * as cos from "../support/cos-emulator";
import { emulatorAdmin, startAdminEmulator } from "../support/emulator-suite";
import { adminExchange } from "../support/http";
import * as oss from "../support/oss-emulator";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startAdminEmulator(
    [cos.BUCKET, oss.BUCKET],
    { id: cos.AK, secret: cos.SK },
    {
      credentials: [
        { id: cos.AK, secret: cos.SK },
        { id: oss.AK, secret: oss.SK },
      ],
      latency: { ms: 40, jitterMs: 10 },
    },
  );
});
afterAll(() => emu.close());

/** How long `call` took, in ms. */
async function elapsed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

test("the start-up setting is served by GET /_emulator/latency and kept by reset", async () => {
  expect((await adminExchange(emu, "GET", "/_emulator/latency")).json).toEqual({ ms: 40, jitterMs: 10 });
  expect(await emulatorAdmin.reset(emu)).toBe(204);
  expect((await adminExchange(emu, "GET", "/_emulator/latency")).json).toEqual({ ms: 40, jitterMs: 10 });
});

test("COS and OSS requests each wait at least ms - jitter, and are served and logged as before", async () => {
  await emulatorAdmin.clearLog(emu);
  let status = 0;
  expect(await elapsed(async () => (status = (await cos.put(emu, "slow")).status))).toBeGreaterThanOrEqual(
    29,
  );
  expect(status).toBe(200);
  expect(await elapsed(async () => (status = (await oss.put(emu, "slow")).status))).toBeGreaterThanOrEqual(
    29,
  );
  expect(status).toBe(200);
  expect((await emulatorAdmin.requests(emu)).map((e) => [e.dialect, e.operation, e.status])).toEqual([
    ["cos", "put", 200],
    ["oss", "put", 200],
  ]);
});

test("PUT /_emulator/latency changes it while running; an invalid one is 400 and keeps the old", async () => {
  const bad = await adminExchange(emu, "PUT", "/_emulator/latency", { ms: 5, jitterMs: 6 });
  expect(bad.status).toBe(400);
  expect(bad.json).toEqual({ error: "jitterMs (6) must not exceed ms (5)" });
  const set = await adminExchange(emu, "PUT", "/_emulator/latency", { ms: 300 });
  expect(set).toEqual({ status: 200, json: { ms: 300, jitterMs: 0 } });
  expect(await elapsed(() => oss.get(emu, "slow"))).toBeGreaterThanOrEqual(290);
  expect(await elapsed(() => cos.list(emu))).toBeGreaterThanOrEqual(290);
  await adminExchange(emu, "PUT", "/_emulator/latency", { ms: 0 });
});
