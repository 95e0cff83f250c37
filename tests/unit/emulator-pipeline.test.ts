// The emulator's request pipeline, step by step without a socket: reading a
// request's address, choosing the dialect, the server's own errors (injected
// faults, oversized bodies) and the log entry.
import type { Fault } from "../../provider/emulator/admin";
import { MAX_BODY_BYTES, type Dialect, type EmulatorRequest } from "../../provider/emulator/contract";
import { cosDialect } from "../../provider/emulator/dialects/cos";
import { ossDialect } from "../../provider/emulator/dialects/oss";
import {
  chooseDialect,
  defaultCode,
  isAdminPath,
  logEntry,
  serverError,
} from "../../provider/emulator/pipeline";
import { buildRequest, undecodableRequest } from "../../provider/emulator/request";

const EMPTY = Buffer.alloc(0);

/** A request as Node would hand it over. */
const request = (url: string, headers: Record<string, string> = {}, method = "get"): EmulatorRequest => {
  const built = buildRequest(method, url, headers, EMPTY, false);
  if (!built) throw new Error(`undecodable: ${url}`);
  return built;
};

/** A queued fault with `spec`. */
const fault = (spec: Partial<Fault>): Fault => ({ id: 7, remaining: 0, ...spec });

describe("buildRequest", () => {
  test("path style: the first segment is the bucket, the rest the key", () => {
    expect(request("/examplebucket/?inventory&id=a%2Fb")).toMatchObject({
      method: "GET",
      bucket: "examplebucket",
      addressing: "path",
      key: "/",
      rawQuery: "inventory&id=a%2Fb",
      query: { inventory: "", id: "a/b" },
    });
  });

  test("virtual-host style: the bucket is the Host's first label; an IP Host names none", () => {
    const vh = request("/?inventory", { host: "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com" });
    expect(vh).toMatchObject({ bucket: "examplebucket-1250000000", addressing: "virtual-host", key: "/" });
    const ip = request("/?inventory", { host: "127.0.0.1:9100" });
    expect({ bucket: ip.bucket, addressing: ip.addressing }).toEqual({
      bucket: undefined,
      addressing: "none",
    });
    const v6 = request("/?inventory", { host: "[::1]:9100" });
    expect(v6.addressing).toBe("none");
  });

  test("the first of repeated query keys wins; + stays +; headers are lower-cased", () => {
    const r = request("/b/?id=one&id=two&p=a+b", { "X-Cos-Meta": "v" });
    expect(r.query).toEqual({ id: "one", p: "a+b" });
    expect(r.headers["x-cos-meta"]).toBe("v");
  });

  test("malformed percent-escapes are undecodable; the stand-in keeps the raw path and no bucket", () => {
    expect(buildRequest("GET", "/%E0%A4%A/?inventory", {}, EMPTY, false)).toBeUndefined();
    expect(buildRequest("GET", "/?id=%zz", {}, EMPTY, false)).toBeUndefined();
    expect(undecodableRequest("get", "/%E0%A4%A/?inventory", "h", EMPTY, true)).toMatchObject({
      method: "GET",
      rawPath: "/%E0%A4%A/",
      query: {},
      headers: { host: "h" },
      addressing: "none",
      bodyTooLarge: true,
    });
  });

  test("an absolute-form target (RFC 9112 §3.2.2): its authority is the host, its path and query the request's", () => {
    const host = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com";
    expect(request(`http://${host}/?inventory&id=a`, { host: "proxy.invalid" })).toMatchObject({
      headers: { host },
      rawPath: "/",
      rawQuery: "inventory&id=a",
      query: { inventory: "", id: "a" },
      bucket: "examplebucket-1250000000",
      addressing: "virtual-host",
    });
    // Path style through a proxy, a port, userinfo, and an empty path.
    expect(request("HTTP://user@127.0.0.1:9000/examplebucket/?inventory")).toMatchObject({
      headers: { host: "127.0.0.1:9000" },
      bucket: "examplebucket",
      addressing: "path",
    });
    expect(request("http://127.0.0.1:9000")).toMatchObject({ rawPath: "/", addressing: "none" });
    expect(undecodableRequest("get", "http://h2/%zz", "h1", EMPTY, false)).toMatchObject({
      headers: { host: "h2" },
      rawPath: "/%zz",
    });
  });
});

describe("pipeline steps", () => {
  test("admin paths are /_emulator and below only", () => {
    expect([isAdminPath("/_emulator"), isAdminPath("/_emulator/faults"), isAdminPath("/_emulatorx")]).toEqual(
      [true, true, false],
    );
  });

  test("the dialect that recognises a request serves it; the first is the fallback", () => {
    const dialects: Dialect[] = [cosDialect, ossDialect];
    expect(chooseDialect(dialects, request("/b/?inventory", { authorization: "OSS ak:sig" })).name).toBe(
      "oss",
    );
    expect(chooseDialect(dialects, request("/b/?inventory&id=x")).name).toBe("cos");
    expect(chooseDialect(dialects, request("/b/?inventory")).name).toBe("cos");
  });

  test("an injected status is answered with its code, or a default one; an oversized body is EntityTooLarge", () => {
    const plain = request("/b/?inventory");
    expect(serverError(plain, undefined)).toBeUndefined();
    expect(serverError(plain, fault({ latencyMs: 5 }))).toBeUndefined();
    expect(serverError(plain, fault({ status: 503, code: "Busy", message: "later" }))).toEqual({
      status: 503,
      code: "Busy",
      message: "later",
    });
    expect(serverError(plain, fault({ status: 500 }))).toEqual({
      status: 500,
      code: "InternalError",
      message: "Injected fault (emulator admin API)",
    });
    const big = buildRequest("PUT", "/b/?inventory", {}, EMPTY, true)!;
    expect(serverError(big, undefined)).toEqual({
      status: 400,
      code: "EntityTooLarge",
      message: `Request body exceeds ${MAX_BODY_BYTES} bytes`,
    });
    // A fault's status wins over the body size.
    expect(serverError(big, fault({ status: 429 }))?.code).toBe("SlowDown");
  });

  test.each([
    [400, "InvalidRequest"],
    [403, "AccessDenied"],
    [404, "NoSuchResource"],
    [409, "Conflict"],
    [429, "SlowDown"],
    [503, "SlowDown"],
    [500, "InternalError"],
    [502, "ServiceUnavailable"],
    [418, "InvalidRequest"],
  ])("status %i defaults to code %s", (status, code) => {
    expect(defaultCode(status)).toBe(code);
  });

  test("a log entry names the request, its dialect, and the fault or drop", () => {
    const r = request("/b/?inventory&id=j");
    const description = cosDialect.describe(r);
    expect(logEntry(r, description, cosDialect, 404, 0, { code: "NoSuchInventoryConfiguration" })).toEqual({
      method: "GET",
      bucket: "b",
      operation: "get",
      inventoryId: "j",
      status: 404,
      time: "1970-01-01T00:00:00.000Z",
      code: "NoSuchInventoryConfiguration",
      dialect: "cos",
    });
    expect(logEntry(r, description, cosDialect, 0, 0, { dropped: true })).toMatchObject({
      status: 0,
      dropped: true,
    });
    expect(logEntry(r, { operation: "unknown" }, ossDialect, 503, 0, { fault: fault({}) })).toMatchObject({
      operation: "unknown",
      inventoryId: null,
      dialect: "oss",
      fault: 7,
    });
  });
});
