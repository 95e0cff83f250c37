// Our OSS client (OssInventoryClient) against the local emulator's OSS dialect,
// started in-process on a free port with the admin API on: every field of a
// job round-trips with both signatures (V4, V1) and both endpoint modes (path,
// connect+), a PUT on an existing id is refused with a typed 409, replace()
// reads, deletes and puts (and restores the old job when the new PUT fails),
// list follows continuation tokens through 1,000 jobs, errors are typed (and
// never carry the secret), and the transport's clock-skew correction works on
// OSS error bodies, driven by the emulator's faults. What both clients do alike
// (retries, NoSuchBucket, validation, scripted-server answers) is in
// client.test.ts.
import { inspect } from "util";
import { OSS_ALREADY_EXISTS_CODE, type OssSignatureVersion } from "../../provider/clouds/oss/client";
import { encodeInventoryConfiguration } from "../../provider/clouds/oss/codec";
import { CloudError, NotFoundError } from "../../provider/core/errors";
import type { RunningEmulator } from "../../provider/emulator/server";
import { forEachLimited } from "../support/concurrency";
import { adminCall, startRecorder } from "../support/http";
import { type Mode, injectFault, rejection, requestLog, useEmulator } from "../support/client-emulator";
import {
  AK,
  BUCKET,
  DEST_BUCKET,
  fullConfig,
  minimalConfig,
  ourClient,
  REGION,
  REQUEST_ID,
  SK,
  sseOssConfig,
  VHOST,
} from "../support/client-oss";

const clearLog = (emu: RunningEmulator) => adminCall(emu, "DELETE", "/_emulator/requests");
/** The log as [method, operation, id, status, code] rows. */
const logRows = async (emu: RunningEmulator) =>
  (await requestLog(emu)).map((e) => [e.method, e.operation, e.inventoryId, e.status, e.code ?? null]);

describe("OssInventoryClient against the emulator", () => {
  const emu = useEmulator([BUCKET, DEST_BUCKET], { id: AK, secret: SK });

  describe.each<[OssSignatureVersion, Mode]>([
    ["v4", "path"],
    ["v4", "connect"],
    ["v1", "path"],
    ["v1", "connect"],
  ])("%s signature, %s endpoint mode", (version, mode) => {
    test("put, get, list and delete round-trip every field, specials and non-ASCII included", async () => {
      const client = ourClient(emu().url, version, mode);
      const full = fullConfig("weekly-all.v1");
      const sse = sseOssConfig("daily_current-2");
      const minimal = minimalConfig("a-minimal");

      for (const cfg of [full, sse, minimal]) await client.put(BUCKET, cfg);
      expect(await client.get(BUCKET, full.id)).toStrictEqual(full);
      expect(await client.get(BUCKET, sse.id)).toStrictEqual(sse);
      expect(await client.get(BUCKET, minimal.id)).toStrictEqual(minimal);
      // The list is in id order.
      expect(await client.list(BUCKET)).toStrictEqual([minimal, sse, full]);
      expect(await client.listPage(BUCKET)).toStrictEqual({
        configurations: [minimal, sse, full],
        isTruncated: false,
      });

      for (const cfg of [full, sse, minimal]) await client.delete(BUCKET, cfg.id);
      await rejection(client.get(BUCKET, full.id), NotFoundError);
      expect(await client.list(BUCKET)).toEqual([]);

      const log = await requestLog(emu());
      expect(log.map((e) => [e.method, e.bucket, e.operation, e.inventoryId, e.status])).toEqual([
        ["PUT", BUCKET, "put", full.id, 200],
        ["PUT", BUCKET, "put", sse.id, 200],
        ["PUT", BUCKET, "put", minimal.id, 200],
        ["GET", BUCKET, "get", full.id, 200],
        ["GET", BUCKET, "get", sse.id, 200],
        ["GET", BUCKET, "get", minimal.id, 200],
        ["GET", BUCKET, "list", null, 200],
        ["GET", BUCKET, "list", null, 200],
        ["DELETE", BUCKET, "delete", full.id, 204],
        ["DELETE", BUCKET, "delete", sse.id, 204],
        ["DELETE", BUCKET, "delete", minimal.id, 204],
        ["GET", BUCKET, "get", full.id, 404],
        ["GET", BUCKET, "list", null, 200],
      ]);
      expect(log.every((e) => e.dialect === "oss")).toBe(true);
    });

    test("on the wire: addressing, signature scheme, dates and digest headers", async () => {
      const recorder = await startRecorder(emu());
      try {
        const client = ourClient(recorder.url, version, mode);
        await client.put(BUCKET, fullConfig("wire"));
        await client.get(BUCKET, "wire");
        await client.listPage(BUCKET);
        await client.delete(BUCKET, "wire");
      } finally {
        await recorder.close();
      }
      const base = mode === "path" ? `/${BUCKET}/` : "/";
      expect(recorder.seen.map((r) => [r.method, r.url, r.status])).toEqual([
        ["PUT", `${base}?inventory&inventoryId=wire`, 200],
        ["GET", `${base}?inventory&inventoryId=wire`, 200],
        ["GET", `${base}?inventory`, 200],
        ["DELETE", `${base}?inventory&inventoryId=wire`, 204],
      ]);
      const [put, ...bodiless] = recorder.seen;
      expect(put.headers["content-type"]).toBe("application/xml");
      expect(put.headers["content-md5"]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      for (const r of bodiless) {
        expect(r.headers["content-md5"]).toBeUndefined();
        expect(r.headers["content-type"]).toBeUndefined();
      }
      for (const r of recorder.seen) {
        expect(r.headers.host).toBe(mode === "path" ? `127.0.0.1:${recorder.port}` : VHOST);
        expect(r.headers["x-oss-security-token"]).toBeUndefined();
        expect(r.responseHeaders["x-oss-request-id"]).toMatch(REQUEST_ID);
        if (version === "v4") {
          expect(r.headers.authorization).toMatch(
            new RegExp(
              `^OSS4-HMAC-SHA256 Credential=${AK}/\\d{8}/${REGION}/oss/aliyun_v4_request,Signature=[0-9a-f]{64}$`,
            ),
          );
          expect(r.headers["x-oss-date"]).toMatch(/^\d{8}T\d{6}Z$/);
          expect(r.headers["x-oss-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
        } else {
          expect(r.headers.authorization).toMatch(new RegExp(`^OSS ${AK}:[A-Za-z0-9+/]{27}=$`));
          expect(r.headers["x-oss-date"]).toMatch(
            /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
          );
          expect(r.headers["x-oss-content-sha256"]).toBeUndefined();
        }
        expect(Math.abs(Date.parse(String(r.responseHeaders.date)) - Date.now())).toBeLessThan(10_000);
      }
    });

    test("temporary credentials: x-oss-security-token is sent, signed and accepted", async () => {
      const token = `sts-session-token-${version}`;
      const sts = { accessKeyId: AK, accessKeySecret: SK, securityToken: token };
      const recorder = await startRecorder(emu());
      try {
        const client = ourClient(recorder.url, version, mode, { credentials: sts });
        await client.put(BUCKET, fullConfig("sts"));
        expect(await client.get(BUCKET, "sts")).toStrictEqual(fullConfig("sts"));
        expect(recorder.seen.map((r) => [r.headers["x-oss-security-token"], r.status])).toEqual([
          [token, 200],
          [token, 200],
        ]);
      } finally {
        await recorder.close();
      }
      // The token is signed: a different one on the wire breaks the signature.
      const swapper = await startRecorder(emu(), (h) => {
        h["x-oss-security-token"] = "swapped-token";
      });
      try {
        const client = ourClient(swapper.url, version, mode, { credentials: sts });
        const e = await rejection(client.get(BUCKET, "sts"), CloudError);
        expect({ status: e.statusCode, code: e.code }).toEqual({
          status: 403,
          code: "SignatureDoesNotMatch",
        });
      } finally {
        await swapper.close();
      }
    });

    test("a wrong secret is a 403 SignatureDoesNotMatch that never shows the secret; an unknown key is InvalidAccessKeyId", async () => {
      const wrongSecret = "wrong-SECRET-never-print-4711";
      const client = ourClient(emu().url, version, mode, {
        credentials: { accessKeyId: AK, accessKeySecret: wrongSecret, securityToken: "token-in-request" },
      });
      const e = await rejection(client.put(BUCKET, fullConfig("nope")), CloudError);
      expect(e).not.toBeInstanceOf(NotFoundError);
      expect(e).toMatchObject({
        name: "CloudError",
        cloud: "oss",
        statusCode: 403,
        code: "SignatureDoesNotMatch",
        operation: `PUT inventory nope on ${BUCKET}`,
      });
      expect(e.requestId).toMatch(REQUEST_ID);
      expect(e.message).toContain("[EC 0002-00000040]");
      expect(e.message).toContain(`(request id ${e.requestId})`);
      const surfaces = [
        e.message,
        e.stack ?? "",
        JSON.stringify(e),
        String(e),
        inspect(e, { depth: null, showHidden: true, getters: true }),
      ];
      for (const text of surfaces) {
        expect(text).not.toContain(wrongSecret);
        expect(text).not.toContain(SK);
        expect(text).not.toContain("token-in-request");
      }

      const stranger = ourClient(emu().url, version, mode, {
        credentials: { accessKeyId: "LTAI5tNobodyKnowsThis", accessKeySecret: SK },
      });
      const unknown = await rejection(stranger.list(BUCKET), CloudError);
      expect({ status: unknown.statusCode, code: unknown.code }).toEqual({
        status: 403,
        code: "InvalidAccessKeyId",
      });
      expect(inspect(unknown, { depth: null, showHidden: true })).not.toContain(SK);

      // Not worth retrying: one request each, and nothing stored.
      expect(await logRows(emu())).toEqual([
        ["PUT", "put", "nope", 403, "SignatureDoesNotMatch"],
        ["GET", "list", null, 403, "InvalidAccessKeyId"],
      ]);
      expect(emu().store.list(BUCKET, "oss")).toEqual([]);
    });
  });

  describe("OSS refuses a PUT on an existing id", () => {
    test("409 InventoryConfigurationAlreadyExists, typed, with the x-oss-request-id; the job is unchanged", async () => {
      const recorder = await startRecorder(emu());
      const original = fullConfig("taken");
      try {
        const client = ourClient(recorder.url);
        await client.put(BUCKET, original);
        const stored = emu().store.get(BUCKET, "oss", "taken")?.body;
        expect(stored).toBe(encodeInventoryConfiguration(original));

        const e = await rejection(client.put(BUCKET, sseOssConfig("taken")), CloudError);
        expect(e).not.toBeInstanceOf(NotFoundError);
        expect(e).toMatchObject({
          name: "CloudError",
          cloud: "oss",
          statusCode: 409,
          code: OSS_ALREADY_EXISTS_CODE,
          operation: `PUT inventory taken on ${BUCKET}`,
        });
        expect(OSS_ALREADY_EXISTS_CODE).toBe("InventoryConfigurationAlreadyExists");
        const answer = recorder.seen[1];
        expect(answer.status).toBe(409);
        expect(e.requestId).toMatch(REQUEST_ID);
        expect(e.requestId).toBe(answer.responseHeaders["x-oss-request-id"]);

        expect(emu().store.get(BUCKET, "oss", "taken")?.body).toBe(stored);
        expect(await client.get(BUCKET, "taken")).toStrictEqual(original);
      } finally {
        await recorder.close();
      }
      // 409 is not retried.
      expect(await logRows(emu())).toEqual([
        ["PUT", "put", "taken", 200, null],
        ["PUT", "put", "taken", 409, "InventoryConfigurationAlreadyExists"],
        ["GET", "get", "taken", 200, null],
      ]);
    });
  });

  describe("replace()", () => {
    test("an existing job: GET, DELETE, PUT; the new configuration is stored", async () => {
      const client = ourClient(emu().url);
      await client.put(BUCKET, fullConfig("job"));
      await clearLog(emu());

      const next = sseOssConfig("job");
      await client.replace(BUCKET, next);
      expect(await logRows(emu())).toEqual([
        ["GET", "get", "job", 200, null],
        ["DELETE", "delete", "job", 204, null],
        ["PUT", "put", "job", 200, null],
      ]);
      expect(emu().store.get(BUCKET, "oss", "job")?.body).toBe(encodeInventoryConfiguration(next));
      expect(await client.get(BUCKET, "job")).toStrictEqual(next);
    });

    test("a missing job: GET (404), then PUT", async () => {
      const client = ourClient(emu().url, "v1");
      await client.replace(BUCKET, minimalConfig("fresh"));
      expect(await logRows(emu())).toEqual([
        ["GET", "get", "fresh", 404, "NoSuchInventory"],
        ["PUT", "put", "fresh", 200, null],
      ]);
      expect(await client.get(BUCKET, "fresh")).toStrictEqual(minimalConfig("fresh"));
    });

    test("the new PUT fails: the old job is put back byte for byte and the PUT's CloudError is thrown", async () => {
      const client = ourClient(emu().url);
      const old = fullConfig("job");
      await client.put(BUCKET, old);
      const before = emu().store.get(BUCKET, "oss", "job")?.body;
      await clearLog(emu());

      await injectFault(emu(), {
        match: { operation: "put", dialect: "oss" },
        count: 1,
        status: 400,
        code: "InvalidArgument",
      });
      const e = await rejection(client.replace(BUCKET, sseOssConfig("job")), CloudError);
      expect(e).toMatchObject({
        name: "CloudError",
        cloud: "oss",
        statusCode: 400,
        code: "InvalidArgument",
        operation: `PUT inventory job on ${BUCKET}`,
      });
      expect(e.requestId).toMatch(REQUEST_ID);
      expect(await logRows(emu())).toEqual([
        ["GET", "get", "job", 200, null],
        ["DELETE", "delete", "job", 204, null],
        ["PUT", "put", "job", 400, "InvalidArgument"],
        ["PUT", "put", "job", 200, null],
      ]);
      expect(emu().store.get(BUCKET, "oss", "job")?.body).toBe(before);
      expect(await client.get(BUCKET, "job")).toStrictEqual(old);
    });

    test("the new PUT and the restore both fail: the error says so and carries the old configuration", async () => {
      const client = ourClient(emu().url);
      const old = fullConfig("job");
      await client.put(BUCKET, old);
      await clearLog(emu());

      await injectFault(emu(), {
        match: { operation: "put", dialect: "oss" },
        count: 2,
        status: 400,
        code: "InvalidArgument",
      });
      const e = await rejection(client.replace(BUCKET, sseOssConfig("job")), Error);
      expect(e).not.toBeInstanceOf(CloudError);
      expect(e.message).toContain(`replacing inventory job "job" on bucket "${BUCKET}" failed`);
      expect(e.message).toContain("putting the previous configuration back failed too");
      expect(e.message.match(/OSS 400 InvalidArgument/g)).toHaveLength(2);
      expect(e.message).toContain(`The bucket has no job "job" now`);
      expect(e.message).toContain(encodeInventoryConfiguration(old));
      expect(inspect(e, { depth: null, showHidden: true })).not.toContain(SK);
      expect(await logRows(emu())).toEqual([
        ["GET", "get", "job", 200, null],
        ["DELETE", "delete", "job", 204, null],
        ["PUT", "put", "job", 400, "InvalidArgument"],
        ["PUT", "put", "job", 400, "InvalidArgument"],
      ]);
      expect(emu().store.get(BUCKET, "oss", "job")).toBeUndefined();
    });

    test("a failing read (not a 404) stops before anything is deleted", async () => {
      const client = ourClient(emu().url);
      await client.put(BUCKET, fullConfig("job"));
      const before = emu().store.get(BUCKET, "oss", "job")?.body;
      await clearLog(emu());
      await injectFault(emu(), { match: { operation: "get" }, status: 403, code: "AccessDenied" });

      const e = await rejection(client.replace(BUCKET, sseOssConfig("job")), CloudError);
      expect({ status: e.statusCode, code: e.code }).toEqual({ status: 403, code: "AccessDenied" });
      expect(await logRows(emu())).toEqual([["GET", "get", "job", 403, "AccessDenied"]]);
      expect(emu().store.get(BUCKET, "oss", "job")?.body).toBe(before);
    });
  });

  describe("missing jobs and buckets", () => {
    test("get or delete of a missing job is a NotFoundError (404 NoSuchInventory); delete answers 204", async () => {
      const client = ourClient(emu().url);
      const del = await rejection(client.delete(BUCKET, "absent"), NotFoundError);
      expect(del).toMatchObject({
        name: "NotFoundError",
        cloud: "oss",
        statusCode: 404,
        code: "NoSuchInventory",
        operation: `DELETE inventory absent on ${BUCKET}`,
      });
      expect(del.requestId).toMatch(REQUEST_ID);
      expect(del.message).toContain(`(request id ${del.requestId})`);

      const get = await rejection(client.get(BUCKET, "absent"), NotFoundError);
      expect(get).toMatchObject({ statusCode: 404, code: "NoSuchInventory" });
      expect(get.requestId).toMatch(REQUEST_ID);
      expect(get.requestId).not.toBe(del.requestId);

      await client.put(BUCKET, minimalConfig("present"));
      await client.delete(BUCKET, "present");
      expect(await logRows(emu())).toEqual([
        ["DELETE", "delete", "absent", 404, "NoSuchInventory"],
        ["GET", "get", "absent", 404, "NoSuchInventory"],
        ["PUT", "put", "present", 200, null],
        ["DELETE", "delete", "present", 204, null],
      ]);
    });
  });

  describe("paging and the 1,000-job limit", () => {
    test("list pages through 1,000 jobs in exactly 10 list requests of 100; a full bucket refuses a new id", async () => {
      const client = ourClient(emu().url);
      const ids = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);
      // Shuffled, so the order of the list comes from the emulator.
      const shuffled = [...ids].sort((a, b) =>
        a.split("").reverse().join("") < b.split("").reverse().join("") ? -1 : 1,
      );
      await forEachLimited(shuffled, 6, (id) => client.put(BUCKET, minimalConfig(id)));
      await clearLog(emu());

      const listed = await client.list(BUCKET);
      expect(listed.map((c) => c.id)).toEqual(ids);
      expect(listed[999]).toStrictEqual(minimalConfig("job-0999"));
      const lists = await requestLog(emu());
      expect(lists).toHaveLength(10);
      expect(lists.every((e) => e.operation === "list" && e.status === 200)).toBe(true);

      // Page by page: 100 each, a fresh token on every truncated page, none on the last.
      const sizes: number[] = [];
      const tokens = new Set<string>();
      let token: string | undefined;
      for (;;) {
        const page = await client.listPage(BUCKET, token);
        sizes.push(page.configurations.length);
        if (!page.isTruncated) {
          expect(page.nextContinuationToken).toBeUndefined();
          break;
        }
        token = page.nextContinuationToken;
        expect(token).toEqual(expect.any(String));
        tokens.add(String(token));
        expect(sizes.length).toBeLessThan(11);
      }
      expect(sizes).toEqual(Array(10).fill(100));
      expect(tokens.size).toBe(9);

      // The limit: a new id is refused, nothing is written.
      await clearLog(emu());
      const full = await rejection(client.put(BUCKET, minimalConfig("job-1000")), CloudError);
      expect(full).not.toBeInstanceOf(NotFoundError);
      expect({ status: full.statusCode, code: full.code }).toEqual({
        status: 400,
        code: "TooManyInventoryConfigurations",
      });
      expect(emu().store.count(BUCKET, "oss")).toBe(1000);
      await rejection(client.get(BUCKET, "job-1000"), NotFoundError);
      // With one deleted, the new id fits.
      await client.delete(BUCKET, "job-0000");
      await client.put(BUCKET, minimalConfig("job-1000"));
      expect(emu().store.count(BUCKET, "oss")).toBe(1000);
      expect(await logRows(emu())).toEqual([
        ["PUT", "put", "job-1000", 400, "TooManyInventoryConfigurations"],
        ["GET", "get", "job-1000", 404, "NoSuchInventory"],
        ["DELETE", "delete", "job-0000", 204, null],
        ["PUT", "put", "job-1000", 200, null],
      ]);
    }, 60_000);
  });

  describe("transport behaviour with OSS errors", () => {
    test.each<[OssSignatureVersion, number]>([
      ["v4", 3600],
      ["v4", -3600],
      ["v1", 1200],
      ["v1", -86400],
    ])(
      "%s, server clock off by %i s: RequestTimeTooSkewed, corrected from Date, one extra request",
      async (version, skew) => {
        // The skew applies to both requests, as if the server's clock were really off.
        await injectFault(emu(), {
          match: { operation: "put", dialect: "oss" },
          count: 2,
          clockSkewSeconds: skew,
        });
        await ourClient(emu().url, version).put(BUCKET, fullConfig("skewed"));
        expect(await logRows(emu())).toEqual([
          ["PUT", "put", "skewed", 403, "RequestTimeTooSkewed"],
          ["PUT", "put", "skewed", 200, null],
        ]);
        expect(await adminCall(emu(), "GET", "/_emulator/faults")).toEqual([]);
        expect(emu().store.get(BUCKET, "oss", "skewed")).toBeDefined();
      },
    );

    test("a skew within the 15 minutes OSS allows is accepted as it is", async () => {
      await injectFault(emu(), { match: { dialect: "oss" }, count: 2, clockSkewSeconds: 14 * 60 });
      await injectFault(emu(), { match: { dialect: "oss" }, count: 2, clockSkewSeconds: -14 * 60 });
      const client = ourClient(emu().url, "v1");
      await client.put(BUCKET, minimalConfig("near"));
      await client.get(BUCKET, "near");
      const v4 = ourClient(emu().url, "v4", "connect");
      await v4.get(BUCKET, "near");
      await v4.list(BUCKET);
      expect((await requestLog(emu())).map((e) => [e.status, e.fault])).toEqual([
        [200, expect.any(Number)],
        [200, expect.any(Number)],
        [200, expect.any(Number)],
        [200, expect.any(Number)],
      ]);
    });
  });
});
