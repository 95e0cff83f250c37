// The local emulator's OSS dialect driven by the official ali-oss 6.23.0 SDK
// in V1 and V4, virtual-host and path style: what it sends, that the emulator
// accepts it, that our client reads its jobs and it reads our client's, paging,
// temporary credentials and clock skew.
//
// How ali-oss is pointed at the emulator: `endpoint: "http://127.0.0.1:<port>"`.
// With an IP endpoint, ali-oss connects there, keeps the path `/`, and sends
// the real virtual-host `Host: <bucket>.oss-<region>.aliyuncs.com` (built from
// `region`), so the emulator resolves the bucket from Host. With
// `sldEnable: true` as well it puts the bucket in the path (`/<bucket>/`), which
// the emulator resolves path-style. `authorizationV4: true` switches to
// OSS4-HMAC-SHA256, scoped to the region without its `oss-` prefix.
import {
  AliOss,
  type AliClient,
  type AliError,
  type AliInventoryInput,
  type AliInventoryView,
} from "../support/ali-oss";
import type { OssSignatureVersion } from "../../provider/clouds/oss/client";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { OSS_OPTIONAL_FIELDS } from "../../provider/clouds/oss/rules";
import { NotFoundError } from "../../provider/core/errors";
import type { RunningEmulator } from "../../provider/emulator/server";
import { forEachLimited } from "../support/concurrency";
import { emulatorAdmin, rejectionOf } from "../support/emulator-suite";
import {
  ACCOUNT,
  AK,
  BUCKET,
  DEST_BUCKET,
  REGION,
  REQUEST_ID,
  SK,
  VHOST,
  startOssEmulator,
  ossClient,
} from "../support/oss-emulator";

type AliVersion = "V1" | "V4";
type AliAddressing = "virtual-host" | "path-style";

/** An ali-oss client pointed at the emulator, recording the URL and headers of what it sends. */
function aliClient(
  emu: RunningEmulator,
  version: AliVersion,
  addressing: AliAddressing = "virtual-host",
  extra: { accessKeyId?: string; accessKeySecret?: string; stsToken?: string; amendTimeSkewed?: number } = {},
): { client: AliClient; sent: { url: string; headers: Record<string, string> }[] } {
  const client = new AliOss({
    region: `oss-${REGION}`,
    accessKeyId: AK,
    accessKeySecret: SK,
    bucket: BUCKET,
    endpoint: `http://127.0.0.1:${emu.port}`,
    secure: false,
    sldEnable: addressing === "path-style",
    authorizationV4: version === "V4",
    ...extra,
  });
  const sent: { url: string; headers: Record<string, string> }[] = [];
  const real = client.urllib;
  client.urllib = {
    request: (url, params) => {
      sent.push({ url, headers: { ...params.headers } });
      return real.request(url, params);
    },
  };
  return { client, sent };
}

/** The rejection of an ali-oss call. */
const aliFailure = (p: Promise<unknown>): Promise<AliError> => rejectionOf<AliError>(p, "the ali-oss call");

/** What ali-oss can send: it escapes nothing, so no & or <, but > " ' and non-ASCII go through raw. */
const ALI_PREFIX = `logs/>"'/数据-é/`;
const ALI_REPORT_PREFIX = `reports/>"'/報告`;

type OssDestination = OssInventoryConfiguration["destination"];

/** A destination in our model: CSV reports to {@link DEST_BUCKET}, written by role `role`. */
function ourDestination(role: string, extra: Partial<OssDestination> = {}): OssDestination {
  return {
    format: "CSV",
    accountId: ACCOUNT,
    roleArn: `acs:ram::${ACCOUNT}:role/${role}`,
    bucket: `acs:oss:::${DEST_BUCKET}`,
    ...extra,
  };
}

/** The same destination as ali-oss takes and gives it: the bare role and bucket names. */
function aliDestination(rolename: string, extra: Partial<AliInventoryView["OSSBucketDestination"]> = {}) {
  return { format: "CSV", accountId: ACCOUNT, rolename, bucket: DEST_BUCKET, ...extra };
}

/** A job in ali-oss's input shape using everything ali-oss can express. */
function aliFull(id: string): AliInventoryInput {
  return {
    id,
    isEnabled: true,
    prefix: ALI_PREFIX,
    OSSBucketDestination: {
      ...aliDestination("AliyunOSSRole", { prefix: ALI_REPORT_PREFIX }),
      encryption: { "SSE-KMS": { keyId: "kms-key-1" } },
    },
    frequency: "Weekly",
    includedObjectVersions: "All",
    optionalFields: { field: [...OSS_OPTIONAL_FIELDS] },
  };
}

/** {@link aliFull} as our model reads it. */
function aliFullModel(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    filter: { prefix: ALI_PREFIX },
    destination: ourDestination("AliyunOSSRole", {
      prefix: ALI_REPORT_PREFIX,
      encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
    }),
    schedule: { frequency: "Weekly" },
    includedObjectVersions: "All",
    optionalFields: [...OSS_OPTIONAL_FIELDS],
  };
}

/** The other extreme: disabled, no prefixes, SSE-OSS, no optional fields (ali-oss still sends the empty elements). */
function aliBare(id: string): AliInventoryInput {
  return {
    id,
    isEnabled: false,
    OSSBucketDestination: { ...aliDestination("inventory-writer"), encryption: { "SSE-OSS": "" } },
    frequency: "Daily",
    includedObjectVersions: "Current",
  };
}

/** {@link aliBare} as our model reads it. */
function aliBareModel(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    destination: ourDestination("inventory-writer", { encryption: { type: "SSE-OSS" } }),
    schedule: { frequency: "Daily" },
    includedObjectVersions: "Current",
    optionalFields: [],
  };
}

/** Every field of our model, with XML specials ali-oss must unescape. */
const SPECIAL = `a&b<c>"d'e/数据-é/`;
function ourFull(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    filter: {
      prefix: `logs/${SPECIAL}`,
      lastModifyBeginTimeStamp: 1637883649,
      lastModifyEndTimeStamp: 1638347592,
      lowerSizeBound: 1024,
      upperSizeBound: 1048576,
      storageClass: "Standard,IA",
    },
    destination: ourDestination("AliyunOSSRole", {
      prefix: `reports/${SPECIAL}`,
      encryption: { type: "SSE-KMS", keyId: `key-${SPECIAL}` },
    }),
    schedule: { frequency: "Weekly" },
    includedObjectVersions: "All",
    optionalFields: [...OSS_OPTIONAL_FIELDS],
  };
}

/**
 * What ali-oss's getBucketInventory / listBucketInventory return for
 * {@link ourFull}: formatInventoryConfig keeps only Filter/Prefix (the time,
 * size and storage-class conditions are dropped), strips RoleArn to the role
 * name and Bucket to the bare name, makes IsEnabled a boolean, lower-cases the
 * first letter of keys (except OSSBucketDestination, SSE-OSS, SSE-KMS) and
 * leaves an empty `schedule: {}` behind.
 */
function ourFullAliView(id: string): AliInventoryView {
  return {
    id,
    isEnabled: true,
    prefix: `logs/${SPECIAL}`,
    OSSBucketDestination: aliDestination("AliyunOSSRole", {
      prefix: `reports/${SPECIAL}`,
      encryption: { "SSE-KMS": { keyId: `key-${SPECIAL}` } },
    }),
    frequency: "Weekly",
    schedule: {},
    includedObjectVersions: "All",
    optionalFields: { field: [...OSS_OPTIONAL_FIELDS] },
  };
}

/** Our minimal job (no filter, prefix, encryption or fields): our encoder sends `<Filter><Prefix></Prefix></Filter>`. */
function ourMinimal(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    destination: ourDestination("AliyunOSSRole"),
    schedule: { frequency: "Daily" },
    includedObjectVersions: "Current",
    optionalFields: [],
  };
}

/** What ali-oss reads of {@link ourMinimal}. */
function ourMinimalAliView(id: string): AliInventoryView {
  return {
    id,
    isEnabled: false,
    // The empty <Prefix></Prefix> reads as "".
    prefix: "",
    OSSBucketDestination: aliDestination("AliyunOSSRole"),
    frequency: "Daily",
    schedule: {},
    includedObjectVersions: "Current",
  };
}

describe("the OSS dialect driven by the official ali-oss 6.23.0", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startOssEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => expect(await emulatorAdmin.reset(emu)).toBe(204));

  const ours = (version: OssSignatureVersion) => ossClient(emu, version);

  describe.each<[AliVersion, AliAddressing]>([
    ["V1", "virtual-host"],
    ["V1", "path-style"],
    ["V4", "virtual-host"],
    ["V4", "path-style"],
  ])("%s, %s", (version, addressing) => {
    test("what ali-oss sends, and that the emulator accepts it", async () => {
      const { client, sent } = aliClient(emu, version, addressing);
      const r = await client.putBucketInventory(BUCKET, aliFull("wire"));
      expect(r.status).toBe(200);
      expect(r.res.headers["x-oss-request-id"]).toMatch(REQUEST_ID);
      const [p] = sent;
      const base = `http://127.0.0.1:${emu.port}${addressing === "path-style" ? `/${BUCKET}/` : "/"}`;
      expect(p.url).toBe(`${base}?inventory=&inventoryId=wire`);
      // With an IP endpoint ali-oss always sends the virtual-host name.
      expect(p.headers.host).toBe(VHOST);
      expect(p.headers["Content-Type"]).toBe("application/xml");
      expect(p.headers["Content-MD5"]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      if (version === "V4") {
        expect(p.headers.authorization).toMatch(
          new RegExp(
            `^OSS4-HMAC-SHA256 Credential=${AK}/\\d{8}/${REGION}/oss/aliyun_v4_request,Signature=[0-9a-f]{64}$`,
          ),
        );
        expect(p.headers["x-oss-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
      } else {
        expect(p.headers.authorization).toMatch(new RegExp(`^OSS ${AK}:[A-Za-z0-9+/]{27}=$`));
      }
      const log = await emulatorAdmin.requests(emu);
      expect(log.map((e) => [e.dialect, e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
        ["oss", "PUT", BUCKET, "put", "wire", 200],
      ]);
    });

    test("jobs written by ali-oss are read by our client, field for field", async () => {
      const { client } = aliClient(emu, version, addressing);
      expect((await client.putBucketInventory(BUCKET, aliFull("ali-full"))).status).toBe(200);
      expect((await client.putBucketInventory(BUCKET, aliBare("ali-bare"))).status).toBe(200);

      for (const v of ["v4", "v1"] as const) {
        expect(await ours(v).get(BUCKET, "ali-full")).toStrictEqual(aliFullModel("ali-full"));
        expect(await ours(v).get(BUCKET, "ali-bare")).toStrictEqual(aliBareModel("ali-bare"));
      }
      expect(await ours("v4").list(BUCKET)).toStrictEqual([
        aliBareModel("ali-bare"),
        aliFullModel("ali-full"),
      ]);
      // And ali-oss reads its own jobs back as it wrote them.
      const back = (await client.getBucketInventory(BUCKET, "ali-full")).inventory;
      expect(back).toStrictEqual({ ...aliFull("ali-full"), schedule: {} });
    });

    test("jobs written by our client are read by ali-oss's get and list, field for field", async () => {
      const writer = ours(version === "V4" ? "v4" : "v1");
      await writer.put(BUCKET, ourFull("ours-full"));
      await writer.put(BUCKET, ourMinimal("ours-minimal"));
      const { client } = aliClient(emu, version, addressing);

      const full = await client.getBucketInventory(BUCKET, "ours-full");
      expect(full.status).toBe(200);
      expect(full.inventory).toStrictEqual(ourFullAliView("ours-full"));
      expect((await client.getBucketInventory(BUCKET, "ours-minimal")).inventory).toStrictEqual(
        ourMinimalAliView("ours-minimal"),
      );

      const listed = await client.listBucketInventory(BUCKET);
      expect(listed.status).toBe(200);
      expect(listed.isTruncated).toBe(false);
      expect(listed.nextContinuationToken).toBeUndefined();
      expect(listed.inventoryList).toStrictEqual([
        ourFullAliView("ours-full"),
        ourMinimalAliView("ours-minimal"),
      ]);
    });

    test("deleteBucketInventory answers 204; missing jobs are 404 NoSuchInventory; a taken id is 409", async () => {
      await ours("v4").put(BUCKET, ourFull("doomed"));
      const { client } = aliClient(emu, version, addressing);

      const taken = await aliFailure(client.putBucketInventory(BUCKET, aliFull("doomed")));
      expect({ status: taken.status, code: taken.code }).toEqual({
        status: 409,
        code: "InventoryConfigurationAlreadyExists",
      });

      const d = await client.deleteBucketInventory(BUCKET, "doomed");
      expect(d.status).toBe(204);
      await expect(ours("v1").get(BUCKET, "doomed")).rejects.toBeInstanceOf(NotFoundError);

      for (const call of [
        () => client.getBucketInventory(BUCKET, "doomed"),
        () => client.deleteBucketInventory(BUCKET, "doomed"),
      ]) {
        const e = await aliFailure(call());
        expect({ name: e.name, status: e.status, code: e.code }).toEqual({
          name: "NoSuchInventoryError",
          status: 404,
          code: "NoSuchInventory",
        });
        expect(e.requestId).toMatch(REQUEST_ID);
      }
      // ali-oss lists an empty bucket as no inventoryList at all.
      const empty = await client.listBucketInventory(BUCKET);
      expect({ isTruncated: empty.isTruncated, inventoryList: empty.inventoryList }).toEqual({
        isTruncated: false,
        inventoryList: undefined,
      });
    });

    test("a wrong secret or an unknown key is rejected; ali-oss surfaces the OSS error fields", async () => {
      const wrong = aliClient(emu, version, addressing, { accessKeySecret: "not-the-secret" }).client;
      const e = await aliFailure(wrong.putBucketInventory(BUCKET, aliFull("nope")));
      expect({ name: e.name, status: e.status, code: e.code, ec: e.ecCode }).toEqual({
        name: "SignatureDoesNotMatchError",
        status: 403,
        code: "SignatureDoesNotMatch",
        ec: "0002-00000040",
      });
      expect(e.requestId).toMatch(REQUEST_ID);
      expect(e.hostId).toBe(VHOST);
      const listing = await aliFailure(wrong.listBucketInventory(BUCKET));
      expect({ status: listing.status, code: listing.code }).toEqual({
        status: 403,
        code: "SignatureDoesNotMatch",
      });

      const stranger = aliClient(emu, version, addressing, { accessKeyId: "LTAI5tNobody" }).client;
      const u = await aliFailure(stranger.getBucketInventory(BUCKET, "nope"));
      expect({ status: u.status, code: u.code }).toEqual({ status: 403, code: "InvalidAccessKeyId" });

      expect(emu.store.list(BUCKET, "oss")).toEqual([]);
    });
  });

  describe.each<AliVersion>(["V1", "V4"])("%s", (version) => {
    test("listBucketInventory pages with continuationToken over 250 jobs", async () => {
      const writer = ours(version === "V4" ? "v4" : "v1");
      const ids = Array.from({ length: 250 }, (_, i) => `page-${String(i).padStart(3, "0")}`);
      await forEachLimited(ids, 6, (id) => writer.put(BUCKET, ourMinimal(id)));
      const { client, sent } = aliClient(emu, version);

      const listed: string[] = [];
      const pages: number[] = [];
      let token: string | undefined;
      for (;;) {
        const page = await client.listBucketInventory(
          BUCKET,
          token === undefined ? {} : { continuationToken: token },
        );
        pages.push(page.inventoryList?.length ?? 0);
        for (const view of page.inventoryList ?? []) {
          expect(view).toStrictEqual(ourMinimalAliView(view.id));
          listed.push(view.id);
        }
        if (!page.isTruncated) {
          expect(page.nextContinuationToken).toBeUndefined();
          break;
        }
        token = page.nextContinuationToken;
        expect(token).toEqual(expect.any(String));
        expect(pages.length).toBeLessThan(5);
      }
      expect(pages).toEqual([100, 100, 50]);
      expect(listed).toEqual(ids);
      expect(sent.map((s) => new URL(s.url).searchParams.has("continuation-token"))).toEqual([
        false,
        true,
        true,
      ]);
    }, 30_000);

    test("temporary credentials (stsToken): x-oss-security-token is sent and accepted", async () => {
      const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
      try {
        const { client, sent } = aliClient(emu, version, "virtual-host", { stsToken: "STS.session-token" });
        expect((await client.putBucketInventory(BUCKET, aliBare("sts"))).status).toBe(200);
        expect((await client.getBucketInventory(BUCKET, "sts")).inventory.id).toBe("sts");
        expect(sent.map((s) => s.headers["x-oss-security-token"])).toEqual([
          "STS.session-token",
          "STS.session-token",
        ]);
      } finally {
        warn.mockRestore();
      }
    });

    test("a clock more than 15 minutes off is RequestTimeTooSkewed; less is accepted", async () => {
      const late = aliClient(emu, version, "virtual-host", { amendTimeSkewed: -20 * 60_000 }).client;
      const e = await aliFailure(late.listBucketInventory(BUCKET));
      expect({ status: e.status, code: e.code }).toEqual({ status: 403, code: "RequestTimeTooSkewed" });
      const close = aliClient(emu, version, "virtual-host", { amendTimeSkewed: 10 * 60_000 }).client;
      expect((await close.listBucketInventory(BUCKET)).status).toBe(200);
    });
  });
});
