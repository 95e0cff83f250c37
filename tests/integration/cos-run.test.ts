// The COS one-shot inventory run (POST /?inventory&id=) against the emulator:
// our client, the official cos-nodejs-sdk-v5 (3.0.0 has no postBucketInventory,
// so its generic `request` sends the POST newer SDKs send: the XML body, its
// Content-MD5, signed), and the emulator's refusals.
import COS from "cos-nodejs-sdk-v5";
import { decodePostInventoryResult, encodeInventoryRun } from "../../provider/clouds/cos/codec";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import { parseCosEndpoint } from "../../provider/clouds/cos/endpoint";
import type { CosInventoryRun } from "../../provider/clouds/cos/model";
import { CloudError } from "../../provider/core/errors";
import type { RunningEmulator } from "../../provider/emulator/server";
import {
  AK,
  BUCKET,
  OTHER_BUCKET,
  REGION,
  SK,
  config,
  put,
  signed,
  startCosEmulator,
} from "../support/cos-emulator";
import { emulatorAdmin, md5, rejectionOf } from "../support/emulator-suite";

/** A run with every part set: filter, columns, destination with prefix and encryption. */
function run(id: string): CosInventoryRun {
  const { isEnabled: _e, schedule: _s, ...rest } = config(id);
  return rest;
}

function client(emu: RunningEmulator): CosInventoryClient {
  return new CosInventoryClient({
    credentials: { secretId: AK, secretKey: SK },
    region: REGION,
    endpoint: parseCosEndpoint(emu.url),
    transport: { baseDelayMs: 1, maxAttempts: 1 },
  });
}

/** A POST of `body` signed with our signer, Content-MD5 included. */
const post = (emu: RunningEmulator, id: string, body: string) =>
  signed(emu, {
    method: "POST",
    query: [
      ["inventory", ""],
      ["id", id],
    ],
    body,
  });

describe("COS one-shot inventory run against the emulator", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startCosEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    expect(await emulatorAdmin.reset(emu)).toBe(204);
  });

  test("our client's POST is answered with a JobId, logged as a post and kept under cos-run", async () => {
    const { jobId } = await client(emu).postRun(BUCKET, run("once-1"));
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.method, e.operation, e.inventoryId, e.status])).toEqual([
      ["POST", "post", "once-1", 200],
    ]);
    const jobs = (await emulatorAdmin.jobs(emu))[BUCKET];
    expect(jobs).toEqual([
      expect.objectContaining({
        dialect: "cos-run",
        id: `once-1@${jobId}`,
        body: encodeInventoryRun(run("once-1")),
      }),
    ]);
    // A run is no periodic job: the list stays empty.
    expect(await client(emu).list(BUCKET)).toEqual([]);
  });

  test("the same id again the same day, or a periodic job's id, is refused with 409 DuplicateInventoryTask", async () => {
    const c = client(emu);
    await c.postRun(BUCKET, run("again"));
    const again = await rejectionOf<CloudError>(c.postRun(BUCKET, run("again")), "a second run");
    expect(again).toBeInstanceOf(CloudError);
    expect([again.statusCode, again.code]).toEqual([409, "DuplicateInventoryTask"]);
    expect(again.message).toMatch(/already ran on this bucket today/);
    // Another bucket is another namespace.
    await c.postRun(OTHER_BUCKET, run("again"));

    expect((await put(emu, "periodic")).status).toBe(200);
    const periodic = await rejectionOf<CloudError>(c.postRun(BUCKET, run("periodic")), "a periodic job's id");
    expect([periodic.statusCode, periodic.code]).toEqual([409, "DuplicateInventoryTask"]);
    expect(periodic.message).toMatch(/belongs to a periodic inventory job/);
  });

  test("a body with IsEnabled or Schedule, a broken rule, an id mismatch or a bad Content-MD5 is refused", async () => {
    const periodicBody = encodeInventoryRun(run("x")).replace(
      "<Id>x</Id>",
      "<Id>x</Id><IsEnabled>true</IsEnabled>",
    );
    const malformed = await post(emu, "x", periodicBody);
    expect([malformed.status, malformed.body]).toEqual([400, expect.stringContaining("MalformedXML")]);
    expect(malformed.body).toMatch(/carries no IsEnabled/);

    const mismatch = await post(emu, "y", encodeInventoryRun(run("x")));
    expect([mismatch.status, mismatch.body]).toEqual([
      400,
      expect.stringMatching(/InvalidArgument[\s\S]*differs from the id/),
    ]);

    const badFormat = encodeInventoryRun({
      ...run("x"),
      destination: { ...run("x").destination, format: "ORC" },
    });
    expect((await post(emu, "x", badFormat)).status).toBe(400);

    const body = encodeInventoryRun(run("x"));
    const wrongMd5 = await signed(emu, {
      method: "POST",
      query: [
        ["inventory", ""],
        ["id", "x"],
      ],
      body,
      md5: md5(body + " "),
    });
    expect([wrongMd5.status, wrongMd5.body]).toEqual([400, expect.stringContaining("BadDigest")]);
    // Nothing was recorded by any of them.
    expect((await emulatorAdmin.jobs(emu))[BUCKET] ?? []).toEqual([]);
  });

  test("the official SDK signs and sends the POST (body and Content-MD5 as newer SDKs send them); it is accepted and answered", async () => {
    const cos = new COS({ SecretId: AK, SecretKey: SK, Ip: `127.0.0.1:${emu.port}`, Protocol: "http:" });
    const body = encodeInventoryRun(run("sdk-once"));
    const answer = await cos.request({
      Bucket: BUCKET,
      Region: REGION,
      Method: "POST",
      Action: "inventory",
      Query: { id: "sdk-once" },
      Body: body,
      Headers: { "Content-Type": "application/xml", "Content-MD5": md5(body) },
      RawBody: true,
    } as COS.RequestParams);
    expect(answer.statusCode).toBe(200);
    const raw = (answer as { Body?: unknown }).Body;
    const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : String(raw);
    const { jobId } = decodePostInventoryResult(text);
    const [entry] = (await emulatorAdmin.jobs(emu))[BUCKET];
    expect(entry).toEqual(expect.objectContaining({ dialect: "cos-run", id: `sdk-once@${jobId}`, body }));
  });
});
