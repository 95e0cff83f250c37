// The local emulator's OSS dialect, driven over real HTTP: by hand with our
// own OSS signer (every check and error code the dialect answers, paging and
// limits, request ids, OSS-dialect faults), next to the COS dialect on the
// same server, and by the official ali-oss 6.23.0 SDK in V1 and V4, whose jobs
// our client reads and which reads our client's jobs.
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
import { createHash } from "crypto";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import {
  OssInventoryClient,
  toOssCloudError,
  type OssSignatureVersion,
} from "../../provider/clouds/oss/client";
import {
  OSS_XML_DECLARATION,
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeListPage,
  encodeInventoryConfiguration,
} from "../../provider/clouds/oss/codec";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { OSS_OPTIONAL_FIELDS } from "../../provider/clouds/oss/rules";
import {
  OSS_V1_SIGNED_SUBRESOURCES,
  authorizeV1,
  authorizeV4,
  ossV1Date,
  ossV4Date,
} from "../../provider/clouds/oss/signer";
import { NotFoundError } from "../../provider/core/errors";
import type { RequestLogEntry } from "../../provider/emulator/admin";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import { forEachLimited } from "../support/concurrency";
import { send, type Reply } from "../support/http";

const BUCKET = "examplebucket";
const DEST_BUCKET = "destination-bucket";
/** A name valid in both clouds, for the side-by-side test. */
const SHARED_BUCKET = "examplebucket-1250000000";
const REGION = "cn-hangzhou";
const VHOST = `${BUCKET}.oss-${REGION}.aliyuncs.com`;
const ACCOUNT = "1000000000000000";
const AK = "LTAI5tOssEmulatorTestKey";
const SK = "oss-emulator-test-access-key-secret";
const REQUEST_ID = /^[0-9A-F]{24}$/;

interface SignedOptions {
  method: string;
  /** Query parameters in URL order; `undefined` is sent valueless (`?inventory`), `""` as `inventory=`. */
  query: [string, string | undefined][];
  bucket?: string;
  /** Bucket in the Host (`<bucket>.oss-<region>.aliyuncs.com`, the default) or in the path. */
  style?: "path" | "virtual";
  body?: string;
  /** Content-MD5 to send: default the body's; null sends none. */
  md5?: string | null;
  version?: 1 | 4;
  accessKeyId?: string;
  secret?: string;
  /** The request's date, epoch ms; default now. */
  timeMs?: number;
  securityToken?: string;
  /** Change the Authorization header after signing. */
  tamper?: (authorization: string) => string;
  /** Change the query after signing (what is sent, not what was signed). */
  sendQuery?: [string, string | undefined][];
}

const md5 = (s: string): string => createHash("md5").update(s, "utf8").digest("base64");

/** Sends a request signed with our OSS signer (V4 unless told otherwise). */
function signed(emu: RunningEmulator, o: SignedOptions): Promise<Reply> {
  const bucket = o.bucket ?? BUCKET;
  const style = o.style ?? "virtual";
  const headers: Record<string, string> = {
    Host: style === "virtual" ? `${bucket}.oss-${REGION}.aliyuncs.com` : `127.0.0.1:${emu.port}`,
  };
  if (o.body !== undefined) {
    headers["Content-Type"] = "application/xml";
    headers["Content-Length"] = String(Buffer.byteLength(o.body));
    const digest = o.md5 === undefined ? md5(o.body) : o.md5;
    if (digest !== null) headers["Content-MD5"] = digest;
  }
  const time = o.timeMs ?? Date.now();
  const version = o.version ?? 4;
  const creds = {
    accessKeyId: o.accessKeyId ?? AK,
    accessKeySecret: o.secret ?? SK,
    securityToken: o.securityToken,
  };
  if (o.securityToken) headers["x-oss-security-token"] = o.securityToken;
  const query = Object.fromEntries(o.query.map(([k, v]) => [k, v ?? ""]));
  const signable = { method: o.method, bucket, key: "", query, headers };
  let auth: string;
  if (version === 4) {
    headers["x-oss-date"] = ossV4Date(time);
    headers["x-oss-content-sha256"] = "UNSIGNED-PAYLOAD";
    auth = authorizeV4(creds, signable, { region: REGION });
  } else {
    headers["x-oss-date"] = ossV1Date(time);
    auth = authorizeV1(creds, signable);
  }
  headers.Authorization = o.tamper ? o.tamper(auth) : auth;
  const params = (o.sendQuery ?? o.query).map(([k, v]) =>
    v === undefined ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
  const p = `${style === "path" ? `/${bucket}/` : "/"}${params.length ? `?${params.join("&")}` : ""}`;
  return send(emu.url, { method: o.method, path: p, headers, body: o.body });
}

function config(id: string, overrides: Partial<OssInventoryConfiguration> = {}): OssInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    filter: { prefix: "logs/" },
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      prefix: "reports",
      encryption: { type: "SSE-OSS" },
    },
    schedule: { frequency: "Daily" },
    includedObjectVersions: "All",
    optionalFields: ["Size", "LastModifiedDate", "ETag"],
    ...overrides,
  };
}

const withId = (id: string): [string, string | undefined][] => [
  ["inventory", undefined],
  ["inventoryId", id],
];
const put = (
  emu: RunningEmulator,
  id: string,
  body = encodeInventoryConfiguration(config(id)),
  extra: Partial<SignedOptions> = {},
) => signed(emu, { method: "PUT", query: withId(id), body, ...extra });
const get = (emu: RunningEmulator, id: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, { method: "GET", query: withId(id), ...extra });
const del = (emu: RunningEmulator, id: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, { method: "DELETE", query: withId(id), ...extra });
const list = (emu: RunningEmulator, token?: string, extra: Partial<SignedOptions> = {}) =>
  signed(emu, {
    method: "GET",
    query:
      token === undefined
        ? [["inventory", undefined]]
        : [
            ["inventory", undefined],
            ["continuation-token", token],
          ],
    ...extra,
  });

/** Asserts an OSS error answer (status, code, optional EC) and returns its decoded body. */
function expectOssError(
  reply: Reply,
  status: number,
  code: string,
  ec?: string,
): ReturnType<typeof decodeErrorBody> {
  const body = decodeErrorBody(reply.body);
  expect({ status: reply.status, code: body.code }).toEqual({ status, code });
  expect(reply.headers["content-type"]).toBe("application/xml");
  expect(reply.headers.server).toBe("AliyunOSS");
  expect(reply.body.startsWith(`${OSS_XML_DECLARATION}<Error><Code>`)).toBe(true);
  expect(reply.headers["x-oss-request-id"]).toMatch(REQUEST_ID);
  expect(body.requestId).toBe(reply.headers["x-oss-request-id"]);
  expect(body.message).toEqual(expect.any(String));
  expect(reply.body).toContain("<HostId>");
  if (ec !== undefined) expect(body.ec).toBe(ec);
  return body;
}

const admin = {
  requests: async (emu: RunningEmulator) =>
    JSON.parse(
      (await send(emu.url, { method: "GET", path: "/_emulator/requests" })).body,
    ) as RequestLogEntry[],
  fault: async (emu: RunningEmulator, spec: unknown) => {
    const r = await send(emu.url, {
      method: "POST",
      path: "/_emulator/faults",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec),
    });
    expect(r.status).toBe(201);
  },
  reset: async (emu: RunningEmulator) =>
    expect(
      (
        await send(emu.url, {
          method: "POST",
          path: "/_emulator/reset",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(204),
  jobs: async (emu: RunningEmulator) =>
    JSON.parse((await send(emu.url, { method: "GET", path: "/_emulator/jobs" })).body) as Record<
      string,
      { dialect: string; id: string; body: string }[]
    >,
};

/** Puts `count` OSS jobs straight into the store (fast setup for paging and limits). */
async function seed(emu: RunningEmulator, count: number, bucket = BUCKET): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `job-${String(i).padStart(4, "0")}`);
  for (const id of ids) {
    await emu.store.put(bucket, { dialect: "oss", id, body: encodeInventoryConfiguration(config(id)) });
  }
  return ids;
}

describe("the OSS dialect with our signer", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      buckets: [BUCKET, DEST_BUCKET, SHARED_BUCKET],
      credentials: [{ id: AK, secret: SK }],
      admin: true,
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => admin.reset(emu));

  describe("chosen per request, next to COS on the same server", () => {
    const cosConfig = (id: string): CosInventoryConfiguration => ({
      id,
      isEnabled: true,
      includedObjectVersions: "Current",
      schedule: { frequency: "Weekly" },
      filter: { prefix: "cos-side/" },
      optionalFields: ["Size"],
      destination: {
        format: "CSV",
        accountId: "100000000001",
        bucket: `qcs::cos:ap-guangzhou::${SHARED_BUCKET}`,
      },
    });
    const cosClient = () =>
      new CosInventoryClient({
        credentials: { secretId: AK, secretKey: SK },
        region: "ap-guangzhou",
        endpoint: { kind: "path", baseUrl: emu.url },
        transport: { baseDelayMs: 1 },
      });
    const ossClient = (version: OssSignatureVersion) =>
      new OssInventoryClient({
        credentials: { accessKeyId: AK, accessKeySecret: SK },
        region: REGION,
        endpoint: { kind: "path", baseUrl: emu.url },
        signatureVersion: version,
        transport: { baseDelayMs: 1 },
      });

    test("a COS request and an OSS request both succeed; one bucket name holds separate jobs per dialect", async () => {
      const cos = cosClient();
      const oss = ossClient("v4");
      await cos.put(SHARED_BUCKET, cosConfig("shared"));
      await oss.put(SHARED_BUCKET, config("shared"));
      await ossClient("v1").put(SHARED_BUCKET, config("oss-only"));

      expect(await cos.get(SHARED_BUCKET, "shared")).toEqual(cosConfig("shared"));
      expect(await oss.get(SHARED_BUCKET, "shared")).toStrictEqual(config("shared"));
      expect((await cos.list(SHARED_BUCKET)).map((c) => c.id)).toEqual(["shared"]);
      expect((await oss.list(SHARED_BUCKET)).map((c) => c.id)).toEqual(["oss-only", "shared"]);
      expect((await admin.jobs(emu))[SHARED_BUCKET].map((j) => [j.dialect, j.id])).toEqual([
        ["cos", "shared"],
        ["oss", "oss-only"],
        ["oss", "shared"],
      ]);
      await expect(cos.get(SHARED_BUCKET, "oss-only")).rejects.toBeInstanceOf(NotFoundError);

      // Deleting one dialect's job leaves the other's.
      await oss.delete(SHARED_BUCKET, "shared");
      expect(await cos.get(SHARED_BUCKET, "shared")).toEqual(cosConfig("shared"));
      await expect(oss.get(SHARED_BUCKET, "shared")).rejects.toBeInstanceOf(NotFoundError);

      const log = await admin.requests(emu);
      expect(log.map((e) => [e.dialect, e.method, e.operation, e.status])).toEqual([
        ["cos", "PUT", "put", 200],
        ["oss", "PUT", "put", 200],
        ["oss", "PUT", "put", 200],
        ["cos", "GET", "get", 200],
        ["oss", "GET", "get", 200],
        ["cos", "GET", "list", 200],
        ["oss", "GET", "list", 200],
        ["cos", "GET", "get", 404],
        ["oss", "DELETE", "delete", 204],
        ["cos", "GET", "get", 200],
        ["oss", "GET", "get", 404],
      ]);
    });

    test("recognised by the signature scheme alone, or by OSS hints on unsigned requests", async () => {
      // Signed OSS requests: the scheme decides, whatever the Host.
      expect((await list(emu, undefined, { version: 1, style: "path" })).status).toBe(200);
      expect((await list(emu, undefined, { version: 4, style: "path" })).status).toBe(200);
      // Nothing but the Authorization scheme says OSS here: a plain Date, no x-oss-* header,
      // no inventoryId, an IP Host. COS (the fallback) would refuse it.
      const plain: Record<string, string> = { Host: `127.0.0.1:${emu.port}`, Date: new Date().toUTCString() };
      plain.Authorization = authorizeV1(
        { accessKeyId: AK, accessKeySecret: SK },
        { method: "GET", bucket: BUCKET, key: "", query: { inventory: "" }, headers: plain },
      );
      const byScheme = await send(emu.url, { method: "GET", path: `/${BUCKET}/?inventory`, headers: plain });
      expect(byScheme.status).toBe(200);
      expect(byScheme.headers["x-oss-request-id"]).toMatch(REQUEST_ID);
      expect(byScheme.body).toContain("<ListInventoryConfigurationsResult>");
      // Unsigned, with an OSS hint: answered in OSS's format.
      expectOssError(
        await send(emu.url, { method: "GET", path: `/${BUCKET}/?inventory&inventoryId=x` }),
        403,
        "AccessDenied",
      );
      expectOssError(
        await send(emu.url, { method: "GET", path: "/?inventory", headers: { Host: VHOST } }),
        403,
        "AccessDenied",
      );
      expectOssError(
        await send(emu.url, {
          method: "GET",
          path: `/${BUCKET}/?inventory`,
          headers: { "x-oss-date": ossV1Date(Date.now()) },
        }),
        403,
        "AccessDenied",
      );
      // Unsigned without any hint: the first dialect (COS) answers.
      const cosAnswer = await send(emu.url, { method: "GET", path: `/${SHARED_BUCKET}/?inventory&id=x` });
      expect(cosAnswer.status).toBe(403);
      expect(cosAnswer.headers["x-cos-request-id"]).toEqual(expect.any(String));
      expect(cosAnswer.headers["x-oss-request-id"]).toBeUndefined();
      expect((await admin.requests(emu)).map((e) => e.dialect)).toEqual([
        "oss",
        "oss",
        "oss",
        "oss",
        "oss",
        "oss",
        "cos",
      ]);
    });

    test("a fault matched to the OSS dialect hits OSS requests only, answered in OSS's format", async () => {
      await admin.fault(emu, { match: { dialect: "oss" }, count: 1, status: 503 });
      expect((await cosClient().list(SHARED_BUCKET)).length).toBe(0);
      const hit = await list(emu);
      expectOssError(hit, 503, "SlowDown");
      expect((await list(emu)).status).toBe(200);
      expect((await admin.requests(emu)).map((e) => [e.dialect, e.status, e.fault !== undefined])).toEqual([
        ["cos", 200, false],
        ["oss", 503, true],
        ["oss", 200, false],
      ]);
    });
  });

  describe("signature and date checks", () => {
    test("unsigned → 403 AccessDenied; an unparsable Authorization → 400 InvalidArgument", async () => {
      expectOssError(await get(emu, "x", { tamper: () => "" }), 403, "AccessDenied");
      for (const garbage of [
        "OSS garbage",
        `OSS ${AK}:not-base64`,
        `OSS4-HMAC-SHA256 Credential=${AK}`,
        `OSS4-HMAC-SHA256 Credential=${AK}/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=${"0".repeat(64)}`,
        `OSS4-HMAC-SHA256 Credential=${AK}/20231399/cn-hangzhou/oss/aliyun_v4_request,Signature=${"0".repeat(64)}`,
      ]) {
        const body = expectOssError(await get(emu, "x", { tamper: () => garbage }), 400, "InvalidArgument");
        expect(body.message).toMatch(/Authorization/);
      }
    });

    test.each([1, 4] as const)(
      "V%i: unknown key → InvalidAccessKeyId; wrong signature → SignatureDoesNotMatch with EC and SignatureProvided",
      async (version) => {
        expectOssError(
          await list(emu, undefined, { version, accessKeyId: "LTAI5tNobody" }),
          403,
          "InvalidAccessKeyId",
        );

        let auth = "";
        const wrongKey = await put(emu, "x", undefined, {
          version,
          secret: "not-the-secret",
          tamper: (a) => (auth = a),
        });
        const body = expectOssError(wrongKey, 403, "SignatureDoesNotMatch", "0002-00000040");
        const sig =
          version === 4 ? /,Signature=([0-9a-f]{64})$/.exec(auth)?.[1] : auth.slice(auth.indexOf(":") + 1);
        expect(sig).toEqual(expect.any(String));
        expect(body.signatureProvided).toBe(sig);
        expect(wrongKey.body).toContain(`<SignatureProvided>${sig}</SignatureProvided>`);

        // A tampered signature (still well-formed), and a query changed after signing.
        const flip = (a: string) =>
          version === 4
            ? a.replace(/.$/, (c) => (c === "0" ? "1" : "0"))
            : a.replace(/:(.)/, (_m, c: string) => `:${c === "A" ? "B" : "A"}`);
        expectOssError(
          await get(emu, "x", { version, tamper: flip }),
          403,
          "SignatureDoesNotMatch",
          "0002-00000040",
        );
        expectOssError(
          await get(emu, "x", { version, sendQuery: withId("other") }),
          403,
          "SignatureDoesNotMatch",
          "0002-00000040",
        );
        expect((await admin.requests(emu)).map((e) => [e.status, e.code])).toEqual([
          [403, "InvalidAccessKeyId"],
          [403, "SignatureDoesNotMatch"],
          [403, "SignatureDoesNotMatch"],
          [403, "SignatureDoesNotMatch"],
        ]);
        expect(emu.store.list(BUCKET, "oss")).toEqual([]);
      },
    );

    test("V4: a scope date unlike x-oss-date, or a scope that is not oss's, is SignatureDoesNotMatch", async () => {
      const otherDay = (a: string) =>
        a.replace(
          /Credential=([^/]+)\/(\d{8})\//,
          (_m, ak: string, d: string) => `Credential=${ak}/${d === "20200101" ? "20200102" : "20200101"}/`,
        );
      expectOssError(await list(emu, undefined, { tamper: otherDay }), 403, "SignatureDoesNotMatch");
      const otherService = (a: string) => a.replace("/oss/aliyun_v4_request", "/ecs/aliyun_v4_request");
      expectOssError(await list(emu, undefined, { tamper: otherService }), 403, "SignatureDoesNotMatch");
    });

    test.each([1, 4] as const)(
      "V%i: a date more than 15 minutes off → 403 RequestTimeTooSkewed; within 15 minutes is fine",
      async (version) => {
        const now = Date.now();
        for (const off of [16 * 60_000, -16 * 60_000, 86_400_000]) {
          expectOssError(
            await list(emu, undefined, { version, timeMs: now + off }),
            403,
            "RequestTimeTooSkewed",
          );
        }
        for (const off of [14 * 60_000, -14 * 60_000]) {
          expect((await list(emu, undefined, { version, timeMs: now + off })).status).toBe(200);
        }
      },
    );

    test("V1 signed without any date → RequestTimeTooSkewed or SignatureDoesNotMatch, never accepted", async () => {
      // A V1 signature over a Date header, sent without it.
      const headers: Record<string, string> = { Host: VHOST, Date: ossV1Date(Date.now()) };
      const auth = authorizeV1(
        { accessKeyId: AK, accessKeySecret: SK },
        { method: "GET", bucket: BUCKET, key: "", query: { inventory: "" }, headers },
      );
      const r = await send(emu.url, {
        method: "GET",
        path: "/?inventory",
        headers: { Host: VHOST, Authorization: auth },
      });
      expect(r.status).toBe(403);
      expect(["SignatureDoesNotMatch", "RequestTimeTooSkewed"]).toContain(decodeErrorBody(r.body).code);
      // With the Date header (go-sdk-v2 style), it is accepted.
      expect(
        (
          await send(emu.url, {
            method: "GET",
            path: "/?inventory",
            headers: { ...headers, Authorization: auth },
          })
        ).status,
      ).toBe(200);

      // A date that is signed but cannot be read as a time.
      const garbled: Record<string, string> = { Host: VHOST, "x-oss-date": "the day before yesterday" };
      garbled.Authorization = authorizeV1(
        { accessKeyId: AK, accessKeySecret: SK },
        { method: "GET", bucket: BUCKET, key: "", query: { inventory: "" }, headers: garbled },
      );
      expectOssError(
        await send(emu.url, { method: "GET", path: "/?inventory", headers: garbled }),
        403,
        "RequestTimeTooSkewed",
      );
    });

    test("the signature must cover inventory, inventoryId and continuation-token; nothing is deleted otherwise", async () => {
      expect((await put(emu, "victim")).status).toBe(200);
      const stored = (): string | undefined => emu.store.get(BUCKET, "oss", "victim")?.body;
      const before = stored();
      for (const version of [1, 4] as const) {
        // Signed for another job, sent for the victim.
        expectOssError(
          await del(emu, "decoy", { version, sendQuery: withId("victim") }),
          403,
          "SignatureDoesNotMatch",
        );
        // Signed without any id, sent with one.
        expectOssError(
          await signed(emu, {
            method: "DELETE",
            query: [["inventory", undefined]],
            sendQuery: withId("victim"),
            version,
          }),
          403,
          "SignatureDoesNotMatch",
        );
        // A list signed for one page, sent for another.
        expectOssError(
          await list(emu, "CAEQARiBgID", {
            version,
            sendQuery: [
              ["inventory", undefined],
              ["continuation-token", "CAEQARiBgIE"],
            ],
          }),
          403,
          "SignatureDoesNotMatch",
        );
      }
      expect(stored()).toBe(before);

      // V1 covers only its listed sub-resources. Should that list ever lose inventoryId
      // (client and emulator share it), the emulator still refuses such a signature.
      const v1Set = OSS_V1_SIGNED_SUBRESOURCES as Set<string>;
      v1Set.delete("inventoryId");
      try {
        const r = expectOssError(await del(emu, "victim", { version: 1 }), 403, "AccessDenied");
        expect(r.message).toMatch(/unsigned: inventoryId/);
      } finally {
        v1Set.add("inventoryId");
      }
      expect(stored()).toBe(before);
      expect((await del(emu, "victim", { version: 1 })).status).toBe(204);
      expect(stored()).toBeUndefined();
    });

    test("temporary credentials: a signed x-oss-security-token is accepted (V1 and V4)", async () => {
      expect((await put(emu, "sts", undefined, { version: 1, securityToken: "STS.token" })).status).toBe(200);
      expect((await get(emu, "sts", { version: 4, securityToken: "STS.token" })).status).toBe(200);
    });
  });

  describe("bucket and operation", () => {
    test("unknown bucket → 404 NoSuchBucket with BucketName and EC, in both addressing styles", async () => {
      for (const style of ["virtual", "path"] as const) {
        const body = expectOssError(
          await list(emu, undefined, { bucket: "nosuchbucket", style }),
          404,
          "NoSuchBucket",
          "0015-00000101",
        );
        expect(body.bucketName).toBe("nosuchbucket");
      }
      // No bucket named at all (an IP Host and the root path).
      const headers: Record<string, string> = {
        Host: `127.0.0.1:${emu.port}`,
        "x-oss-date": ossV4Date(Date.now()),
        "x-oss-content-sha256": "UNSIGNED-PAYLOAD",
      };
      headers.Authorization = authorizeV4(
        { accessKeyId: AK, accessKeySecret: SK },
        { method: "GET", key: "", query: { inventory: "" }, headers },
        { region: REGION },
      );
      const none = expectOssError(
        await send(emu.url, { method: "GET", path: "/?inventory", headers }),
        404,
        "NoSuchBucket",
      );
      expect(none.bucketName).toBeUndefined();
    });

    test("not an inventory call → 501 NotImplemented; another method → 405 MethodNotAllowed; PUT without inventoryId → 400", async () => {
      expectOssError(
        await signed(emu, { method: "GET", query: [["acl", undefined]] }),
        501,
        "NotImplemented",
      );
      expectOssError(await signed(emu, { method: "POST", query: withId("x") }), 405, "MethodNotAllowed");
      const noId = expectOssError(
        await signed(emu, {
          method: "PUT",
          query: [["inventory", undefined]],
          body: encodeInventoryConfiguration(config("x")),
        }),
        400,
        "InvalidArgument",
      );
      expect(noId.message).toMatch(/inventoryId/);
      expectOssError(
        await signed(emu, { method: "DELETE", query: [["inventory", undefined]] }),
        400,
        "InvalidArgument",
      );
    });
  });

  describe("HEAD: bodiless errors", () => {
    test("the error XML travels base64-encoded in x-oss-err, and our client's error reader finds it there", async () => {
      const signedHead = await signed(emu, { method: "HEAD", query: withId("x") });
      const unsigned = await send(emu.url, { method: "HEAD", path: `/${BUCKET}/?inventory&inventoryId=x` });
      for (const [reply, status, code] of [
        [signedHead, 405, "MethodNotAllowed"],
        [unsigned, 403, "AccessDenied"],
      ] as const) {
        expect(reply.status).toBe(status);
        expect(reply.body).toBe("");
        const header = String(reply.headers["x-oss-err"]);
        const decoded = decodeErrorBody(Buffer.from(header, "base64").toString("utf8"));
        expect(decoded.code).toBe(code);
        expect(decoded.requestId).toBe(reply.headers["x-oss-request-id"]);

        const e = toOssCloudError(
          {
            status: reply.status,
            headers: Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k, String(v)])),
            body: Buffer.alloc(0),
          },
          "HEAD inventory x",
        );
        expect({ status: e.statusCode, code: e.code, requestId: e.requestId }).toEqual({
          status,
          code,
          requestId: reply.headers["x-oss-request-id"],
        });
      }
      // Answers with a body do not repeat it in a header.
      expect((await get(emu, "x")).headers["x-oss-err"]).toBeUndefined();
    });
  });

  describe("put, get, list, delete", () => {
    test("put 200 (empty), get 200 (the canonical XML), delete 204 (no body), then 404 NoSuchInventory", async () => {
      const cfg = config("daily");
      const p = await put(emu, "daily", encodeInventoryConfiguration(cfg), { style: "path" });
      expect(p.status).toBe(200);
      expect(p.body).toBe("");
      expect(p.headers["x-oss-request-id"]).toMatch(REQUEST_ID);
      expect(Math.abs(Date.parse(String(p.headers.date)) - Date.now())).toBeLessThan(10_000);

      const g = await get(emu, "daily");
      expect(g.status).toBe(200);
      expect(g.headers["content-type"]).toBe("application/xml");
      expect(g.body).toBe(encodeInventoryConfiguration(cfg));
      expect(decodeInventoryConfiguration(g.body)).toStrictEqual(cfg);

      // A 409 on an existing id, whatever the body says.
      expectOssError(
        await put(emu, "daily", encodeInventoryConfiguration(config("daily", { isEnabled: false })), {
          version: 1,
        }),
        409,
        "InventoryConfigurationAlreadyExists",
      );
      expect((await get(emu, "daily")).body).toBe(g.body);

      const d = await del(emu, "daily", { version: 1 });
      expect(d.status).toBe(204);
      expect(d.body).toBe("");
      expect(d.headers["content-length"]).toBeUndefined();
      expect(d.headers["content-type"]).toBeUndefined();
      expect(d.headers["x-oss-request-id"]).toMatch(REQUEST_ID);

      expectOssError(await get(emu, "daily"), 404, "NoSuchInventory");
      expectOssError(await del(emu, "daily"), 404, "NoSuchInventory");
      // The id can be used again once deleted.
      expect((await put(emu, "daily")).status).toBe(200);
    });

    test("every response has x-oss-request-id (24 upper-case hex digits, all different), equal to RequestId on errors", async () => {
      const replies = [
        await put(emu, "ids"),
        await put(emu, "ids"),
        await get(emu, "ids"),
        await get(emu, "nope"),
        await list(emu),
        await list(emu, "bad-token!"),
        await del(emu, "ids"),
        await list(emu, undefined, { secret: "wrong" }),
        await send(emu.url, { method: "GET", path: `/${BUCKET}/?inventory&inventoryId=x` }),
      ];
      expect(replies.map((r) => r.status)).toEqual([200, 409, 200, 404, 200, 400, 204, 403, 403]);
      const ids = replies.map((r) => r.headers["x-oss-request-id"]);
      for (const [i, r] of replies.entries()) {
        expect(ids[i]).toMatch(REQUEST_ID);
        expect(r.headers.date).toEqual(expect.any(String));
        if (r.status >= 300) expect(decodeErrorBody(r.body).requestId).toBe(ids[i]);
      }
      expect(new Set(ids).size).toBe(replies.length);
    });
  });

  describe("PUT body checks", () => {
    test("Content-MD5: wrong or not an MD5 → 400 InvalidDigest; missing is accepted", async () => {
      const body = encodeInventoryConfiguration(config("md5"));
      expectOssError(await put(emu, "md5", body, { md5: md5(body + " ") }), 400, "InvalidDigest");
      expectOssError(await put(emu, "md5", body, { md5: "bm90LWFuLW1kNQ==" }), 400, "InvalidDigest");
      expectOssError(await put(emu, "md5", body, { md5: "not base64 at all" }), 400, "InvalidDigest");
      expectOssError(await get(emu, "md5"), 404, "NoSuchInventory");
      expect((await put(emu, "md5", body, { md5: null })).status).toBe(200);
      expect((await get(emu, "md5")).body).toBe(body);
    });

    test("malformed XML or a missing required element → 400 MalformedXML with EC 0016-00000608", async () => {
      const good = encodeInventoryConfiguration(config("bad"));
      for (const body of [
        "<InventoryConfiguration><Id>bad</Id>",
        "not xml at all",
        "",
        "<InventoryConfiguration><Id>bad</Id></InventoryConfiguration>",
        good.replace(/<RoleArn>.*<\/RoleArn>/, ""),
        good.replace("<IsEnabled>true</IsEnabled>", "<IsEnabled>yes</IsEnabled>"),
        good
          .replace("InventoryConfiguration>", "Inventory>")
          .replace("</InventoryConfiguration>", "</Inventory>"),
      ]) {
        const e = expectOssError(await put(emu, "bad", body), 400, "MalformedXML", "0016-00000608");
        expect(e.message).toMatch(/XML/);
      }
      // One decode policy for both clouds (issue 11): the decoder passes an
      // unknown frequency through and the rules refuse it, so this body is
      // now 400 InvalidArgument naming the property (it was MalformedXML).
      const hourly = good.replace("<Frequency>Daily</Frequency>", "<Frequency>Hourly</Frequency>");
      const e = expectOssError(await put(emu, "bad", hourly), 400, "InvalidArgument");
      expect(e.message).toContain("schedule.frequency ");
      expect(emu.store.list(BUCKET, "oss")).toEqual([]);
    });

    test("URL inventoryId ≠ body Id → 400 InvalidArgument with EC 0020-00000043", async () => {
      const e = expectOssError(
        await put(emu, "url-id", encodeInventoryConfiguration(config("body-id"))),
        400,
        "InvalidArgument",
        "0020-00000043",
      );
      expect(e.message).toContain("body-id");
      expect(e.message).toContain("url-id");
    });

    // The rules name model paths on both clouds (issue 11: one failure-path
    // convention, as the COS emulator already reported); these were wire
    // paths such as "Destination.OSSBucketDestination.RoleArn".
    test.each<[string, OssInventoryConfiguration, string]>([
      ["an unknown optional field", config("r", { optionalFields: ["Size", "Owner"] }), "optionalFields[1]"],
      ["a repeated optional field", config("r", { optionalFields: ["Size", "Size"] }), "optionalFields[1]"],
      [
        "a bad RoleArn",
        config("r", { destination: { ...config("r").destination, roleArn: "AliyunOSSRole" } }),
        "destination.roleArn",
      ],
      [
        "a bare destination bucket",
        config("r", { destination: { ...config("r").destination, bucket: DEST_BUCKET } }),
        "destination.bucket",
      ],
      [
        "a format other than CSV",
        config("r", { destination: { ...config("r").destination, format: "ORC" } }),
        "destination.format",
      ],
      [
        "a non-numeric account",
        config("r", { destination: { ...config("r").destination, accountId: "acct" } }),
        "destination.accountId",
      ],
      [
        "SSE-KMS without a key id",
        config("r", {
          destination: { ...config("r").destination, encryption: { type: "SSE-KMS", keyId: "" } },
        }),
        "destination.encryption.keyId",
      ],
      [
        "a timestamp before 2010",
        config("r", { filter: { lastModifyBeginTimeStamp: 1000 } }),
        "filter.lastModifyBeginTimeStamp",
      ],
      [
        "begin after end",
        config("r", { filter: { lastModifyBeginTimeStamp: 1700000000, lastModifyEndTimeStamp: 1600000000 } }),
        "filter.lastModifyBeginTimeStamp",
      ],
      [
        "lower bound above upper",
        config("r", { filter: { lowerSizeBound: 10, upperSizeBound: 5 } }),
        "filter.lowerSizeBound",
      ],
      ["an upper bound of 0", config("r", { filter: { upperSizeBound: 0 } }), "filter.upperSizeBound"],
      [
        "an unknown storage class",
        config("r", { filter: { storageClass: "Standard,Glacier" } }),
        "filter.storageClass",
      ],
      ["an id with other characters", config("bad+id"), "id"],
    ])("a rule broken (%s) → 400 InvalidArgument naming the field", async (_name, cfg, field) => {
      const e = expectOssError(
        await put(emu, cfg.id, encodeInventoryConfiguration(cfg)),
        400,
        "InvalidArgument",
      );
      expect(e.message).toContain(`${field} `);
      expect(emu.store.list(BUCKET, "oss")).toEqual([]);
    });
  });

  describe("list and limits", () => {
    test("list pages by 100 with NextContinuationToken, in id order; the last page has no token", async () => {
      const ids = await seed(emu, 250);
      const seen: string[] = [];
      const sizes: number[] = [];
      let token: string | undefined;
      for (let page = 0; page < 5; page++) {
        const r = await list(emu, token, { version: page % 2 === 0 ? 4 : 1 });
        expect(r.status).toBe(200);
        expect(r.headers["content-type"]).toBe("application/xml");
        expect(r.body.startsWith(`${OSS_XML_DECLARATION}<ListInventoryConfigurationsResult>`)).toBe(true);
        expect(r.body).not.toContain("<ContinuationToken>");
        const decoded = decodeListPage(r.body);
        seen.push(...decoded.configurations.map((c) => c.id));
        sizes.push(decoded.configurations.length);
        if (!decoded.isTruncated) {
          expect(r.body).toContain("<IsTruncated>false</IsTruncated>");
          expect(r.body).not.toContain("NextContinuationToken");
          break;
        }
        expect(r.body).toContain("<IsTruncated>true</IsTruncated>");
        token = decoded.nextContinuationToken;
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      }
      expect(sizes).toEqual([100, 100, 50]);
      expect(seen).toEqual(ids);
      expect(decodeListPage((await list(emu, undefined, { bucket: DEST_BUCKET })).body)).toStrictEqual({
        configurations: [],
        isTruncated: false,
      });
    });

    test("a token the emulator did not issue → 400 InvalidArgument", async () => {
      await seed(emu, 150);
      for (const bad of ["not-a-token", "!!", Buffer.from("v2:job-0001").toString("base64url")]) {
        const e = expectOssError(await list(emu, bad), 400, "InvalidArgument");
        expect(e.message).toMatch(/continuation-token/);
      }
    });

    test("a bucket at 1,000 jobs refuses a new id with 400 TooManyInventoryConfigurations", async () => {
      await seed(emu, 1000);
      expectOssError(await put(emu, "job-1000"), 400, "TooManyInventoryConfigurations");
      expectOssError(await put(emu, "job-0999"), 409, "InventoryConfigurationAlreadyExists");
      expect(emu.store.count(BUCKET, "oss")).toBe(1000);
      // Other buckets and the COS side are not affected.
      expect((await put(emu, "job-1000", undefined, { bucket: DEST_BUCKET })).status).toBe(200);
    }, 30_000);
  });
});

// ---------------------------------------------------------------------------
// ali-oss

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
async function aliFailure(p: Promise<unknown>): Promise<AliError> {
  try {
    await p;
  } catch (err) {
    return err as AliError;
  }
  throw new Error("expected the ali-oss call to fail");
}

/** What ali-oss can send: it escapes nothing, so no & or <, but > " ' and non-ASCII go through raw. */
const ALI_PREFIX = `logs/>"'/数据-é/`;
const ALI_REPORT_PREFIX = `reports/>"'/報告`;

/** A job in ali-oss's input shape using everything ali-oss can express. */
function aliFull(id: string): AliInventoryInput {
  return {
    id,
    isEnabled: true,
    prefix: ALI_PREFIX,
    OSSBucketDestination: {
      format: "CSV",
      accountId: ACCOUNT,
      rolename: "AliyunOSSRole",
      bucket: DEST_BUCKET,
      prefix: ALI_REPORT_PREFIX,
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
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      prefix: ALI_REPORT_PREFIX,
      encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
    },
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
    OSSBucketDestination: {
      format: "CSV",
      accountId: ACCOUNT,
      rolename: "inventory-writer",
      bucket: DEST_BUCKET,
      encryption: { "SSE-OSS": "" },
    },
    frequency: "Daily",
    includedObjectVersions: "Current",
  };
}

function aliBareModel(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/inventory-writer`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      encryption: { type: "SSE-OSS" },
    },
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
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      prefix: `reports/${SPECIAL}`,
      encryption: { type: "SSE-KMS", keyId: `key-${SPECIAL}` },
    },
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
    OSSBucketDestination: {
      format: "CSV",
      accountId: ACCOUNT,
      rolename: "AliyunOSSRole",
      bucket: DEST_BUCKET,
      prefix: `reports/${SPECIAL}`,
      encryption: { "SSE-KMS": { keyId: `key-${SPECIAL}` } },
    },
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
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
    },
    schedule: { frequency: "Daily" },
    includedObjectVersions: "Current",
    optionalFields: [],
  };
}

function ourMinimalAliView(id: string): AliInventoryView {
  return {
    id,
    isEnabled: false,
    // The empty <Prefix></Prefix> reads as "".
    prefix: "",
    OSSBucketDestination: {
      format: "CSV",
      accountId: ACCOUNT,
      rolename: "AliyunOSSRole",
      bucket: DEST_BUCKET,
    },
    frequency: "Daily",
    schedule: {},
    includedObjectVersions: "Current",
  };
}

describe("the OSS dialect driven by the official ali-oss 6.23.0", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      buckets: [BUCKET, DEST_BUCKET],
      credentials: [{ id: AK, secret: SK }],
      admin: true,
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => admin.reset(emu));

  const ours = (version: OssSignatureVersion) =>
    new OssInventoryClient({
      credentials: { accessKeyId: AK, accessKeySecret: SK },
      region: REGION,
      endpoint: { kind: "path", baseUrl: emu.url },
      signatureVersion: version,
      transport: { baseDelayMs: 1 },
    });

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
      const log = await admin.requests(emu);
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
