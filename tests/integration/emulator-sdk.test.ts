// The emulator (COS dialect) driven by the official cos-nodejs-sdk-v5: the SDK
// keeps its real virtual-host Host header (<bucket>.cos.<region>.myqcloud.com)
// and signs it, while `Ip` points the connection at the emulator over http.
// (SDK 3.x refuses ForcePathStyle, so path-style requests are covered with our
// own signer in emulator.test.ts.)
import COS from "cos-nodejs-sdk-v5";
import { encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import type { RunningEmulator } from "../../provider/emulator/server";
import { BUCKET, OTHER_BUCKET, REGION } from "../support/cos-emulator";
import { emulatorAdmin, rejectionOf, startAdminEmulator } from "../support/emulator-suite";

const AK = "AKIDSDKTESTEXAMPLE";
const SK = "sdk-test-secret-key";

/** The SDK's error shape (what its callbacks reject with). */
interface SdkError {
  statusCode?: number;
  code?: string;
  message?: string;
  error?: { Code?: string; Message?: string; RequestId?: string; TraceId?: string; Resource?: string };
  headers?: Record<string, string>;
}

/** An SDK client pointed at the emulator. */
function client(emu: RunningEmulator, options: Partial<COS.COSOptions> = {}): COS {
  return new COS({
    SecretId: AK,
    SecretKey: SK,
    Ip: `127.0.0.1:${emu.port}`,
    Protocol: "http:",
    ...options,
  });
}

/** A job in the SDK's shape, every field the d.ts knows filled in. */
function sdkConfig(id: string): COS.InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: "true",
    IncludedObjectVersions: "Current",
    Filter: { Prefix: "photos/2026/" },
    OptionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "Crc64"],
    Schedule: { Frequency: "Weekly" },
    Destination: {
      COSBucketDestination: {
        Format: "CSV",
        AccountId: "100000000001",
        Bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`,
        Prefix: "inventory-reports",
        Encryption: { SSECOS: "" },
      },
    },
  };
}

/** The promise's rejection, for asserting on SDK errors. */
const failure = (p: Promise<unknown>): Promise<SdkError> => rejectionOf<SdkError>(p, "the SDK call");

describe("emulator driven by the official cos-nodejs-sdk-v5", () => {
  let emu: RunningEmulator;
  let cos: COS;
  const where = { Bucket: BUCKET, Region: REGION };

  beforeAll(async () => {
    emu = await startAdminEmulator([BUCKET, OTHER_BUCKET], { id: AK, secret: SK });
    cos = client(emu);
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    expect(await emulatorAdmin.reset(emu)).toBe(204);
  });

  test("put, get, list and delete are accepted; a job is read back field for field", async () => {
    const sent = sdkConfig("sdk-daily");
    const p = await cos.putBucketInventory({ ...where, Id: "sdk-daily", InventoryConfiguration: sent });
    expect(p.statusCode).toBe(200);
    expect(p.headers?.["x-cos-request-id"]).toEqual(expect.any(String));

    const g = await cos.getBucketInventory({ ...where, Id: "sdk-daily" });
    expect(g.statusCode).toBe(200);
    expect(g.InventoryConfiguration).toEqual(sent);

    const l = await cos.listBucketInventory({ ...where });
    expect(l.statusCode).toBe(200);
    expect(l.IsTruncated).toBe("false");
    expect(l.InventoryConfigurations).toEqual([sent]);

    const d = await cos.deleteBucketInventory({ ...where, Id: "sdk-daily" });
    expect(d.statusCode).toBe(204);
    expect((await cos.listBucketInventory({ ...where })).InventoryConfigurations).toEqual([]);

    // What the emulator saw: the SDK's real virtual-host requests.
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
      ["PUT", BUCKET, "put", "sdk-daily", 200],
      ["GET", BUCKET, "get", "sdk-daily", 200],
      ["GET", BUCKET, "list", null, 200],
      ["DELETE", BUCKET, "delete", "sdk-daily", 204],
      ["GET", BUCKET, "list", null, 200],
    ]);
  });

  test("PUT on an existing id overwrites it", async () => {
    await cos.putBucketInventory({ ...where, Id: "ow", InventoryConfiguration: sdkConfig("ow") });
    const changed: COS.InventoryConfiguration = {
      ...sdkConfig("ow"),
      IsEnabled: "false",
      IncludedObjectVersions: "All",
      OptionalFields: ["Size"],
      Schedule: { Frequency: "Daily" },
    };
    await cos.putBucketInventory({ ...where, Id: "ow", InventoryConfiguration: changed });
    expect((await cos.getBucketInventory({ ...where, Id: "ow" })).InventoryConfiguration).toEqual(changed);
    expect((await cos.listBucketInventory({ ...where })).InventoryConfigurations).toHaveLength(1);
  });

  test("missing jobs and buckets: 404 from get and delete, NoSuchBucket for an unknown bucket", async () => {
    const g = await failure(cos.getBucketInventory({ ...where, Id: "absent" }));
    expect(g.statusCode).toBe(404);
    const d = await failure(cos.deleteBucketInventory({ ...where, Id: "absent" }));
    expect(d.statusCode).toBe(404);
    const b = await failure(cos.listBucketInventory({ Bucket: "nosuchbucket-1250000000", Region: REGION }));
    expect({ status: b.statusCode, code: b.code }).toEqual({ status: 404, code: "NoSuchBucket" });
    expect(b.error?.RequestId).toBe(b.headers?.["x-cos-request-id"]);
  });

  test("a wrong SecretKey, an unknown SecretId and a tampered signature are rejected with 403", async () => {
    const wrongKey = await failure(
      client(emu, { SecretKey: "not-the-secret" }).listBucketInventory({ ...where }),
    );
    expect({ status: wrongKey.statusCode, code: wrongKey.code }).toEqual({
      status: 403,
      code: "SignatureDoesNotMatch",
    });

    const unknownId = await failure(
      client(emu, { SecretId: "AKIDNOBODY" }).listBucketInventory({ ...where }),
    );
    expect({ status: unknownId.statusCode, code: unknownId.code }).toEqual({
      status: 403,
      code: "InvalidAccessKeyId",
    });

    const tampering = client(emu);
    tampering.on("before-send", (opt: { headers: Record<string, string> }) => {
      opt.headers.Authorization = opt.headers.Authorization.replace(
        /q-signature=([0-9a-f]{40})/,
        (_m, sig: string) => `q-signature=${sig.slice(0, 39)}${sig.endsWith("0") ? "1" : "0"}`,
      );
    });
    const tampered = await failure(
      tampering.putBucketInventory({ ...where, Id: "t", InventoryConfiguration: sdkConfig("t") }),
    );
    expect({ status: tampered.statusCode, code: tampered.code }).toEqual({
      status: 403,
      code: "SignatureDoesNotMatch",
    });

    // A body changed after signing: Content-MD5 (signed) no longer matches it.
    const swapping = client(emu);
    swapping.on("before-send", (opt: { body?: string }) => {
      opt.body = String(opt.body).replace("<Prefix>photos/2026/</Prefix>", "<Prefix>photos/2027/</Prefix>");
    });
    const swapped = await failure(
      swapping.putBucketInventory({ ...where, Id: "s", InventoryConfiguration: sdkConfig("s") }),
    );
    expect({ status: swapped.statusCode, code: swapped.code }).toEqual({ status: 400, code: "BadDigest" });
    expect(await failure(cos.getBucketInventory({ ...where, Id: "s" }))).toMatchObject({ statusCode: 404 });
  });

  test("a URL id that differs from the body Id is InvalidArgument naming Id", async () => {
    const e = await failure(
      cos.putBucketInventory({ ...where, Id: "url-id", InventoryConfiguration: sdkConfig("body-id") }),
    );
    expect({ status: e.statusCode, code: e.code }).toEqual({ status: 400, code: "InvalidArgument" });
    expect(e.error?.Message).toMatch(/\bId\b/);
  });

  test("temporary credentials: the unsigned x-cos-security-token header is accepted", async () => {
    const sts = client(emu, { SecurityToken: "session-token-123" });
    const seen: string[] = [];
    sts.on("before-send", (opt: { headers: Record<string, string> }) =>
      seen.push(opt.headers["x-cos-security-token"]),
    );
    expect((await sts.listBucketInventory({ ...where })).statusCode).toBe(200);
    expect(seen).toEqual(["session-token-123"]);
  });

  test("paging: 250 jobs list as 3 pages through ContinuationToken, in id order", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `page-${String(i).padStart(3, "0")}`);
    // Write through the store (the SDK path is covered above) to keep this quick.
    for (const id of ids) {
      const body = encodeInventoryConfiguration({
        id,
        isEnabled: true,
        includedObjectVersions: "All",
        schedule: { frequency: "Daily" },
        optionalFields: [],
        destination: { format: "CSV", bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}` },
      });
      await emu.store.put(BUCKET, { dialect: "cos", id, body });
    }
    const listed: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cos.listBucketInventory({
        ...where,
        ContinuationToken: token,
      } as COS.ListBucketInventoryParams);
      pages++;
      listed.push(...(page.InventoryConfigurations as { Id: string }[]).map((c) => c.Id));
      token = page.IsTruncated === "true" ? page.NextContinuationToken : undefined;
    } while (token !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(listed).toEqual(ids);
  });

  test("the SDK corrects its clock from the Date header after 'Request has expired' and retries", async () => {
    const skewed = client(emu);
    const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await emulatorAdmin.fault(emu, {
        match: { operation: "list" },
        count: 2,
        clockSkewSeconds: 7200,
      });
      expect((await skewed.listBucketInventory({ ...where })).statusCode).toBe(200);
    } finally {
      quiet.mockRestore();
    }
    // The SDK keeps the correction in its (untyped) options.
    const offset = (skewed as unknown as { options: { SystemClockOffset: number } }).options
      .SystemClockOffset;
    expect(Math.abs(offset - 7200_000)).toBeLessThan(5000);
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.status, e.code ?? null])).toEqual([
      [403, "AccessDenied"],
      [200, null],
    ]);
  });

  test("an injected 503 is retried by the SDK; an injected 403 is reported with its code", async () => {
    await emulatorAdmin.fault(emu, {
      match: { operation: "get" },
      count: 1,
      status: 503,
      code: "SlowDown",
    });
    await cos.putBucketInventory({ ...where, Id: "retry", InventoryConfiguration: sdkConfig("retry") });
    expect((await cos.getBucketInventory({ ...where, Id: "retry" })).statusCode).toBe(200);

    await emulatorAdmin.fault(emu, {
      count: 1,
      status: 403,
      code: "AccessDenied",
      message: "Access Denied.",
    });
    const e = await failure(cos.getBucketInventory({ ...where, Id: "retry" }));
    expect({ status: e.statusCode, code: e.code, message: e.error?.Message }).toEqual({
      status: 403,
      code: "AccessDenied",
      message: "Access Denied.",
    });
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e2) => [e2.operation, e2.status])).toEqual([
      ["put", 200],
      ["get", 503],
      ["get", 200],
      ["get", 403],
    ]);
  });
});
