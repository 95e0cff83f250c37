// Our COS client (CosInventoryClient) against the local emulator, started
// in-process on a free port with the admin API on: every field of a job
// round-trips in both endpoint modes, jobs interoperate with the official
// cos-nodejs-sdk-v5 in both directions, list follows continuation tokens,
// errors are typed (and never carry the secret key), and the transport's
// clock-skew correction and connection failures behave as documented, driven
// by the emulator's injected faults. What both clients do alike (retries,
// NoSuchBucket, validation, scripted-server answers) is in client.test.ts.
import COS from "cos-nodejs-sdk-v5";
import { inspect } from "util";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { CloudError, NotFoundError, TransportError } from "../../provider/core/errors";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import { forEachLimited } from "../support/concurrency";
import { adminCall, startRecorder } from "../support/http";
import {
  FILTER_PREFIX,
  REPORT_PREFIX,
  type Mode,
  injectFault,
  rejection,
  requestLog,
  useEmulator,
} from "../support/client-emulator";
import {
  AK,
  ALL_FIELDS,
  BUCKET,
  dailyConfig,
  END,
  fullConfig,
  OTHER_BUCKET,
  ourClient,
  REGION,
  SK,
  START,
  VHOST,
} from "../support/client-cos";

/** The SDK's shape of a filter; its d.ts only declares `Prefix`, the service also takes `And` and `Period`. */
interface SdkFilter {
  Prefix?: string;
  And?: { Prefix?: string; Tag?: { Key: string; Value: string }[] };
  Period?: { StartTime?: string; EndTime?: string };
}

/** The SDK's job shape with the full filter. */
type SdkInventory = Omit<COS.InventoryConfiguration, "Filter"> & { Filter?: SdkFilter };

/** {@link fullConfig} as the SDK writes it and reads it back. */
function sdkFullConfig(id: string): SdkInventory {
  return {
    Id: id,
    IsEnabled: "true",
    IncludedObjectVersions: "All",
    Filter: {
      And: {
        Prefix: FILTER_PREFIX,
        Tag: [
          { Key: "team", Value: "data & <ops>" },
          { Key: "env", Value: "prod" },
        ],
      },
      Period: { StartTime: String(START), EndTime: String(END) },
    },
    OptionalFields: [...ALL_FIELDS],
    Schedule: { Frequency: "Weekly" },
    Destination: {
      COSBucketDestination: {
        Format: "CSV",
        AccountId: "100000000001",
        Bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`,
        Prefix: REPORT_PREFIX,
        Encryption: { SSECOS: "" },
      },
    },
  };
}

/** The official SDK, connecting to the emulator but keeping the virtual-host Host header. */
function sdkClient(emu: RunningEmulator): COS {
  return new COS({ SecretId: AK, SecretKey: SK, Ip: `127.0.0.1:${emu.port}`, Protocol: "http:" });
}

describe("CosInventoryClient against the emulator", () => {
  const emu = useEmulator([BUCKET, OTHER_BUCKET], { id: AK, secret: SK });

  describe.each<Mode>(["path", "connect"])("%s endpoint mode", (mode) => {
    test("put, get, list and delete round-trip jobs that use every field, specials and non-ASCII included", async () => {
      const client = ourClient(emu().url, mode);
      const weekly = fullConfig("weekly-all.v1");
      const daily = dailyConfig("daily_current-2");

      await client.put(BUCKET, weekly);
      await client.put(BUCKET, daily);
      expect(await client.get(BUCKET, weekly.id)).toEqual(weekly);
      expect(await client.get(BUCKET, daily.id)).toEqual(daily);
      // The list is in id order.
      expect(await client.list(BUCKET)).toEqual([daily, weekly]);

      // PUT on an existing id replaces it.
      const changed: CosInventoryConfiguration = { ...daily, isEnabled: true, optionalFields: [] };
      await client.put(BUCKET, changed);
      expect(await client.get(BUCKET, daily.id)).toEqual(changed);

      await client.delete(BUCKET, weekly.id);
      await client.delete(BUCKET, daily.id);
      await rejection(client.get(BUCKET, weekly.id), NotFoundError);
      expect(await client.list(BUCKET)).toEqual([]);

      const log = await requestLog(emu());
      expect(log.map((e) => [e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
        ["PUT", BUCKET, "put", weekly.id, 200],
        ["PUT", BUCKET, "put", daily.id, 200],
        ["GET", BUCKET, "get", weekly.id, 200],
        ["GET", BUCKET, "get", daily.id, 200],
        ["GET", BUCKET, "list", null, 200],
        ["PUT", BUCKET, "put", daily.id, 200],
        ["GET", BUCKET, "get", daily.id, 200],
        ["DELETE", BUCKET, "delete", weekly.id, 204],
        ["DELETE", BUCKET, "delete", daily.id, 204],
        ["GET", BUCKET, "get", weekly.id, 404],
        ["GET", BUCKET, "list", null, 200],
      ]);
      expect(log.every((e) => e.dialect === "cos")).toBe(true);
    });
  });

  test("on the wire: path-style names the bucket in the path; connect mode keeps the virtual-host Host", async () => {
    const recorder = await startRecorder(emu());
    try {
      await ourClient(recorder.url, "path").put(BUCKET, fullConfig("wire"));
      await ourClient(recorder.url, "connect").get(BUCKET, "wire");
      const [pathStyle, connect] = recorder.seen;
      expect(pathStyle).toMatchObject({ method: "PUT", url: `/${BUCKET}/?inventory=&id=wire` });
      expect(pathStyle.headers.host).toBe(`127.0.0.1:${recorder.port}`);
      expect(pathStyle.headers["content-type"]).toBe("application/xml");
      expect(pathStyle.headers["content-md5"]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(connect).toMatchObject({ method: "GET", url: "/?inventory=&id=wire" });
      expect(connect.headers.host).toBe(VHOST);
      for (const r of recorder.seen) {
        expect(r.headers.authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDCLIENTTESTEXAMPLE&/);
        expect(r.headers.authorization).toMatch(/q-header-list=[^&]*\bhost\b/);
      }
    } finally {
      await recorder.close();
    }
    const log = await requestLog(emu());
    expect(log.map((e) => [e.method, e.bucket, e.operation, e.status])).toEqual([
      ["PUT", BUCKET, "put", 200],
      ["GET", BUCKET, "get", 200],
    ]);
  });

  describe("interoperation with cos-nodejs-sdk-v5", () => {
    const where = { Bucket: BUCKET, Region: REGION };

    test("a job written by the SDK is read by our get and list, field for field", async () => {
      const sdk = sdkClient(emu());
      const put = await sdk.putBucketInventory({
        ...where,
        Id: "sdk-written",
        InventoryConfiguration: sdkFullConfig("sdk-written"),
      });
      expect(put.statusCode).toBe(200);

      const client = ourClient(emu().url, "connect");
      expect(await client.get(BUCKET, "sdk-written")).toEqual(fullConfig("sdk-written"));
      expect(await client.list(BUCKET)).toEqual([fullConfig("sdk-written")]);
    });

    test("a job written by our put is read by the SDK's get and list; the SDK deletes it", async () => {
      const client = ourClient(emu().url, "path");
      await client.put(BUCKET, fullConfig("ours"));
      const sdk = sdkClient(emu());

      const got = await sdk.getBucketInventory({ ...where, Id: "ours" });
      expect(got.statusCode).toBe(200);
      expect(got.InventoryConfiguration).toEqual(sdkFullConfig("ours"));

      // Both lists see both writers' jobs.
      await sdk.putBucketInventory({
        ...where,
        Id: "sdk-written",
        InventoryConfiguration: sdkFullConfig("sdk-written"),
      });
      const listed = await sdk.listBucketInventory({ ...where });
      expect(listed.IsTruncated).toBe("false");
      expect(listed.InventoryConfigurations).toEqual([sdkFullConfig("ours"), sdkFullConfig("sdk-written")]);
      expect(await client.list(BUCKET)).toEqual([fullConfig("ours"), fullConfig("sdk-written")]);

      const deleted = await sdk.deleteBucketInventory({ ...where, Id: "ours" });
      expect(deleted.statusCode).toBe(204);
      await rejection(client.get(BUCKET, "ours"), NotFoundError);
      expect((await client.list(BUCKET)).map((c) => c.id)).toEqual(["sdk-written"]);
    });
  });

  test("list follows continuation tokens: 1,000 jobs in 10 list requests", async () => {
    const client = ourClient(emu().url, "path");
    const ids = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);
    await forEachLimited(ids, 16, (id) => client.put(BUCKET, { ...dailyConfig(id), isEnabled: true }));

    const listed = await client.list(BUCKET);
    expect(listed).toHaveLength(1000);
    expect(listed.map((c) => c.id)).toEqual(ids);
    expect(listed[999]).toEqual({ ...dailyConfig("job-0999"), isEnabled: true });

    const log = await requestLog(emu());
    expect(log.filter((e) => e.operation === "put" && e.status === 200)).toHaveLength(1000);
    const lists = log.filter((e) => e.operation === "list");
    expect(lists).toHaveLength(10);
    expect(lists.every((e) => e.status === 200)).toBe(true);
    expect(log).toHaveLength(1010);
  }, 60_000);

  describe("errors are typed", () => {
    test("delete or get of a missing job is a NotFoundError with status, request id and code", async () => {
      const client = ourClient(emu().url);
      const del = await rejection(client.delete(BUCKET, "absent"), NotFoundError);
      expect(del).toMatchObject({
        name: "NotFoundError",
        cloud: "cos",
        statusCode: 404,
        code: "NoSuchInventoryConfiguration",
        operation: `DELETE inventory absent on ${BUCKET}`,
      });
      expect(del.requestId).toEqual(expect.stringMatching(/^[A-Za-z0-9+/=]{16,}$/));
      expect(del.message).toContain(del.requestId);

      const get = await rejection(client.get(BUCKET, "absent"), NotFoundError);
      expect(get).toMatchObject({ statusCode: 404, code: "NoSuchInventoryConfiguration" });
      expect(get.requestId).toEqual(expect.any(String));
      expect(get.requestId).not.toBe(del.requestId);

      const log = await requestLog(emu());
      expect(log.map((e) => [e.operation, e.status, e.code])).toEqual([
        ["delete", 404, "NoSuchInventoryConfiguration"],
        ["get", 404, "NoSuchInventoryConfiguration"],
      ]);
    });

    test("a wrong secret key is a 403 SignatureDoesNotMatch that never shows the secret", async () => {
      const wrongSecret = "wrong-SECRET-never-print-4711";
      const client = ourClient(emu().url, "path", {
        credentials: { secretId: AK, secretKey: wrongSecret, securityToken: "token-in-request" },
      });
      const e = await rejection(client.put(BUCKET, fullConfig("nope")), CloudError);
      expect(e).not.toBeInstanceOf(NotFoundError);
      expect(e).toMatchObject({
        name: "CloudError",
        cloud: "cos",
        statusCode: 403,
        code: "SignatureDoesNotMatch",
      });
      expect(e.requestId).toEqual(expect.any(String));
      expect(e.message).toContain(
        "The Signature you specified is invalid. Check your SecretKey and signing method.",
      );
      expect(e.message).toContain(`(request id ${e.requestId})`);
      const surfaces = [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), String(e)];
      for (const text of surfaces) {
        expect(text).not.toContain(wrongSecret);
        expect(text).not.toContain(SK);
        expect(text).not.toContain("token-in-request");
      }
      // Not worth retrying: one request.
      expect((await requestLog(emu())).map((e2) => [e2.operation, e2.status, e2.code])).toEqual([
        ["put", 403, "SignatureDoesNotMatch"],
      ]);
    });
  });

  test("temporary credentials: requests carry (and sign) x-cos-security-token and are accepted", async () => {
    const recorder = await startRecorder(emu());
    try {
      const client = ourClient(recorder.url, "connect", {
        credentials: { secretId: AK, secretKey: SK, securityToken: "sts-session-token-123" },
      });
      await client.put(BUCKET, fullConfig("sts"));
      expect(await client.get(BUCKET, "sts")).toEqual(fullConfig("sts"));
      expect(recorder.seen).toHaveLength(2);
      for (const r of recorder.seen) {
        expect(r.headers["x-cos-security-token"]).toBe("sts-session-token-123");
        expect(r.headers.authorization).toMatch(/q-header-list=[^&]*\bx-cos-security-token\b/);
      }
    } finally {
      await recorder.close();
    }
    expect((await requestLog(emu())).map((e) => e.status)).toEqual([200, 200]);
  });

  describe("transport behaviour under injected faults", () => {
    test.each([
      ["an hour ahead", 3600, "AccessDenied"],
      ["an hour behind", -3600, "RequestTimeTooSkewed"],
    ])(
      "server clock %s: the client corrects from the Date header with one extra request",
      async (_label, skew, code) => {
        // The skew applies to both requests, as if the server's clock were really off.
        await injectFault(emu(), { match: { operation: "put" }, count: 2, clockSkewSeconds: skew });
        const client = ourClient(emu().url);
        await client.put(BUCKET, fullConfig("skewed"));
        const log = await requestLog(emu());
        expect(log.map((e) => [e.operation, e.status, e.code ?? null])).toEqual([
          ["put", 403, code],
          ["put", 200, null],
        ]);
        expect(await adminCall(emu(), "GET", "/_emulator/faults")).toEqual([]);
      },
    );

    test("a stopped emulator is a TransportError (ECONNREFUSED) after bounded attempts", async () => {
      const doomed = await startEmulator({
        port: 0,
        buckets: [BUCKET],
        credentials: [{ id: AK, secret: SK }],
      });
      const sleeps: number[] = [];
      const client = ourClient(doomed.url, "path", {
        transport: {
          maxAttempts: 3,
          baseDelayMs: 1,
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        },
      });
      // A first call leaves a keep-alive connection that the close then ends.
      expect(await client.list(BUCKET)).toEqual([]);
      await doomed.close();

      const e = await rejection(client.list(BUCKET), TransportError);
      expect(e.code).toBe("ECONNREFUSED");
      expect(e.endpoint).toBe(doomed.url);
      expect(e.message).toContain(doomed.url);
      expect(`${e.message}${e.stack}${JSON.stringify(e)}`).not.toContain(SK);
      // Three attempts: two backoffs in between.
      expect(sleeps).toHaveLength(2);
    });
  });
});
