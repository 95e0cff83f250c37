// What the COS and OSS inventory clients do alike, as one table-driven suite
// run against each cloud: the transport's retries on injected 503s and dropped
// connections, a typed NoSuchBucket for an unknown bucket, validation before
// any request, and the answers of a scripted server (malformed, non-UTF-8,
// error documents in a 2xx). Each cloud's own behaviour (its wire format,
// signatures, SDK interoperation, OSS's replace) stays in cos-client and
// oss-client.test.ts.
import {
  encodeInventoryConfiguration as encodeCos,
  encodeListPage as encodeCosPage,
} from "../../provider/clouds/cos/codec";
import { OssInventoryClient } from "../../provider/clouds/oss/client";
import {
  encodeInventoryConfiguration as encodeOss,
  encodeListPage as encodeOssPage,
} from "../../provider/clouds/oss/codec";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import { CloudError, NotFoundError, ValidationError } from "../../provider/core/errors";
import type { FaultSpec } from "../../provider/emulator/admin";
import type { RunningEmulator } from "../../provider/emulator/server";
import type { TransportOptions } from "../../provider/http/transport";
import * as cos from "../support/client-cos";
import { injectFault, rejection, requestLog, useEmulator } from "../support/client-emulator";
import * as oss from "../support/client-oss";
import { describeServerAnswers, type ServerAnswersSubject } from "../support/server-answers";

/** A client of either cloud, seen through job ids (each cloud puts its own full job for an id). */
interface JobsClient {
  put(bucket: string, id: string): Promise<void>;
  get(bucket: string, id: string): Promise<unknown>;
  delete(bucket: string, id: string): Promise<void>;
  listPage(bucket: string): Promise<unknown>;
  list(bucket: string): Promise<unknown[]>;
  /** OSS's restoring replace; COS has none. */
  replace?(bucket: string, id: string): Promise<void>;
}

/** One cloud's row of the table. */
interface CloudCase {
  cloud: "cos" | "oss";
  bucket: string;
  /** Every bucket the emulator holds. */
  buckets: string[];
  key: { id: string; secret: string };
  /** Our client, path-style at `baseUrl`; `alternate` picks the other addressing (and for OSS V1). */
  client(baseUrl: string, options?: { transport?: TransportOptions; alternate?: boolean }): JobsClient;
  /** The full job `id` our `put` writes. */
  fullConfig(id: string): unknown;
  /** What the fault of a 503 matches besides the operation. */
  faultMatch: Partial<FaultSpec["match"]>;
  /** The code a 503 fault answers with, when not the default SlowDown. */
  unavailableCode?: string;
  /** Checks the job `id` is stored as put after retries. */
  expectStored(emu: RunningEmulator, id: string): void;
  /** An existing-looking bucket the emulator does not hold. */
  unknownBucket: string;
  /** Checks what else an error answer's typed error carries. */
  expectErrorDetails(e: CloudError, withEc: boolean): void;
  /** Bucket names the client refuses besides `Bad_Bucket`. */
  moreBadBuckets: string[];
  /** Ids the client refuses besides `bad id/..` and 65 characters. */
  moreBadIds: string[];
  /** Regions the constructor refuses. */
  badRegions: string[];
  construct(region: string): unknown;
  /** The scripted-server subject for {@link describeServerAnswers}. */
  serverAnswers: ServerAnswersSubject;
}

/** Adapts a typed client to {@link JobsClient}, putting `full(id)` for an id. */
function jobsClient<C>(
  client: {
    put(bucket: string, cfg: C): Promise<void>;
    get(bucket: string, id: string): Promise<C>;
    delete(bucket: string, id: string): Promise<void>;
    listPage(bucket: string): Promise<unknown>;
    list(bucket: string): Promise<C[]>;
    replace?(bucket: string, cfg: C): Promise<void>;
  },
  full: (id: string) => C,
): JobsClient {
  const replace = client.replace?.bind(client);
  return {
    put: (bucket, id) => client.put(bucket, full(id)),
    get: (bucket, id) => client.get(bucket, id),
    delete: (bucket, id) => client.delete(bucket, id),
    listPage: (bucket) => client.listPage(bucket),
    list: (bucket) => client.list(bucket),
    replace: replace && ((bucket, id) => replace(bucket, full(id))),
  };
}

const cosWithPrefix = (id: string, prefix: string) => ({ ...cos.dailyConfig(id), filter: { prefix } });
const ossWithPrefix = (id: string, prefix: string) => ({ ...oss.minimalConfig(id), filter: { prefix } });

const CASES: CloudCase[] = [
  {
    cloud: "cos",
    bucket: cos.BUCKET,
    buckets: [cos.BUCKET, cos.OTHER_BUCKET],
    key: { id: cos.AK, secret: cos.SK },
    client: (baseUrl, o = {}) =>
      jobsClient(
        cos.ourClient(
          baseUrl,
          o.alternate ? "connect" : "path",
          o.transport ? { transport: o.transport } : {},
        ),
        cos.fullConfig,
      ),
    fullConfig: cos.fullConfig,
    faultMatch: {},
    expectStored: (emu, id) => expect(emu.store.get(cos.BUCKET, "cos", id)).toBeDefined(),
    unknownBucket: "nosuchbucket-1250000000",
    expectErrorDetails: (e) => expect(e.requestId).toEqual(expect.any(String)),
    moreBadBuckets: [],
    moreBadIds: [],
    badRegions: ["Guangzhou"],
    construct: (region) =>
      new CosInventoryClient({ credentials: { secretId: cos.AK, secretKey: cos.SK }, region }),
    serverAnswers: {
      cloud: "cos",
      bucket: cos.BUCKET,
      requestIdHeader: "x-cos-request-id",
      client: (baseUrl) => jobsClient(cos.ourClient(baseUrl), cos.fullConfig),
      configurationXml: (id, prefix) => encodeCos(cosWithPrefix(id, prefix)),
      listPageXml: (id, prefix) =>
        encodeCosPage({ configurations: [cosWithPrefix(id, prefix)], isTruncated: false }),
    },
  },
  {
    cloud: "oss",
    bucket: oss.BUCKET,
    buckets: [oss.BUCKET, oss.DEST_BUCKET],
    key: { id: oss.AK, secret: oss.SK },
    client: (baseUrl, o = {}) =>
      jobsClient(
        o.alternate
          ? oss.ourClient(baseUrl, "v1", "connect", o.transport ? { transport: o.transport } : {})
          : oss.ourClient(
              baseUrl,
              o.transport ? "v1" : "v4",
              "path",
              o.transport ? { transport: o.transport } : {},
            ),
        oss.fullConfig,
      ),
    fullConfig: oss.fullConfig,
    faultMatch: { dialect: "oss" },
    unavailableCode: "ServiceUnavailable",
    expectStored: (emu, id) =>
      expect(emu.store.get(oss.BUCKET, "oss", id)?.body).toBe(encodeOss(oss.fullConfig(id))),
    unknownBucket: "nosuchbucket",
    expectErrorDetails: (e, withEc) => {
      if (withEc) expect(e.message).toContain("[EC 0015-00000101]");
      expect(e.requestId).toMatch(oss.REQUEST_ID);
    },
    moreBadBuckets: ["ab", "-examplebucket"],
    moreBadIds: [""],
    badRegions: ["oss-cn-hangzhou", "Hangzhou", "", "cn hangzhou"],
    construct: (region) =>
      new OssInventoryClient({ credentials: { accessKeyId: oss.AK, accessKeySecret: oss.SK }, region }),
    serverAnswers: {
      cloud: "oss",
      bucket: oss.BUCKET,
      requestIdHeader: "x-oss-request-id",
      client: (baseUrl) => jobsClient(oss.ourClient(baseUrl), oss.fullConfig),
      configurationXml: (id, prefix) => encodeOss(ossWithPrefix(id, prefix)),
      listPageXml: (id, prefix) =>
        encodeOssPage({ configurations: [ossWithPrefix(id, prefix)], isTruncated: false }),
    },
  },
];

describe.each(CASES)("$cloud client against the emulator", (c) => {
  const emu = useEmulator(c.buckets, c.key);

  describe("transport behaviour under injected faults", () => {
    test("three 503s, then success: put succeeds on the fourth attempt", async () => {
      await injectFault(emu(), { match: { operation: "put", ...c.faultMatch }, count: 3, status: 503 });
      await c.client(emu().url).put(c.bucket, "retried");
      const log = await requestLog(emu());
      expect(log.map((e) => [e.operation, e.status, e.code ?? null])).toEqual([
        ["put", 503, "SlowDown"],
        ["put", 503, "SlowDown"],
        ["put", 503, "SlowDown"],
        ["put", 200, null],
      ]);
      expect(log.slice(0, 3).every((e) => e.fault !== undefined && e.dialect === c.cloud)).toBe(true);
      c.expectStored(emu(), "retried");
    });

    test("a 503 on every attempt ends as a CloudError after maxAttempts", async () => {
      const code = c.unavailableCode;
      await injectFault(emu(), {
        match: { operation: "get" },
        count: 10,
        status: 503,
        ...(code && { code }),
      });
      const client = c.client(emu().url, { transport: { baseDelayMs: 1, maxAttempts: 3 } });
      const e = await rejection(client.get(c.bucket, "x"), CloudError);
      expect({ status: e.statusCode, code: e.code }).toEqual({ status: 503, code: code ?? "SlowDown" });
      c.expectErrorDetails(e, false);
      expect(await requestLog(emu())).toHaveLength(3);
    });

    test("a dropped connection is retried", async () => {
      const client = c.client(emu().url);
      await client.put(c.bucket, "dropped");
      await injectFault(emu(), { match: { operation: "get" }, count: 1, drop: true });
      expect(await client.get(c.bucket, "dropped")).toStrictEqual(c.fullConfig("dropped"));
      const log = await requestLog(emu());
      expect(log.map((e) => [e.operation, e.status, e.dropped ?? false])).toEqual([
        ["put", 200, false],
        ["get", 0, true],
        ["get", 200, false],
      ]);
    });
  });

  test("an unknown bucket is a NotFoundError with code NoSuchBucket", async () => {
    const client = c.client(emu().url, { alternate: c.cloud === "oss" });
    for (const call of [
      () => client.list(c.unknownBucket),
      () => client.get(c.unknownBucket, "x"),
      () => client.put(c.unknownBucket, "x"),
      () => client.delete(c.unknownBucket, "x"),
    ]) {
      const e = await rejection(call(), NotFoundError);
      expect({ status: e.statusCode, code: e.code }).toEqual({ status: 404, code: "NoSuchBucket" });
      c.expectErrorDetails(e, true);
    }
  });

  test("an invalid bucket, inventory id or region is a ValidationError naming the property; nothing is sent", async () => {
    const client = c.client(emu().url);
    const badBucket = "Bad_Bucket";
    const badId = "bad id/..";
    const replace = client.replace;
    const onBadBucket = [
      () => client.put(badBucket, "ok"),
      () => client.get(badBucket, "ok"),
      () => client.delete(badBucket, "ok"),
      ...(replace ? [() => replace(badBucket, "ok")] : []),
      () => client.listPage(badBucket),
      () => client.list(badBucket),
    ];
    for (const call of onBadBucket) {
      const e = await rejection(call(), ValidationError);
      expect(e.failures.map((f) => f.property)).toEqual(["bucket"]);
      expect(e.message).toContain(`"${badBucket}"`);
    }
    for (const bucket of c.moreBadBuckets) {
      const e = await rejection(client.list(bucket), ValidationError);
      expect(e.failures.map((f) => f.property)).toEqual(["bucket"]);
    }
    const idCalls = [
      () => client.put(c.bucket, badId),
      () => client.get(c.bucket, badId),
      () => client.delete(c.bucket, badId),
      ...(replace ? [() => replace(c.bucket, badId)] : []),
      () => client.get(c.bucket, "x".repeat(65)),
      ...c.moreBadIds.map((id) => () => client.get(c.bucket, id)),
    ];
    for (const call of idCalls) {
      const e = await rejection(call(), ValidationError);
      expect(e.failures.map((f) => f.property)).toEqual(["inventoryId"]);
    }
    const both = await rejection(client.get(badBucket, badId), ValidationError);
    expect(both.failures.map((f) => f.property)).toEqual(["bucket", "inventoryId"]);
    expect(both.message).toContain(`"${badBucket}"`);

    for (const region of c.badRegions) {
      let caught: unknown;
      try {
        c.construct(region);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).failures.map((f) => f.property)).toEqual(["region"]);
    }

    expect(await requestLog(emu())).toEqual([]);
  });
});

describe.each(CASES)("$cloud client against a scripted server", (c) => {
  describeServerAnswers(c.serverAnswers);
});
