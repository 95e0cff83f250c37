// The local emulator's OSS dialect, driven over real HTTP with our own OSS
// signer: every check and error code the dialect answers, paging and limits,
// request ids, OSS-dialect faults, and the dialect chosen per request next to
// COS on the same server. What COS and OSS do alike (lifecycle, unknown
// buckets, Content-MD5) is in emulator-dialects.test.ts; the official ali-oss
// SDK drives it in oss-emulator-ali.test.ts.
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { OSS_ERRORS } from "../../provider/clouds/oss/client";
import {
  OSS_XML_DECLARATION,
  decodeErrorBody,
  decodeListPage,
  encodeInventoryConfiguration,
} from "../../provider/clouds/oss/codec";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { OSS_V1_SIGNED_SUBRESOURCES, authorizeV1, ossV1Date } from "../../provider/clouds/oss/signer";
import { NotFoundError } from "../../provider/core/errors";
import type { RunningEmulator } from "../../provider/emulator/server";
import { emulatorAdmin } from "../support/emulator-suite";
import { send } from "../support/http";
import {
  AK,
  BUCKET,
  DEST_BUCKET,
  REQUEST_ID,
  SK,
  VHOST,
  config,
  del,
  expectOssError,
  get,
  list,
  put,
  signed,
  withId,
  startOssEmulator,
  ossClient,
} from "../support/oss-emulator";

/** A name valid in both clouds, for the side-by-side test. */
const SHARED_BUCKET = "examplebucket-1250000000";

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
    emu = await startOssEmulator(SHARED_BUCKET);
  });
  afterAll(() => emu.close());
  beforeEach(async () => expect(await emulatorAdmin.reset(emu)).toBe(204));

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

    test("a COS request and an OSS request both succeed; one bucket name holds separate jobs per dialect", async () => {
      const cos = cosClient();
      const oss = ossClient(emu, "v4");
      await cos.put(SHARED_BUCKET, cosConfig("shared"));
      await oss.put(SHARED_BUCKET, config("shared"));
      await ossClient(emu, "v1").put(SHARED_BUCKET, config("oss-only"));

      expect(await cos.get(SHARED_BUCKET, "shared")).toEqual(cosConfig("shared"));
      expect(await oss.get(SHARED_BUCKET, "shared")).toStrictEqual(config("shared"));
      expect((await cos.list(SHARED_BUCKET)).map((c) => c.id)).toEqual(["shared"]);
      expect((await oss.list(SHARED_BUCKET)).map((c) => c.id)).toEqual(["oss-only", "shared"]);
      expect((await emulatorAdmin.jobs(emu))[SHARED_BUCKET].map((j) => [j.dialect, j.id])).toEqual([
        ["cos", "shared"],
        ["oss", "oss-only"],
        ["oss", "shared"],
      ]);
      await expect(cos.get(SHARED_BUCKET, "oss-only")).rejects.toBeInstanceOf(NotFoundError);

      // Deleting one dialect's job leaves the other's.
      await oss.delete(SHARED_BUCKET, "shared");
      expect(await cos.get(SHARED_BUCKET, "shared")).toEqual(cosConfig("shared"));
      await expect(oss.get(SHARED_BUCKET, "shared")).rejects.toBeInstanceOf(NotFoundError);

      const log = await emulatorAdmin.requests(emu);
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
      expect((await emulatorAdmin.requests(emu)).map((e) => e.dialect)).toEqual([
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
      expect(
        (await emulatorAdmin.fault(emu, { match: { dialect: "oss" }, count: 1, status: 503 })).status,
      ).toBe(201);
      expect((await cosClient().list(SHARED_BUCKET)).length).toBe(0);
      const hit = await list(emu);
      expectOssError(hit, 503, "SlowDown");
      expect((await list(emu)).status).toBe(200);
      expect(
        (await emulatorAdmin.requests(emu)).map((e) => [e.dialect, e.status, e.fault !== undefined]),
      ).toEqual([
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
        expect((await emulatorAdmin.requests(emu)).map((e) => [e.status, e.code])).toEqual([
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

        const e = OSS_ERRORS.toError(
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
    test("an existing id is 409 whatever the body says (V1); a V1 delete is 204 without a body; the id can be used again", async () => {
      // The lifecycle both dialects share is in emulator-dialects.test.ts.
      expect((await put(emu, "daily")).status).toBe(200);
      const g = await get(emu, "daily");
      expect(g.status).toBe(200);

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
