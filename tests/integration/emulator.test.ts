// The local inventory emulator (COS dialect), driven over real HTTP with our
// own signer: addressing styles, every error path, paging and limits,
// persistence across a SIGKILL, the admin API and the `bucket-inventory` CLI.
import { spawn, execFile, type ChildProcess } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { createInterface } from "readline";
import {
  decodeErrorBody,
  decodeListPage,
  encodeInventoryConfiguration,
} from "../../provider/clouds/cos/codec";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { authorize } from "../../provider/clouds/cos/signer";
import { main, parseEmulatorArgs, type CliIo } from "../../provider/cli/main";
import { EMULATOR_DEFAULT_CREDENTIAL } from "../../provider/emulator/credentials";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import { send, type Reply } from "../support/http";

const ROOT = path.resolve(__dirname, "..", "..");
const BUCKET = "examplebucket-1250000000";
const OTHER_BUCKET = "inventorybucket-1250000000";
const REGION = "ap-guangzhou";
const AK = "AKIDTESTEXAMPLE";
const SK = "test-secret-key";

interface SignedOptions {
  method: string;
  /** Query parameters in URL order; `undefined` is sent valueless (`?inventory`), `""` as `inventory=`. */
  query: [string, string | undefined][];
  bucket?: string;
  style?: "path" | "virtual";
  body?: string;
  /** Content-MD5 to send: default the body's; null sends none. */
  md5?: string | null;
  secretId?: string;
  secretKey?: string;
  /** Validity window in unix seconds; default now-1 … now+900. */
  window?: [number, number];
  /** Sign the path including the bucket (path-style only). */
  signFullPath?: boolean;
  /** Which headers to sign (default: the signer's default set). */
  signHeaders?: (name: string) => boolean;
  /** Which query parameters to sign (default: all). */
  signParams?: (name: string) => boolean;
  /** Move the signature into the query string. */
  signatureInQuery?: boolean;
  /** Change the signature after signing. */
  tamper?: (authorization: string) => string;
}

const md5 = (s: string): string => createHash("md5").update(s, "utf8").digest("base64");

/** Sends a request signed with our signer (`authorize`). */
function signed(emu: RunningEmulator, o: SignedOptions): Promise<Reply> {
  const bucket = o.bucket ?? BUCKET;
  const style = o.style ?? "virtual";
  const headers: Record<string, string> = {
    Host: style === "virtual" ? `${bucket}.cos.${REGION}.myqcloud.com` : `127.0.0.1:${emu.port}`,
  };
  if (o.body !== undefined) {
    headers["Content-Type"] = "application/xml";
    headers["Content-Length"] = String(Buffer.byteLength(o.body));
    const digest = o.md5 === undefined ? md5(o.body) : o.md5;
    if (digest !== null) headers["Content-MD5"] = digest;
  }
  const now = Math.floor(Date.now() / 1000);
  const [startTime, endTime] = o.window ?? [now - 1, now + 900];
  const query = Object.fromEntries(o.query);
  const pathname = style === "path" && o.signFullPath ? `/${bucket}/` : "/";
  let auth = authorize(
    { secretId: o.secretId ?? AK, secretKey: o.secretKey ?? SK },
    { method: o.method, pathname, query, headers },
    { startTime, endTime, signHeaders: o.signHeaders, signParams: o.signParams },
  );
  if (o.tamper) auth = o.tamper(auth);
  const params = o.query.map(([k, v]) =>
    v === undefined ? k : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
  if (o.signatureInQuery) {
    for (const part of auth.split("&")) {
      const eq = part.indexOf("=");
      params.push(`${part.slice(0, eq)}=${encodeURIComponent(part.slice(eq + 1))}`);
    }
  } else {
    headers.Authorization = auth;
  }
  const p = `${style === "path" ? `/${bucket}/` : "/"}${params.length ? `?${params.join("&")}` : ""}`;
  return send(emu.url, { method: o.method, path: p, headers, body: o.body });
}

function config(id: string, overrides: Partial<CosInventoryConfiguration> = {}): CosInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
    filter: { prefix: "logs/" },
    optionalFields: ["Size", "LastModifiedDate", "ETag"],
    destination: {
      format: "CSV",
      accountId: "100000000001",
      bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`,
      prefix: "reports",
      encryption: "SSE-COS",
    },
    ...overrides,
  };
}

const put = (
  emu: RunningEmulator,
  id: string,
  body = encodeInventoryConfiguration(config(id)),
  extra: Partial<SignedOptions> = {},
) =>
  signed(emu, {
    method: "PUT",
    query: [
      ["inventory", ""],
      ["id", id],
    ],
    body,
    ...extra,
  });
const get = (emu: RunningEmulator, id: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, {
    method: "GET",
    query: [
      ["inventory", ""],
      ["id", id],
    ],
    ...extra,
  });
const del = (emu: RunningEmulator, id: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, {
    method: "DELETE",
    query: [
      ["inventory", ""],
      ["id", id],
    ],
    ...extra,
  });
const list = (emu: RunningEmulator, token?: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, {
    method: "GET",
    query:
      token === undefined
        ? [["inventory", ""]]
        : [
            ["inventory", ""],
            ["continuation-token", token],
          ],
    ...extra,
  });

/** Asserts a COS error answer and returns its decoded body. */
function expectCosError(reply: Reply, status: number, code: string): ReturnType<typeof decodeErrorBody> {
  expect({ status: reply.status, code: decodeErrorBody(reply.body).code }).toEqual({ status, code });
  expect(reply.headers["content-type"]).toBe("application/xml");
  const body = decodeErrorBody(reply.body);
  expect(body.requestId).toBe(reply.headers["x-cos-request-id"]);
  expect(body.traceId).toEqual(expect.any(String));
  expect(body.message).toEqual(expect.any(String));
  expect(body.resource).toEqual(expect.any(String));
  return body;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The admin API refuses POST and DELETE without it, body or not. */
const JSON_TYPE = { "Content-Type": "application/json" };

const admin = {
  requests: async (emu: RunningEmulator) =>
    JSON.parse((await send(emu.url, { method: "GET", path: "/_emulator/requests" })).body) as Record<
      string,
      unknown
    >[],
  fault: (emu: RunningEmulator, spec: unknown) =>
    send(emu.url, {
      method: "POST",
      path: "/_emulator/faults",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec),
    }),
  clearLog: (emu: RunningEmulator) =>
    send(emu.url, { method: "DELETE", path: "/_emulator/requests", headers: JSON_TYPE }),
  reset: (emu: RunningEmulator) =>
    send(emu.url, { method: "POST", path: "/_emulator/reset", headers: JSON_TYPE }),
};

describe("emulator with our signer", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      buckets: [BUCKET, OTHER_BUCKET],
      credentials: [{ id: AK, secret: SK }],
      admin: true,
    });
  });
  afterAll(() => emu.close());

  test("virtual-host style: put, get, list, delete; answers carry x-cos-request-id and Date", async () => {
    const body = encodeInventoryConfiguration(config("vh1"));
    const p = await put(emu, "vh1", body);
    expect(p.status).toBe(200);
    expect(p.body).toBe("");
    expect(p.headers["x-cos-request-id"]).toEqual(expect.any(String));
    expect(Math.abs(Date.parse(String(p.headers.date)) - Date.now())).toBeLessThan(5000);

    const g = await get(emu, "vh1");
    expect(g.status).toBe(200);
    expect(g.headers["content-type"]).toBe("application/xml");
    expect(g.body).toBe(body);

    const l = await list(emu);
    expect(l.status).toBe(200);
    expect(l.body.startsWith("<ListInventoryConfigurationResult>")).toBe(true);
    expect(decodeListPage(l.body).configurations.map((c) => c.id)).toEqual(["vh1"]);

    const d = await del(emu, "vh1");
    expect(d.status).toBe(204);
    expect(d.headers["x-cos-request-id"]).toEqual(expect.any(String));
    expectCosError(await get(emu, "vh1"), 404, "NoSuchInventoryConfiguration");
    expectCosError(await del(emu, "vh1"), 404, "NoSuchInventoryConfiguration");
  });

  test("path style, signed over the bucket-relative or the full path, with ?inventory and ?inventory=", async () => {
    const body = encodeInventoryConfiguration(config("ps1"));
    expect(
      (
        await signed(emu, {
          method: "PUT",
          style: "path",
          query: [
            ["inventory", undefined],
            ["id", "ps1"],
          ],
          body,
        })
      ).status,
    ).toBe(200);
    const full = await signed(emu, {
      method: "GET",
      style: "path",
      signFullPath: true,
      query: [
        ["inventory", ""],
        ["id", "ps1"],
      ],
    });
    expect(full.status).toBe(200);
    expect(full.body).toBe(body);
    const goStyle = await signed(emu, { method: "GET", style: "path", query: [["inventory", undefined]] });
    expect(decodeListPage(goStyle.body).configurations.map((c) => c.id)).toContain("ps1");
    expect(
      (
        await signed(emu, {
          method: "DELETE",
          style: "path",
          query: [
            ["inventory", ""],
            ["id", "ps1"],
          ],
        })
      ).status,
    ).toBe(204);
  });

  test("the signature may travel in the query string", async () => {
    const r = await list(emu, undefined, { signatureInQuery: true });
    expect(r.status).toBe(200);
    expectCosError(
      await list(emu, undefined, { signatureInQuery: true, secretKey: "wrong" }),
      403,
      "SignatureDoesNotMatch",
    );
  });

  test("signature failures: unknown SecretId, wrong key, tampered signature, unsigned host, none at all", async () => {
    expectCosError(await list(emu, undefined, { secretId: "AKIDUNKNOWN" }), 403, "InvalidAccessKeyId");
    expectCosError(await list(emu, undefined, { secretKey: "not-the-key" }), 403, "SignatureDoesNotMatch");
    const flip = (a: string): string =>
      a.replace(/q-signature=([0-9a-f])/, (_m, c: string) => `q-signature=${c === "0" ? "1" : "0"}`);
    expectCosError(await get(emu, "x", { tamper: flip }), 403, "SignatureDoesNotMatch");
    // A tampered parameter: the id in the URL is not the signed one.
    const resigned = (a: string): string =>
      a.replace("q-url-param-list=id;inventory", "q-url-param-list=inventory");
    expectCosError(await get(emu, "x", { tamper: resigned }), 403, "SignatureDoesNotMatch");
    const noHost = expectCosError(
      await list(emu, undefined, { signHeaders: (h) => h !== "host" }),
      403,
      "AccessDenied",
    );
    expect(noHost.message).toMatch(/host/i);
    expectCosError(
      await send(emu.url, { method: "GET", path: `/${BUCKET}/?inventory` }),
      403,
      "AccessDenied",
    );
    expectCosError(
      await send(emu.url, {
        method: "GET",
        path: `/${BUCKET}/?inventory`,
        headers: { Authorization: "garbage" },
      }),
      403,
      "AccessDenied",
    );
  });

  describe("the signature must cover what the request acts on", () => {
    const only =
      (...names: string[]) =>
      (n: string): boolean =>
        names.includes(n);
    /** The stored job's body, straight from the store (no request involved). */
    const stored = (id: string): string | undefined => emu.store.get(BUCKET, "cos", id)?.body;

    test("a DELETE whose q-url-param-list leaves out id is refused and deletes nothing", async () => {
      expect((await put(emu, "victim")).status).toBe(200);
      const refused = expectCosError(
        await del(emu, "victim", { signParams: only("inventory") }),
        403,
        "AccessDenied",
      );
      expect(refused.message).toMatch(/unsigned: id\b/);
      expect(stored("victim")).toBe(encodeInventoryConfiguration(config("victim")));
      // Also in the query-string form of the signature.
      expectCosError(
        await del(emu, "victim", { signParams: only("inventory"), signatureInQuery: true }),
        403,
        "AccessDenied",
      );
      expect(stored("victim")).toBeDefined();
      // Signed over both, the same request deletes it.
      expect((await del(emu, "victim")).status).toBe(204);
      expect(stored("victim")).toBeUndefined();
    });

    test("GET and PUT with id unsigned, or a PUT with Content-MD5 unsigned, are refused; nothing is written", async () => {
      expect((await put(emu, "kept")).status).toBe(200);
      const before = stored("kept");
      expectCosError(await get(emu, "kept", { signParams: only("inventory") }), 403, "AccessDenied");
      const changed = encodeInventoryConfiguration(config("kept", { isEnabled: false }));
      expectCosError(await put(emu, "kept", changed, { signParams: only("inventory") }), 403, "AccessDenied");
      const md5Unsigned = expectCosError(
        await put(emu, "kept", changed, { signHeaders: (h) => h === "host" || h === "content-type" }),
        403,
        "AccessDenied",
      );
      expect(md5Unsigned.message).toMatch(/Content-MD5/);
      expectCosError(await put(emu, "fresh", undefined, { signParams: only("id") }), 403, "AccessDenied");
      expect(stored("kept")).toBe(before);
      expect(stored("fresh")).toBeUndefined();
    });

    test("a list must sign inventory and any continuation-token; other parameters may stay unsigned", async () => {
      const noInventory = expectCosError(
        await list(emu, undefined, { signParams: only() }),
        403,
        "AccessDenied",
      );
      expect(noInventory.message).toMatch(/unsigned: inventory\b/);
      const token = Buffer.from("v1:a", "utf8").toString("base64url");
      expect((await list(emu, token)).status).toBe(200);
      expectCosError(await list(emu, token, { signParams: only("inventory") }), 403, "AccessDenied");
      // A parameter the emulator ignores changes nothing, so it need not be signed.
      const extra = await signed(emu, {
        method: "GET",
        query: [
          ["inventory", ""],
          ["x-trace", "123"],
        ],
        signParams: only("inventory"),
      });
      expect(extra.status).toBe(200);
      const log = await admin.requests(emu);
      expect(log.filter((e) => e.code === "AccessDenied").length).toBeGreaterThanOrEqual(2);
    });
  });

  test("sign time: expired → AccessDenied 'Request has expired'; too far ahead → RequestTimeTooSkewed", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = expectCosError(
      await list(emu, undefined, { window: [now - 2000, now - 1000] }),
      403,
      "AccessDenied",
    );
    expect(expired.message).toBe("Request has expired");
    expectCosError(
      await list(emu, undefined, { window: [now + 1000, now + 2000] }),
      403,
      "RequestTimeTooSkewed",
    );
    // Within 15 minutes ahead is fine.
    expect((await list(emu, undefined, { window: [now + 600, now + 1500] })).status).toBe(200);
  });

  test("unknown bucket → 404 NoSuchBucket (both styles); no bucket at all → 404 NoSuchBucket", async () => {
    expectCosError(await list(emu, undefined, { bucket: "nosuchbucket-1250000000" }), 404, "NoSuchBucket");
    expectCosError(
      await list(emu, undefined, { bucket: "nosuchbucket-1250000000", style: "path" }),
      404,
      "NoSuchBucket",
    );
    const now = Math.floor(Date.now() / 1000);
    const headers = { Host: `127.0.0.1:${emu.port}` };
    const auth = authorize(
      { secretId: AK, secretKey: SK },
      { method: "GET", pathname: "/", query: { inventory: "" }, headers },
      {
        startTime: now - 1,
        endTime: now + 900,
      },
    );
    expectCosError(
      await send(emu.url, {
        method: "GET",
        path: "/?inventory=",
        headers: { ...headers, Authorization: auth },
      }),
      404,
      "NoSuchBucket",
    );
  });

  test("PUT digest checks: mismatch → BadDigest, missing → MissingContentMD5, not an MD5 → InvalidDigest", async () => {
    const body = encodeInventoryConfiguration(config("md5"));
    expectCosError(await put(emu, "md5", body, { md5: md5(body + " ") }), 400, "BadDigest");
    expectCosError(await put(emu, "md5", body, { md5: null }), 400, "MissingContentMD5");
    expectCosError(await put(emu, "md5", body, { md5: "bm90LWFuLW1kNQ==" }), 400, "InvalidDigest");
    expectCosError(await get(emu, "md5"), 404, "NoSuchInventoryConfiguration");
  });

  test("PUT body checks: MalformedXML, URL id ≠ body Id, bad enum, missing id parameter", async () => {
    expectCosError(await put(emu, "bad", "<InventoryConfiguration><Id>bad</Id>"), 400, "MalformedXML");
    expectCosError(await put(emu, "bad", "not xml at all"), 400, "MalformedXML");
    expectCosError(
      await put(emu, "bad", "<InventoryConfiguration><Id>bad</Id></InventoryConfiguration>"),
      400,
      "MalformedXML",
    );

    const mismatch = expectCosError(
      await put(emu, "url-id", encodeInventoryConfiguration(config("body-id"))),
      400,
      "InvalidArgument",
    );
    expect(mismatch.message).toMatch(/\bId\b/);

    const badEnum = encodeInventoryConfiguration(config("enum1")).replace(
      "<Frequency>Daily</Frequency>",
      "<Frequency>Hourly</Frequency>",
    );
    const e = expectCosError(await put(emu, "enum1", badEnum), 400, "InvalidArgument");
    expect(e.message).toContain("schedule.frequency");
    expect(e.message).toContain("Hourly");

    const badVersions = encodeInventoryConfiguration(config("enum2")).replace(">All<", ">Some<");
    expect(expectCosError(await put(emu, "enum2", badVersions), 400, "InvalidArgument").message).toContain(
      "includedObjectVersions",
    );

    const noId = await signed(emu, {
      method: "PUT",
      query: [["inventory", ""]],
      body: encodeInventoryConfiguration(config("x")),
    });
    expect(expectCosError(noId, 400, "InvalidArgument").message).toMatch(/\bid\b/);
    expectCosError(
      await signed(emu, { method: "DELETE", query: [["inventory", ""]] }),
      400,
      "InvalidArgument",
    );
    expectCosError(await list(emu, "not-a-token-we-issued"), 400, "InvalidArgument");
  });

  test("non-inventory requests are answered as not implemented", async () => {
    expectCosError(await signed(emu, { method: "GET", query: [["acl", ""]] }), 501, "NotImplemented");
    expectCosError(
      await signed(emu, {
        method: "POST",
        query: [
          ["inventory", ""],
          ["id", "once"],
        ],
        body: "<x/>",
      }),
      501,
      "NotImplemented",
    );
    // Undecodable percent-escapes and oversized bodies are answered in the COS format, too.
    expectCosError(await send(emu.url, { method: "GET", path: "/%E0%A4%A/?inventory" }), 400, "InvalidURI");
    const huge = `<InventoryConfiguration>${"x".repeat(1024 * 1024)}</InventoryConfiguration>`;
    expectCosError(await put(emu, "huge", huge), 400, "EntityTooLarge");
  });

  test("an injected clock (now option) drives the time checks", async () => {
    const fixed = await startEmulator({
      port: 0,
      buckets: [BUCKET],
      credentials: [{ id: AK, secret: SK }],
      now: () => 1557989151_000 + 60_000,
    });
    try {
      const ok = await list(fixed, undefined, { window: [1557989151, 1557996351] });
      expect(ok.status).toBe(200);
      expect(ok.headers.date).toBe(new Date(1557989151_000 + 60_000).toUTCString());
      // Signed "now" by the real clock: years ahead of this server.
      expectCosError(await list(fixed), 403, "RequestTimeTooSkewed");
    } finally {
      await fixed.close();
    }
  });

  describe("admin API", () => {
    beforeEach(async () => {
      expect((await admin.reset(emu)).status).toBe(204);
    });

    test("request log: method, bucket, operation, inventoryId, status, time; admin calls are not logged", async () => {
      const before = Date.now();
      await put(emu, "log1");
      await get(emu, "log1");
      await list(emu);
      await del(emu, "log1");
      await get(emu, "log1");
      await list(emu, undefined, { bucket: OTHER_BUCKET });
      await send(emu.url, { method: "GET", path: "/_emulator/jobs" });
      const log = await admin.requests(emu);
      expect(log.map((e) => [e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
        ["PUT", BUCKET, "put", "log1", 200],
        ["GET", BUCKET, "get", "log1", 200],
        ["GET", BUCKET, "list", null, 200],
        ["DELETE", BUCKET, "delete", "log1", 204],
        ["GET", BUCKET, "get", "log1", 404],
        ["GET", OTHER_BUCKET, "list", null, 200],
      ]);
      for (const e of log) {
        expect(Date.parse(String(e.time))).toBeGreaterThanOrEqual(before - 1000);
        expect(String(e.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(log[4].code).toBe("NoSuchInventoryConfiguration");
      expect((await admin.clearLog(emu)).status).toBe(204);
      expect(await admin.requests(emu)).toEqual([]);
    });

    test("faults: status and code for the next N matching requests, then normal service", async () => {
      const f = await admin.fault(emu, {
        match: { method: "get", operation: "list", bucket: BUCKET },
        count: 2,
        status: 503,
        code: "ServiceUnavailable",
        message: "try later",
      });
      expect(f.status).toBe(201);
      expect(JSON.parse(f.body)).toMatchObject({ id: expect.any(Number), remaining: 2, status: 503 });
      // Not matching: another bucket, another operation.
      expect((await list(emu, undefined, { bucket: OTHER_BUCKET })).status).toBe(200);
      expect((await get(emu, "nope")).status).toBe(404);
      const first = expectCosError(await list(emu), 503, "ServiceUnavailable");
      expect(first.message).toBe("try later");
      expectCosError(await list(emu), 503, "ServiceUnavailable");
      expect((await list(emu)).status).toBe(200);
      const log = await admin.requests(emu);
      expect(log.map((e) => [e.operation, e.status, e.code ?? null])).toEqual([
        ["list", 200, null],
        ["get", 404, "NoSuchInventoryConfiguration"],
        ["list", 503, "ServiceUnavailable"],
        ["list", 503, "ServiceUnavailable"],
        ["list", 200, null],
      ]);
      expect(JSON.parse((await send(emu.url, { method: "GET", path: "/_emulator/faults" })).body)).toEqual(
        [],
      );
    });

    test("faults queue in order; a status-only fault gets a default code", async () => {
      await admin.fault(emu, { count: 1, status: 500 });
      await admin.fault(emu, { count: 1, status: 429, code: "SlowDown" });
      expectCosError(await list(emu), 500, "InternalError");
      expectCosError(await list(emu), 429, "SlowDown");
      expect((await list(emu)).status).toBe(200);
    });

    test("faults: latency delays the answer", async () => {
      await admin.fault(emu, { match: { operation: "list" }, count: 1, latencyMs: 300 });
      const t0 = Date.now();
      expect((await list(emu)).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    });

    test("faults: drop destroys the connection without an answer", async () => {
      await admin.fault(emu, { match: { operation: "put" }, count: 1, drop: true });
      await expect(put(emu, "dropped")).rejects.toMatchObject({
        code: expect.stringMatching(/ECONNRESET|EPIPE/),
      });
      expectCosError(await get(emu, "dropped"), 404, "NoSuchInventoryConfiguration");
      const log = await admin.requests(emu);
      expect(log[0]).toMatchObject({ operation: "put", inventoryId: "dropped", status: 0, dropped: true });
      expect((await put(emu, "dropped")).status).toBe(200);
    });

    test("faults: clock skew shifts the server clock (time checks and Date) for the next N requests", async () => {
      await admin.fault(emu, { count: 1, clockSkewSeconds: 3600 });
      const ahead = await list(emu);
      expect(expectCosError(ahead, 403, "AccessDenied").message).toBe("Request has expired");
      expect(Date.parse(String(ahead.headers.date)) - Date.now()).toBeGreaterThan(3500_000);

      await admin.fault(emu, { count: 1, clockSkewSeconds: -3600 });
      const behind = await list(emu);
      expectCosError(behind, 403, "RequestTimeTooSkewed");
      expect(Date.now() - Date.parse(String(behind.headers.date))).toBeGreaterThan(3500_000);

      // A client that corrects its clock from Date is accepted while the skew lasts.
      await admin.fault(emu, { count: 1, clockSkewSeconds: 3600 });
      const serverNow = Math.floor(Date.now() / 1000) + 3600;
      expect((await list(emu, undefined, { window: [serverNow - 1, serverNow + 900] })).status).toBe(200);
      expect((await list(emu)).status).toBe(200);
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
        const r = await admin.fault(emu, spec);
        expect({ spec, status: r.status }).toEqual({ spec, status: 400 });
        expect(JSON.parse(r.body).error).toEqual(expect.any(String));
      }
      expect(
        (await send(emu.url, { method: "POST", path: "/_emulator/faults", headers: JSON_TYPE, body: "{" }))
          .status,
      ).toBe(400);
      expect((await send(emu.url, { method: "GET", path: "/_emulator/nothing" })).status).toBe(404);
    });

    test("jobs dump and reset (jobs, log and faults cleared; buckets and keys kept)", async () => {
      await put(emu, "keep-a");
      await put(emu, "keep-b");
      await admin.fault(emu, { count: 5, status: 500 });
      const jobs = JSON.parse(
        (await send(emu.url, { method: "GET", path: "/_emulator/jobs" })).body,
      ) as Record<string, { dialect: string; id: string; body: string }[]>;
      expect(jobs[BUCKET].map((j) => [j.dialect, j.id])).toEqual([
        ["cos", "keep-a"],
        ["cos", "keep-b"],
      ]);
      expect(jobs[BUCKET][0].body).toBe(encodeInventoryConfiguration(config("keep-a")));
      expect(jobs[OTHER_BUCKET]).toEqual([]);

      expect((await admin.reset(emu)).status).toBe(204);
      expect(await admin.requests(emu)).toEqual([]);
      const after = await list(emu);
      expect(after.status).toBe(200);
      expect(decodeListPage(after.body).configurations).toEqual([]);
      expect(JSON.parse((await send(emu.url, { method: "GET", path: "/_emulator/jobs" })).body)).toEqual({
        [BUCKET]: [],
        [OTHER_BUCKET]: [],
      });
    });
  });
});

describe("paging, limits and overwrite (persistent store)", () => {
  let dataDir: string;
  let emu: RunningEmulator;
  const ids = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "bi-emu-paging-"));
    emu = await startEmulator({ port: 0, dataDir, buckets: [BUCKET], credentials: [{ id: AK, secret: SK }] });
    // Shuffled order: listing must sort by id.
    const shuffled = [...ids].sort((a, b) => (md5(a) < md5(b) ? -1 : 1));
    const statuses = await pool(shuffled, 8, async (id) => (await put(emu, id)).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
  }, 120_000);
  afterAll(async () => {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function listAll(
    target: RunningEmulator,
  ): Promise<{ pages: number; ids: string[]; tokens: string[] }> {
    const seen: string[] = [];
    const tokens: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const r = await list(target, token);
      expect(r.status).toBe(200);
      const page = decodeListPage(r.body);
      pages++;
      expect(page.continuationToken).toBe(token);
      seen.push(...page.configurations.map((c) => c.id));
      if (!page.isTruncated) {
        expect(page.nextContinuationToken).toBeUndefined();
        break;
      }
      expect(page.configurations).toHaveLength(100);
      token = page.nextContinuationToken;
      expect(token).toEqual(expect.any(String));
      tokens.push(String(token));
      expect(pages).toBeLessThan(20);
    }
    return { pages, ids: seen, tokens };
  }

  test("1,000 jobs list as 10 pages of 100, in id order, via opaque continuation tokens", async () => {
    const { pages, ids: listed, tokens } = await listAll(emu);
    expect(pages).toBe(10);
    expect(listed).toEqual(ids);
    for (const t of tokens) expect(ids.some((id) => t.includes(id))).toBe(false);
  });

  test("a 1,001st new id gives 400 TooManyConfigurations; an existing id is overwritten", async () => {
    expectCosError(await put(emu, "job-1000"), 400, "TooManyConfigurations");
    expectCosError(await get(emu, "job-1000"), 404, "NoSuchInventoryConfiguration");

    const changed = encodeInventoryConfiguration(
      config("job-0500", { isEnabled: false, schedule: { frequency: "Weekly" }, optionalFields: ["Size"] }),
    );
    expect((await put(emu, "job-0500", changed)).status).toBe(200);
    const g = await get(emu, "job-0500");
    expect(g.body).toBe(changed);
    expect(emu.store.count(BUCKET, "cos")).toBe(1000);
  });

  test("a restarted emulator on the same data directory serves the same 1,000 jobs", async () => {
    const again = await startEmulator({
      port: 0,
      dataDir,
      buckets: [BUCKET],
      credentials: [{ id: AK, secret: SK }],
    });
    try {
      const { pages, ids: listed } = await listAll(again);
      expect(pages).toBe(10);
      expect(listed).toEqual(ids);
      expect((await get(again, "job-0500")).body).toBe((await get(emu, "job-0500")).body);
    } finally {
      await again.close();
    }
  });
});

describe("bucket-inventory CLI", () => {
  function capture(): CliIo & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
  }

  test("--version prints the version in package.json", async () => {
    const { version } = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      version: string;
    };
    const io = capture();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.stdout).toEqual([version]);
    expect(io.stderr).toEqual([]);
  });

  test("--help prints usage; bad flags and commands give clear errors and status 2", async () => {
    let io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/Usage: bucket-inventory <command>/);
    io = capture();
    expect(await main(["emulator", "--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/--credentials <id>:<secret>/);

    const cases: [string[], RegExp][] = [
      [[], /Usage/],
      [["serve"], /unknown command "serve"/],
      [["emulator", "--prot", "1"], /unknown option "--prot"/],
      [["emulator", "--port"], /--port needs a value/],
      [["emulator", "--port", "http"], /--port must be a whole number/],
      [["emulator", "--port", "70000"], /--port must be a whole number/],
      [["emulator", "--credentials", "nocolon"], /--credentials must be <id>:<secret>/],
      [["emulator", "--bucket", "a/b"], /--bucket needs a bucket name/],
      [["emulator", "--admin=yes"], /--admin takes no value/],
      [["emulator", "stray"], /unexpected argument "stray"/],
    ];
    for (const [argv, message] of cases) {
      io = capture();
      expect({ argv, code: await main(argv, io) }).toEqual({ argv, code: 2 });
      expect(io.stderr.join("\n")).toMatch(message);
    }
    // A malformed pair may still hold a secret: the error does not repeat it.
    for (const value of [":top-secret-value", "top-secret-value", "id-only:"]) {
      io = capture();
      expect(await main(["emulator", "--credentials", value], io)).toBe(2);
      expect(io.stderr.join("\n")).toMatch(/--credentials must be <id>:<secret>/);
      expect(io.stderr.join("\n")).not.toContain(value.replace(/:$/, ""));
    }
  });

  test("defaults, and --flag=value forms", () => {
    expect(parseEmulatorArgs([])).toEqual({
      host: "127.0.0.1",
      port: 9100,
      // COS buckets (name-appid) and OSS buckets (bare names), so the quick start's jobs on both clouds work.
      buckets: [
        "examplebucket-1250000000",
        "inventorybucket-1250000000",
        "examplebucket",
        "destination-bucket",
      ],
      credentials: [EMULATOR_DEFAULT_CREDENTIAL],
      admin: false,
    });
    expect(
      parseEmulatorArgs([
        "--port=0",
        "--bucket=a-1",
        "--bucket",
        "b-2",
        "--credentials=k:s:with:colons",
        "--admin",
      ]),
    ).toMatchObject({
      port: 0,
      buckets: ["a-1", "b-2"],
      credentials: [{ id: "k", secret: "s:with:colons" }],
      admin: true,
    });
  });

  test("in-process main: prints the listening line first, then stops cleanly on shutdown", async () => {
    let stop: (signal: string) => void = () => undefined;
    const io = {
      ...capture(),
      waitForShutdown: () => new Promise<string>((resolve) => (stop = resolve)),
    };
    const lines: string[] = [];
    const listening = new Promise<string>((resolve) => {
      io.out = (l) => {
        lines.push(l);
        if (lines.length === 1) resolve(l);
      };
    });
    const done = main(["emulator", "--port", "0", "--credentials", `${AK}:${SK}`], io);
    const first = await listening;
    expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.slice("listening on ".length);
    const r = await send(url, { method: "GET", path: "/_emulator/requests" });
    expect(r.status).toBe(404);
    stop("SIGTERM");
    expect(await done).toBe(0);
    expect(lines).toContain(`credentials: ${AK} (key ids only; secrets are not printed)`);
    expect(lines.filter((l) => l.includes(SK))).toEqual([]);
    expect(lines).toContain(
      "buckets: examplebucket-1250000000, inventorybucket-1250000000, examplebucket, destination-bucket",
    );
  });

  describe("as a child process (node dist/provider/cli/main.js)", () => {
    const cli = path.join(ROOT, "dist", "provider", "cli", "main.js");
    const children: ChildProcess[] = [];
    let dataDir: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "bi-emu-cli-"));
      // Build (incremental). Type errors elsewhere in the tree still emit JS; the
      // typecheck step reports them, so only a missing output fails here.
      await new Promise<void>((resolve) => {
        execFile("bash", ["tools/with-env.sh", "tsc", "-p", "tsconfig.build.json"], { cwd: ROOT }, () =>
          resolve(),
        );
      });
      expect(existsSync(cli)).toBe(true);
    }, 240_000);
    afterAll(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Starts the CLI and waits for its first stdout line. */
    async function startCli(
      args: string[],
    ): Promise<{ child: ChildProcess; url: string; lines: string[]; emu: RunningEmulator }> {
      const child = spawn(process.execPath, [cli, "emulator", ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      const lines: string[] = [];
      const stderr: string[] = [];
      child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
      const first = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.on("line", (l) => {
          lines.push(l);
          if (lines.length === 1) resolve(l);
        });
        child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${stderr.join("")}`)));
      });
      expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = first.slice("listening on ".length);
      const port = Number(new URL(url).port);
      // Just enough of RunningEmulator for the request helpers.
      const emu: RunningEmulator = {
        url,
        host: "127.0.0.1",
        port,
        store: undefined as never,
        close: async () => undefined,
      };
      return { child, url, lines, emu };
    }

    const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
          resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once("exit", (code, signal) => resolve({ code, signal }));
      });

    test("--help prints usage and exits 0", async () => {
      const child = spawn(process.execPath, [cli, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      expect(await exited(child)).toEqual({ code: 0, signal: null });
      expect(out).toMatch(/^Usage: bucket-inventory/);
    });

    test("acknowledged writes survive SIGKILL; a restarted emulator serves the same jobs; admin is off by default", async () => {
      const args = ["--port", "0", "--data", dataDir, "--bucket", BUCKET, "--credentials", `${AK}:${SK}`];
      const a = await startCli(args);
      expect(a.lines[0]).toBe(`listening on ${a.url}`);
      expect((await send(a.url, { method: "GET", path: "/_emulator/requests" })).status).toBe(404);

      const ids = Array.from({ length: 30 }, (_, i) => `persist-${i}`);
      const statuses = await Promise.all(ids.map(async (id) => (await put(a.emu, id)).status));
      expect(new Set(statuses)).toEqual(new Set([200]));
      const changed = encodeInventoryConfiguration(config("persist-0", { isEnabled: false }));
      expect((await put(a.emu, "persist-0", changed)).status).toBe(200);
      expect((await del(a.emu, "persist-29")).status).toBe(204);
      a.child.kill("SIGKILL");
      expect(await exited(a.child)).toEqual({ code: null, signal: "SIGKILL" });

      const b = await startCli([...args, "--admin"]);
      const page = decodeListPage((await list(b.emu)).body);
      expect(page.configurations.map((c) => c.id).sort()).toEqual(ids.slice(0, 29).sort());
      expect((await get(b.emu, "persist-0")).body).toBe(changed);
      expect((await get(b.emu, "persist-7")).body).toBe(encodeInventoryConfiguration(config("persist-7")));
      expect((await get(b.emu, "persist-29")).status).toBe(404);
      expect((await send(b.url, { method: "GET", path: "/_emulator/requests" })).status).toBe(200);

      b.child.kill("SIGTERM");
      expect(await exited(b.child)).toEqual({ code: 0, signal: null });
      expect(b.lines).toContain("SIGTERM: stopping");
    }, 60_000);

    test("secrets never appear in its output, the request log, error bodies or admin dumps", async () => {
      const other = { id: "AKIDSECONDKEY", secret: "second-Secret-Value" };
      const c = await startCli([
        "--port",
        "0",
        "--bucket",
        BUCKET,
        "--credentials",
        `${AK}:${SK}`,
        "--credentials",
        `${other.id}:${other.secret}`,
        "--admin",
      ]);
      let stderr = "";
      c.child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      const seen: string[] = [];
      expect((await put(c.emu, "cli-secret")).status).toBe(200);
      // Failures echo what the client sent (signature, resource), never the key it should have used.
      const wrong = await list(c.emu, undefined, { secretId: other.id, secretKey: SK });
      expectCosError(wrong, 403, "SignatureDoesNotMatch");
      seen.push(wrong.body, JSON.stringify(wrong.headers));
      for (const p of ["/_emulator/requests", "/_emulator/jobs", "/_emulator/faults"]) {
        const r = await send(c.url, { method: "GET", path: p });
        expect(r.status).toBe(200);
        seen.push(r.body);
      }
      c.child.kill("SIGTERM");
      expect(await exited(c.child)).toEqual({ code: 0, signal: null });
      expect(c.lines).toContain(`credentials: ${AK}, ${other.id} (key ids only; secrets are not printed)`);
      seen.push(...c.lines, stderr);
      for (const secret of [SK, other.secret]) {
        expect(seen.filter((text) => text.includes(secret))).toEqual([]);
      }
    }, 30_000);

    test("an address in use is reported with exit status 1", async () => {
      const blocker = await startEmulator({ port: 0, buckets: [BUCKET], credentials: [] });
      try {
        const child = spawn(process.execPath, [cli, "emulator", "--port", String(blocker.port)], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        expect(await exited(child)).toEqual({ code: 1, signal: null });
        expect(err).toMatch(/already in use/);
      } finally {
        await blocker.close();
      }
    });
  });
});
