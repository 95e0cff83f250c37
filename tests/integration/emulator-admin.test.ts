// The emulator's admin API, driven over real HTTP next to signed COS
// requests: the request log, fault injection (status, latency, drop, clock
// skew), invalid fault specs, the jobs dump and reset.
import { decodeListPage, encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import type { RunningEmulator } from "../../provider/emulator/server";
import * as cos from "../support/cos-emulator";
import { emulatorAdmin } from "../support/emulator-suite";
import { send } from "../support/http";

describe("admin API", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await cos.startCosEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    expect(await emulatorAdmin.reset(emu)).toBe(204);
  });

  test("request log: method, bucket, operation, inventoryId, status, time; admin calls are not logged", async () => {
    const before = Date.now();
    await cos.put(emu, "log1");
    await cos.get(emu, "log1");
    await cos.list(emu);
    await cos.del(emu, "log1");
    await cos.get(emu, "log1");
    await cos.list(emu, undefined, { bucket: cos.OTHER_BUCKET });
    await send(emu.url, { method: "GET", path: "/_emulator/jobs" });
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
      ["PUT", cos.BUCKET, "put", "log1", 200],
      ["GET", cos.BUCKET, "get", "log1", 200],
      ["GET", cos.BUCKET, "list", null, 200],
      ["DELETE", cos.BUCKET, "delete", "log1", 204],
      ["GET", cos.BUCKET, "get", "log1", 404],
      ["GET", cos.OTHER_BUCKET, "list", null, 200],
    ]);
    for (const e of log) {
      expect(Date.parse(String(e.time))).toBeGreaterThanOrEqual(before - 1000);
      expect(String(e.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(log[4].code).toBe("NoSuchInventoryConfiguration");
    expect(await emulatorAdmin.clearLog(emu)).toBe(204);
    expect(await emulatorAdmin.requests(emu)).toEqual([]);
  });

  test("faults: status and code for the next N matching requests, then normal service", async () => {
    const f = await emulatorAdmin.fault(emu, {
      match: { method: "get", operation: "list", bucket: cos.BUCKET },
      count: 2,
      status: 503,
      code: "ServiceUnavailable",
      message: "try later",
    });
    expect(f.status).toBe(201);
    expect(f.json).toMatchObject({ id: expect.any(Number), remaining: 2, status: 503 });
    // Not matching: another bucket, another operation.
    expect((await cos.list(emu, undefined, { bucket: cos.OTHER_BUCKET })).status).toBe(200);
    expect((await cos.get(emu, "nope")).status).toBe(404);
    const first = cos.expectCosError(await cos.list(emu), 503, "ServiceUnavailable");
    expect(first.message).toBe("try later");
    cos.expectCosError(await cos.list(emu), 503, "ServiceUnavailable");
    expect((await cos.list(emu)).status).toBe(200);
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.operation, e.status, e.code ?? null])).toEqual([
      ["list", 200, null],
      ["get", 404, "NoSuchInventoryConfiguration"],
      ["list", 503, "ServiceUnavailable"],
      ["list", 503, "ServiceUnavailable"],
      ["list", 200, null],
    ]);
    expect(await emulatorAdmin.faults(emu)).toEqual([]);
  });

  test("faults queue in order; a status-only fault gets a default code", async () => {
    await emulatorAdmin.fault(emu, { count: 1, status: 500 });
    await emulatorAdmin.fault(emu, { count: 1, status: 429, code: "SlowDown" });
    cos.expectCosError(await cos.list(emu), 500, "InternalError");
    cos.expectCosError(await cos.list(emu), 429, "SlowDown");
    expect((await cos.list(emu)).status).toBe(200);
  });

  test("faults: latency delays the answer", async () => {
    await emulatorAdmin.fault(emu, { match: { operation: "list" }, count: 1, latencyMs: 300 });
    const t0 = Date.now();
    expect((await cos.list(emu)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  test("faults: drop destroys the connection without an answer", async () => {
    await emulatorAdmin.fault(emu, { match: { operation: "put" }, count: 1, drop: true });
    await expect(cos.put(emu, "dropped")).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE/),
    });
    cos.expectCosError(await cos.get(emu, "dropped"), 404, "NoSuchInventoryConfiguration");
    const log = await emulatorAdmin.requests(emu);
    expect(log[0]).toMatchObject({ operation: "put", inventoryId: "dropped", status: 0, dropped: true });
    expect((await cos.put(emu, "dropped")).status).toBe(200);
  });

  test("faults: clock skew shifts the server clock (time checks and Date) for the next N requests", async () => {
    await emulatorAdmin.fault(emu, { count: 1, clockSkewSeconds: 3600 });
    const ahead = await cos.list(emu);
    expect(cos.expectCosError(ahead, 403, "AccessDenied").message).toBe("Request has expired");
    expect(Date.parse(String(ahead.headers.date)) - Date.now()).toBeGreaterThan(3500_000);

    await emulatorAdmin.fault(emu, { count: 1, clockSkewSeconds: -3600 });
    const behind = await cos.list(emu);
    cos.expectCosError(behind, 403, "RequestTimeTooSkewed");
    expect(Date.now() - Date.parse(String(behind.headers.date))).toBeGreaterThan(3500_000);

    // A client that corrects its clock from Date is accepted while the skew lasts.
    await emulatorAdmin.fault(emu, { count: 1, clockSkewSeconds: 3600 });
    const serverNow = Math.floor(Date.now() / 1000) + 3600;
    expect((await cos.list(emu, undefined, { window: [serverNow - 1, serverNow + 900] })).status).toBe(200);
    expect((await cos.list(emu)).status).toBe(200);
  });

  test("invalid fault specs are refused with 400", async () => {
    for (const spec of [
      { count: 1 },
      { count: 0, status: 500 },
      { status: 99 },
      { code: "X" },
      { match: { operation: "patch" }, status: 500 },
      { drop: true, status: 500 },
      { nonsense: 1, status: 500 },
    ]) {
      const r = await emulatorAdmin.fault(emu, spec);
      expect({ spec, status: r.status }).toEqual({ spec, status: 400 });
      expect((r.json as { error: unknown }).error).toEqual(expect.any(String));
    }
    expect(
      (
        await send(emu.url, {
          method: "POST",
          path: "/_emulator/faults",
          headers: { "Content-Type": "application/json" },
          body: "{",
        })
      ).status,
    ).toBe(400);
    expect((await send(emu.url, { method: "GET", path: "/_emulator/nothing" })).status).toBe(404);
  });

  test("jobs dump and reset (jobs, log and faults cleared; buckets and keys kept)", async () => {
    await cos.put(emu, "keep-a");
    await cos.put(emu, "keep-b");
    await emulatorAdmin.fault(emu, { count: 5, status: 500 });
    const jobs = await emulatorAdmin.jobs(emu);
    expect(jobs[cos.BUCKET].map((j) => [j.dialect, j.id])).toEqual([
      ["cos", "keep-a"],
      ["cos", "keep-b"],
    ]);
    expect(jobs[cos.BUCKET][0].body).toBe(encodeInventoryConfiguration(cos.config("keep-a")));
    expect(jobs[cos.OTHER_BUCKET]).toEqual([]);

    expect(await emulatorAdmin.reset(emu)).toBe(204);
    expect(await emulatorAdmin.requests(emu)).toEqual([]);
    const after = await cos.list(emu);
    expect(after.status).toBe(200);
    expect(decodeListPage(after.body).configurations).toEqual([]);
    expect(await emulatorAdmin.jobs(emu)).toEqual({
      [cos.BUCKET]: [],
      [cos.OTHER_BUCKET]: [],
    });
  });
});
