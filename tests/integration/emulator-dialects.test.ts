// What the emulator's COS and OSS dialects do alike, run against both from
// one table: the job lifecycle (put, get, list, delete, then 404), unknown or
// missing buckets, and the Content-MD5 checks. Each row holds what its cloud
// answers differently (codes, headers, roots) and the checks only that cloud
// makes; the rest of each dialect is in emulator.test.ts and
// oss-emulator.test.ts.
import * as cosCodec from "../../provider/clouds/cos/codec";
import * as ossCodec from "../../provider/clouds/oss/codec";
import type { RunningEmulator } from "../../provider/emulator/server";
import * as cos from "../support/cos-emulator";
import { md5, type InventoryCalls, type InventoryRequestOptions } from "../support/emulator-suite";
import type { Reply } from "../support/http";
import * as oss from "../support/oss-emulator";

/** One dialect's row. */
interface DialectRow {
  /** Dialect name, for the test titles. */
  name: string;
  /** Starts an emulator with the row's buckets and key. */
  start(): Promise<RunningEmulator>;
  /** The signed inventory calls. */
  calls: InventoryCalls<InventoryRequestOptions>;
  /** The default PUT body of an id. */
  body(id: string): string;
  /** Reads a stored job back as the row's model, and that model as written. */
  readBack(xml: string, id: string): { read: unknown; written: unknown };
  /** The ids of a list page. */
  listIds(xml: string): string[];
  /** How a list page starts. */
  listRoot: string;
  /** Asserts the row's error format; the decoded body. */
  expectError(reply: Reply, status: number, code: string): unknown;
  /** The request id header, and what its value must look like. */
  requestId: { header: string; value: unknown };
  /** How far the `Date` of an answer may be from the test's clock (ms). */
  dateSlackMs: number;
  /** The 404 code for an unknown id. */
  notFound: string;
  /** A bucket that does not exist. */
  unknownBucket: string;
  /** Checks only this cloud makes on a `NoSuchBucket` body, for `bucket` (or none named). */
  noSuchBucket?(body: unknown, bucket: string | undefined): void;
  /** Codes of a PUT whose Content-MD5 is not the body's, or missing (undefined: missing is accepted). */
  md5: { mismatch: string; missing?: string };
  /** Options of the lifecycle's first PUT (OSS puts path style). */
  firstPut: Partial<InventoryRequestOptions>;
}

const ROWS: DialectRow[] = [
  {
    name: "COS",
    start: cos.startCosEmulator,
    calls: cos,
    body: (id) => cosCodec.encodeInventoryConfiguration(cos.config(id)),
    readBack: (xml, id) => ({ read: cosCodec.decodeInventoryConfiguration(xml), written: cos.config(id) }),
    listIds: (xml) => cosCodec.decodeListPage(xml).configurations.map((c) => c.id),
    listRoot: "<ListInventoryConfigurationResult>",
    expectError: cos.expectCosError,
    requestId: { header: "x-cos-request-id", value: expect.any(String) },
    dateSlackMs: 5000,
    notFound: "NoSuchInventoryConfiguration",
    unknownBucket: "nosuchbucket-1250000000",
    md5: { mismatch: "BadDigest", missing: "MissingContentMD5" },
    firstPut: {},
  },
  {
    name: "OSS",
    start: () => oss.startOssEmulator(),
    calls: oss,
    body: (id) => ossCodec.encodeInventoryConfiguration(oss.config(id)),
    readBack: (xml, id) => ({ read: ossCodec.decodeInventoryConfiguration(xml), written: oss.config(id) }),
    listIds: (xml) => ossCodec.decodeListPage(xml).configurations.map((c) => c.id),
    listRoot: `${ossCodec.OSS_XML_DECLARATION}<ListInventoryConfigurationsResult>`,
    expectError: oss.expectOssError,
    requestId: { header: "x-oss-request-id", value: expect.stringMatching(oss.REQUEST_ID) },
    dateSlackMs: 10_000,
    notFound: "NoSuchInventory",
    unknownBucket: "nosuchbucket",
    noSuchBucket(body, bucket) {
      const decoded = body as ReturnType<typeof ossCodec.decodeErrorBody>;
      // OSS names the bucket and gives an EC when one was named.
      if (bucket !== undefined) expect(decoded.ec).toBe("0015-00000101");
      expect(decoded.bucketName).toBe(bucket);
    },
    md5: { mismatch: "InvalidDigest" },
    firstPut: { style: "path" },
  },
];

describe.each(ROWS)("the $name dialect", (d) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await d.start();
  });
  afterAll(() => emu.close());

  test("put 200 (empty), get 200 (the canonical XML), list, delete 204 (no body), then 404 for get and delete", async () => {
    const body = d.body("life");
    const p = await d.calls.put(emu, "life", body, d.firstPut);
    expect(p.status).toBe(200);
    expect(p.body).toBe("");
    expect(p.headers[d.requestId.header]).toEqual(d.requestId.value);
    expect(Math.abs(Date.parse(String(p.headers.date)) - Date.now())).toBeLessThan(d.dateSlackMs);

    const g = await d.calls.get(emu, "life");
    expect(g.status).toBe(200);
    expect(g.headers["content-type"]).toBe("application/xml");
    expect(g.body).toBe(body);
    const { read, written } = d.readBack(g.body, "life");
    expect(read).toStrictEqual(written);

    const l = await d.calls.list(emu);
    expect(l.status).toBe(200);
    expect(l.body.startsWith(d.listRoot)).toBe(true);
    expect(d.listIds(l.body)).toEqual(["life"]);

    const del = await d.calls.del(emu, "life");
    expect(del.status).toBe(204);
    expect(del.body).toBe("");
    expect(del.headers["content-length"]).toBeUndefined();
    expect(del.headers["content-type"]).toBeUndefined();
    expect(del.headers[d.requestId.header]).toEqual(d.requestId.value);

    d.expectError(await d.calls.get(emu, "life"), 404, d.notFound);
    d.expectError(await d.calls.del(emu, "life"), 404, d.notFound);
  });

  test("unknown bucket → 404 NoSuchBucket in both addressing styles; no bucket named → 404 NoSuchBucket", async () => {
    for (const style of ["virtual", "path"] as const) {
      const body = d.expectError(
        await d.calls.list(emu, undefined, { bucket: d.unknownBucket, style }),
        404,
        "NoSuchBucket",
      );
      d.noSuchBucket?.(body, d.unknownBucket);
    }
    // No bucket named at all (an IP Host and the root path).
    const none = d.expectError(await d.calls.list(emu, undefined, { style: "none" }), 404, "NoSuchBucket");
    d.noSuchBucket?.(none, undefined);
  });

  test("Content-MD5: not the body's, or not an MD5 → 400; missing → the dialect's answer", async () => {
    const body = d.body("md5");
    d.expectError(await d.calls.put(emu, "md5", body, { md5: md5(body + " ") }), 400, d.md5.mismatch);
    if (d.md5.missing !== undefined) {
      d.expectError(await d.calls.put(emu, "md5", body, { md5: null }), 400, d.md5.missing);
    }
    d.expectError(await d.calls.put(emu, "md5", body, { md5: "bm90LWFuLW1kNQ==" }), 400, "InvalidDigest");
    d.expectError(await d.calls.put(emu, "md5", body, { md5: "not base64 at all" }), 400, "InvalidDigest");
    d.expectError(await d.calls.get(emu, "md5"), 404, d.notFound);
    if (d.md5.missing === undefined) {
      expect((await d.calls.put(emu, "md5", body, { md5: null })).status).toBe(200);
      expect((await d.calls.get(emu, "md5")).body).toBe(body);
    }
  });
});
