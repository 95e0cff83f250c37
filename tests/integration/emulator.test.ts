// The local inventory emulator's COS dialect, driven over real HTTP with our
// own signer: addressing styles, signatures and what they must cover, time
// checks and every error path. What COS and OSS do alike (lifecycle, unknown
// buckets, Content-MD5) is in emulator-dialects.test.ts, the admin API in
// emulator-admin.test.ts, paging, limits, persistence and the CLI in
// emulator-cli.test.ts.
import { decodeListPage, encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import {
  AK,
  BUCKET,
  SK,
  config,
  del,
  expectCosError,
  get,
  list,
  put,
  signed,
  startCosEmulator,
} from "../support/cos-emulator";
import { emulatorAdmin } from "../support/emulator-suite";
import { send } from "../support/http";

describe("emulator with our signer", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startCosEmulator();
  });
  afterAll(() => emu.close());

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
      const log = await emulatorAdmin.requests(emu);
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
    // (POST /?inventory, the one-shot run, is served: tests/integration/cos-run.test.ts.)
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
});
