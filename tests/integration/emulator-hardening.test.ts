// The emulator's defences as a local service: the admin API answers only what a
// local tool sends (loopback Host, no browser cross-origin request, JSON
// content type), and connections that go silent or trickle are closed.
import * as net from "net";
import { encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import {
  DEFAULT_TIMEOUTS,
  resolveTimeouts,
  startEmulator,
  type RunningEmulator,
} from "../../provider/emulator/server";
import { send, type RawRequest, type Reply } from "../support/http";

const BUCKET = "examplebucket-1250000000";

/** One request on a fresh connection, with exactly the headers given (Host included). */
const raw = (emu: RunningEmulator, req: RawRequest): Promise<Reply> => send(emu.url, req);

/** A job body, for seeding the store directly. */
function job(id: string): string {
  const config: CosInventoryConfiguration = {
    id,
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
    optionalFields: ["Size"],
    destination: { format: "CSV", accountId: "100000000001", bucket: `qcs::cos:ap-guangzhou::${BUCKET}` },
  };
  return encodeInventoryConfiguration(config);
}

/** Asserts a JSON refusal from the admin API and returns its error text. */
function expectRefusal(reply: Reply, status: number): string {
  expect({ status: reply.status, type: reply.headers["content-type"] }).toEqual({
    status,
    type: "application/json; charset=utf-8",
  });
  const error = (JSON.parse(reply.body) as { error?: unknown }).error;
  expect(error).toEqual(expect.any(String));
  return String(error);
}

describe("admin API: only local tools, never a web page", () => {
  let emu: RunningEmulator;
  let local: string;
  const json = { "Content-Type": "application/json" };
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, buckets: [BUCKET], credentials: [], admin: true });
    local = `127.0.0.1:${emu.port}`;
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emu.store.clear();
    await emu.store.put(BUCKET, { dialect: "cos", id: "precious", body: job("precious") });
  });
  const stillThere = (): boolean => emu.store.get(BUCKET, "cos", "precious") !== undefined;

  test("the reported request (text/plain POST, foreign Host and Origin) is refused and resets nothing", async () => {
    const r = await raw(emu, {
      method: "POST",
      path: "/_emulator/reset",
      headers: {
        Host: `evil.example:${emu.port}`,
        Origin: "http://evil.example",
        "Content-Type": "text/plain",
      },
      body: "{}",
    });
    expect(expectRefusal(r, 403)).toMatch(/loopback Host/);
    expect(stillThere()).toBe(true);
  });

  test("a Host that is not loopback is refused, reads included (DNS rebinding); loopback names pass", async () => {
    for (const host of [
      "evil.example",
      `evil.example:${emu.port}`,
      `127.0.0.1.evil.example:${emu.port}`,
      `localhost.evil.example`,
      "10.0.0.1",
      "[fe80::1]",
      "127.0.0.1@evil.example",
    ]) {
      const r = await raw(emu, { method: "GET", path: "/_emulator/jobs", headers: { Host: host } });
      expect({ host, status: r.status }).toEqual({ host, status: 403 });
      expect(r.body).not.toContain("precious");
    }
    expectRefusal(
      await raw(emu, {
        method: "POST",
        path: "/_emulator/reset",
        headers: { Host: "evil.example", ...json },
      }),
      403,
    );
    expect(stillThere()).toBe(true);
    // Loopback names pass, with or without a port.
    for (const host of [
      local,
      `localhost:${emu.port}`,
      "LOCALHOST",
      `[::1]:${emu.port}`,
      "127.0.0.1",
      "127.1.2.3",
    ]) {
      const r = await raw(emu, { method: "GET", path: "/_emulator/jobs", headers: { Host: host } });
      expect({ host, status: r.status }).toEqual({ host, status: 200 });
    }
  });

  test("a foreign Origin or a cross-site Sec-Fetch-Site is refused, even with JSON and a loopback Host", async () => {
    const cases: Record<string, string>[] = [
      { Origin: "http://evil.example" },
      { Origin: "null" },
      { Origin: `http://localhost:${emu.port + 1}` },
      { Origin: `https://${local}` },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
    ];
    for (const extra of cases) {
      const reset = await raw(emu, {
        method: "POST",
        path: "/_emulator/reset",
        headers: { Host: local, ...json, ...extra },
      });
      expect({ extra, status: reset.status }).toEqual({ extra, status: 403 });
      expect(expectRefusal(reset, 403)).toMatch(/cross-origin/);
      const read = await raw(emu, {
        method: "GET",
        path: "/_emulator/jobs",
        headers: { Host: local, ...extra },
      });
      expect({ extra, status: read.status }).toEqual({ extra, status: 403 });
    }
    expect(stillThere()).toBe(true);
  });

  test("POST and DELETE need Content-Type: application/json, with or without a body", async () => {
    await emu.store.put(BUCKET, { dialect: "cos", id: "other", body: job("other") });
    // Something in the request log, to see that a refused DELETE keeps it.
    await raw(emu, { method: "GET", path: `/${BUCKET}/?inventory`, headers: { Host: local } });
    const refusals: Reply[] = [
      await raw(emu, { method: "POST", path: "/_emulator/reset", headers: { Host: local } }),
      await raw(emu, {
        method: "POST",
        path: "/_emulator/reset",
        headers: { Host: local, "Content-Type": "text/plain" },
      }),
      await raw(emu, {
        method: "POST",
        path: "/_emulator/faults",
        headers: { Host: local, "Content-Type": "application/x-www-form-urlencoded" },
        body: JSON.stringify({ status: 500 }),
      }),
      await raw(emu, {
        method: "POST",
        path: "/_emulator/faults",
        headers: { Host: local, "Content-Type": "multipart/form-data; boundary=x" },
        body: JSON.stringify({ status: 500 }),
      }),
      await raw(emu, { method: "DELETE", path: "/_emulator/requests", headers: { Host: local } }),
      await raw(emu, { method: "DELETE", path: "/_emulator/faults", headers: { Host: local } }),
    ];
    for (const r of refusals) expect(expectRefusal(r, 415)).toMatch(/application\/json/);
    expect(stillThere()).toBe(true);
    const faults = await raw(emu, { method: "GET", path: "/_emulator/faults", headers: { Host: local } });
    expect(JSON.parse(faults.body)).toEqual([]);
    const log = await raw(emu, { method: "GET", path: "/_emulator/requests", headers: { Host: local } });
    expect(JSON.parse(log.body)).toHaveLength(1);

    // With JSON (parameters allowed) and the emulator's own origin, the same calls work.
    const added = await raw(emu, {
      method: "POST",
      path: "/_emulator/faults",
      headers: { Host: local, "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ status: 500 }),
    });
    expect(added.status).toBe(201);
    const reset = await raw(emu, {
      method: "POST",
      path: "/_emulator/reset",
      headers: { Host: local, Origin: `http://${local}`, "Sec-Fetch-Site": "same-origin", ...json },
    });
    expect(reset.status).toBe(204);
    expect(stillThere()).toBe(false);
  });
});

describe("connection timeouts", () => {
  const short = { headersMs: 400, requestMs: 1000, keepAliveMs: 300, idleMs: 500 };
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, buckets: [BUCKET], credentials: [], admin: true, timeouts: short });
  });
  afterAll(() => emu.close());

  /** Resolves with `value` after `ms`, to race against a close. */
  const after = <T>(ms: number, value: T): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms));

  /** Connects and resolves once connected; `closed` resolves with the ms from connect to close. */
  function connect(
    port: number = emu.port,
  ): Promise<{ socket: net.Socket; closed: Promise<number>; received: () => string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      let data = "";
      socket.on("data", (d: Buffer) => (data += d.toString()));
      socket.once("error", reject);
      socket.once("connect", () => {
        const t0 = Date.now();
        socket.on("error", () => undefined);
        const closed = new Promise<number>((done) => socket.once("close", () => done(Date.now() - t0)));
        resolve({ socket, closed, received: () => data });
      });
    });
  }

  test("connections that never send a byte are closed, by the idle or the headers timeout; a timely request is served", async () => {
    // Each limit alone: a long headers timeout leaves it to the idle timer, and the reverse.
    for (const timeouts of [
      { headersMs: 8000, requestMs: 8000, idleMs: 500 },
      { headersMs: 500, requestMs: 8000, idleMs: 8000 },
    ]) {
      const other = await startEmulator({ port: 0, buckets: [], credentials: [], timeouts });
      try {
        const conns = await Promise.all(Array.from({ length: 50 }, () => connect(other.port)));
        // One more that speaks up within the limits is served as usual.
        const timely = await connect(other.port);
        await after(200, undefined);
        timely.socket.write(`GET /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        const times = await Promise.all(conns.map((c) => Promise.race([c.closed, after(5000, Infinity)])));
        expect({ timeouts, open: times.filter((t) => t === Infinity).length }).toEqual({ timeouts, open: 0 });
        expect(Math.min(...times)).toBeGreaterThanOrEqual(450);
        await timely.closed;
        // Admin is off on this one: 404 is its answer.
        expect(timely.received()).toMatch(/^HTTP\/1\.1 404/);
      } finally {
        await other.close();
      }
    }
  });

  test("headers trickled a byte at a time are cut off by the headers timeout", async () => {
    const c = await connect();
    c.socket.write(`GET /_emulator/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
    const timer = setInterval(() => c.socket.writable && c.socket.write("a"), 100);
    try {
      const t = await Promise.race([c.closed, after(5000, Infinity)]);
      expect(t).toBeLessThan(5000);
      expect(c.received()).not.toMatch(/^HTTP\/1\.1 200/);
    } finally {
      clearInterval(timer);
      c.socket.destroy();
    }
  });

  test("a body trickled a byte at a time is cut off by the request timeout", async () => {
    const c = await connect();
    c.socket.write(
      `POST /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n`,
    );
    const timer = setInterval(() => c.socket.writable && c.socket.write(" "), 100);
    try {
      const t = await Promise.race([c.closed, after(5000, Infinity)]);
      expect(t).toBeLessThan(5000);
    } finally {
      clearInterval(timer);
      c.socket.destroy();
    }
  });

  test("a keep-alive connection is closed once idle after its answer", async () => {
    const c = await connect();
    c.socket.write(`GET /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    const t = await Promise.race([c.closed, after(4000, Infinity)]);
    expect(t).toBeLessThan(4000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
  });

  test("an answer held longer than every timeout (latency fault) is delivered; then the idle connection closes", async () => {
    const add = await raw(emu, {
      method: "POST",
      path: "/_emulator/faults",
      headers: { Host: "127.0.0.1", "Content-Type": "application/json" },
      body: JSON.stringify({ match: { bucket: BUCKET }, latencyMs: 1500 }),
    });
    expect(add.status).toBe(201);
    const c = await connect();
    // Unsigned, so answered 403 by the COS dialect: what matters is that it is answered.
    c.socket.write(`GET /${BUCKET}/?inventory HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    const t = await Promise.race([c.closed, after(5000, Infinity)]);
    expect(c.received()).toMatch(/^HTTP\/1\.1 403/);
    expect(t).toBeGreaterThanOrEqual(1450);
    expect(t).toBeLessThan(5000);
  });

  test("defaults, and invalid values refused", async () => {
    expect(resolveTimeouts()).toEqual(DEFAULT_TIMEOUTS);
    expect(resolveTimeouts({ idleMs: 1 })).toEqual({ ...DEFAULT_TIMEOUTS, idleMs: 1 });
    for (const timeouts of [
      { idleMs: 0 },
      { keepAliveMs: -1 },
      { requestMs: 1.5 },
      { headersMs: 2000, requestMs: 1000 },
    ]) {
      await expect(startEmulator({ port: 0, buckets: [], credentials: [], timeouts })).rejects.toThrow(
        RangeError,
      );
    }
  });
});
