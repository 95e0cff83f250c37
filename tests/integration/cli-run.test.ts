// `bucket-inventory run` in-process against the emulator, with credentials
// and endpoints from the environment as the resources take them.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../provider/cli/main";
import type { RunningEmulator } from "../../provider/emulator/server";
import { emulatorAdmin, startAdminEmulator } from "../support/emulator-suite";

const KEY = { id: "AKIDCLIRUNEXAMPLE", secret: "cli-run-secret" };
const ENV_KEYS = [
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "BUCKET_INVENTORY_COS_ENDPOINT",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "BUCKET_INVENTORY_OSS_ENDPOINT",
  "TENCENTCLOUD_REGION",
  "ALICLOUD_REGION",
];

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["run", ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("bucket-inventory run", () => {
  let emu: RunningEmulator;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    emu = await startAdminEmulator(["examplebucket-1250000000", "examplebucket"], KEY);
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    Object.assign(process.env, {
      TENCENTCLOUD_SECRET_ID: KEY.id,
      TENCENTCLOUD_SECRET_KEY: KEY.secret,
      BUCKET_INVENTORY_COS_ENDPOINT: emu.url,
      ALICLOUD_ACCESS_KEY: KEY.id,
      ALICLOUD_SECRET_KEY: KEY.secret,
      BUCKET_INVENTORY_OSS_ENDPOINT: emu.url,
    });
    delete process.env.TENCENTCLOUD_REGION;
    delete process.env.ALICLOUD_REGION;
  });
  afterAll(async () => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await emu.close();
  });
  beforeEach(async () => {
    expect(await emulatorAdmin.reset(emu)).toBe(204);
  });

  test("cos from flags: one POST, the result as JSON", async () => {
    const r = await cli(
      "--cloud=cos",
      "--region",
      "ap-guangzhou",
      "--bucket",
      "examplebucket-1250000000",
      "--destination-bucket",
      "examplebucket-1250000000",
      "--destination-prefix",
      "reports",
      "--fields",
      "Size,ETag",
      "--json",
    );
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out[0]) as Record<string, string>;
    expect(result).toMatchObject({
      cloud: "cos",
      runId: expect.stringMatching(/^run-\d{14}-[0-9a-f]{4}$/),
      jobId: expect.stringMatching(/^[0-9a-f]{32}$/),
      reportPrefix: expect.stringMatching(/^reports\/1250000000\/examplebucket\/run-/),
    });
    const log = await emulatorAdmin.requests(emu);
    expect(log.map((e) => [e.method, e.operation, e.inventoryId])).toEqual([["POST", "post", result.runId]]);
  });

  test("oss from a JSON file with a flag on top: a Once configuration, kept when --auto-delete false", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-run-"));
    const file = path.join(dir, "run.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        bucket: "examplebucket",
        region: "cn-hangzhou",
        inventoryId: "from-file",
        destination: {
          bucket: "examplebucket",
          accountId: "1000000000000000",
          roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
        },
      }),
    );
    const r = await cli("--cloud", "oss", "--config", file, "--auto-delete", "false");
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("runId: from-file");
    expect(r.out).toContain("autoDelete: false");
    const [job] = (await emulatorAdmin.jobs(emu)).examplebucket;
    expect(job.id).toBe("from-file");
    expect(job.body).toContain(
      "<Schedule><Frequency>Once</Frequency><AutoDelete>false</AutoDelete></Schedule>",
    );
    // The same id again: refused before any write, the configuration left alone.
    await emulatorAdmin.clearLog(emu);
    const again = await cli("--cloud", "oss", "--config", file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(again.code).toBe(1);
    expect(again.err[0]).toMatch(/already has an inventory configuration "from-file" \(frequency Once\)/);
    expect((await emulatorAdmin.requests(emu)).map((e) => e.operation)).toEqual(["get"]);
    expect((await emulatorAdmin.jobs(emu)).examplebucket).toEqual([job]);
  });

  test("invalid arguments name the argument and send nothing; usage errors exit 2", async () => {
    const bad = await cli(
      "--cloud",
      "cos",
      "--region",
      "ap-guangzhou",
      "--bucket",
      "examplebucket-1250000000",
    );
    expect(bad.code).toBe(2);
    expect(bad.err.join("\n")).toMatch(/^error: destination: /m);
    expect(await emulatorAdmin.requests(emu)).toEqual([]);
    expect((await cli("--cloud", "gcs")).code).toBe(2);
    expect((await cli("--cloud", "cos", "--nope", "x")).err[0]).toBe('error: unknown option "--nope"');
    const help = await cli("--help");
    expect([help.code, help.out[0]]).toEqual([0, expect.stringMatching(/^Usage: bucket-inventory run/)]);
  });
});
