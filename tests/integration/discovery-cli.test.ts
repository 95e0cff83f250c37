/**
 * `bucket-inventory list | import | status` in process against an emulator:
 * usage mistakes (exit 2), missing credentials and unknown ids (exit 1, with
 * what to do), and the files `import` writes without overwriting. The whole
 * flow through `pulumi import` is in tests/e2e/discovery.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import { parseCosEndpoint } from "../../provider/clouds/cos/endpoint";
import { main } from "../../provider/cli/main";
import type { RunningEmulator } from "../../provider/emulator/server";
import { startAdminEmulator, suiteJob } from "../support/emulator-suite";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";

const KEY = { id: "AKIDDISCOVERY", secret: "discovery-secret" };
const BUCKET = "examplebucket-1250000000";
const ENV_KEYS = [
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "BUCKET_INVENTORY_COS_ENDPOINT",
  "COS_SECRET_ID",
];

/** Runs the command in process; resolves with the exit status and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("bucket-inventory list | import | status", () => {
  let emu: RunningEmulator;
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const where = ["--cloud", "cos", "--region", "ap-guangzhou", "--bucket", BUCKET];

  beforeAll(async () => {
    emu = await startAdminEmulator([BUCKET], KEY);
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    process.env.TENCENTCLOUD_SECRET_ID = KEY.id;
    process.env.TENCENTCLOUD_SECRET_KEY = KEY.secret;
    process.env.BUCKET_INVENTORY_COS_ENDPOINT = emu.url;
    delete process.env.COS_SECRET_ID;
    const client = new CosInventoryClient({
      credentials: { secretId: KEY.id, secretKey: KEY.secret },
      region: "ap-guangzhou",
      endpoint: parseCosEndpoint(emu.url),
    });
    const destination = { format: "CSV", bucket: `qcs::cos:ap-guangzhou::inventorybucket-1250000000` };
    for (const id of ["daily", "weekly"]) {
      await client.put(BUCKET, suiteJob<CosInventoryConfiguration>(id, destination, {}));
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bi-discovery-"));
  });
  afterAll(async () => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  });

  it("answers --help for each command, with the exit statuses", async () => {
    for (const command of ["list", "import", "status"]) {
      const r = await cli(command, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: bucket-inventory ${command}`);
      expect(r.out).toContain("Exit status: 0 done, 1");
    }
    expect((await cli("--help")).out).toMatch(/list {8}List[^]*import {6}Read[^]*status {6}Compare/);
  });

  it("refuses usage mistakes with exit 2, naming the fix", async () => {
    const cases: [string[], string][] = [
      [["list", "--region", "ap-guangzhou", "--bucket", BUCKET], "--cloud cos|oss is required"],
      [["list", "--cloud", "gcs", "--bucket", BUCKET], '--cloud must be "cos" or "oss"'],
      [["list", "--cloud", "cos", "--region", "ap-guangzhou"], "at least one --bucket"],
      [["import", ...where, "--run"], "--run needs --stack"],
      [
        ["import", ...where, "--bucket", "other-1250000000", "--id", "daily"],
        "--id needs exactly one --bucket",
      ],
      [["list", ...where, "--stack-credentials"], "--stack-credentials needs exactly one --stack"],
      [["status"], "--stack <stack> is required"],
      [["status", "--stack", "dev", "--bucket", BUCKET], "--bucket needs --cloud and --region"],
      [["list", ...where, "--bogus"], 'unknown option "--bogus"'],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toContain(message);
      expect(r.err).toContain(`Run "bucket-inventory ${argv[0]} --help" for usage.`);
    }
  });

  it("lists the jobs as a table and as JSON", async () => {
    const table = await cli("list", ...where);
    expect(table.code).toBe(0);
    expect(table.out.split("\n")).toEqual([
      "CLOUD  REGION        BUCKET                    ID      ENABLED  SCHEDULE",
      `cos    ap-guangzhou  ${BUCKET}  daily   true     Daily`,
      `cos    ap-guangzhou  ${BUCKET}  weekly  true     Daily`,
    ]);
    const json = JSON.parse((await cli("list", ...where, "--json")).out) as {
      jobs: { inventoryId: string }[];
    };
    expect(json.jobs.map((j) => j.inventoryId)).toEqual(["daily", "weekly"]);
  });

  it("says what to set when no credentials are found (exit 1), and never prints the secret", async () => {
    delete process.env.TENCENTCLOUD_SECRET_ID;
    try {
      const r = await cli("list", ...where);
      expect(r.code).toBe(1);
      expect(r.err).toContain("no COS credentials");
      expect(r.err).toContain("--stack-credentials");
      expect(r.err).not.toContain(KEY.secret);
    } finally {
      process.env.TENCENTCLOUD_SECRET_ID = KEY.id;
    }
  });

  it("writes the import document and declarations, and never overwrites them without --force", async () => {
    const file = path.join(dir, "import.json");
    const code = path.join(dir, "jobs.ts");
    const first = await cli("import", ...where, "--id", "daily", "--file", file, "--code", code);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`pulumi import --file ${file} --generate-code=false --protect=false`);
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { resources: { name: string; id: string }[] };
    expect(doc.resources.map((r) => [r.name, r.id])).toEqual([
      [`${BUCKET}.daily`, `ap-guangzhou/${BUCKET}/daily`],
    ]);
    expect(fs.readFileSync(code, "utf8")).toContain(`new inventory.cos.BucketInventory("${BUCKET}.daily", {`);

    const again = await cli("import", ...where, "--file", file, "--code", code);
    expect(again.code).toBe(1);
    expect(again.err).toContain("exists; choose another path or pass --force");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(doc);

    const forced = await cli("import", ...where, "--file", file, "--code", code, "--force", "--json");
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({
      imported: [`cos ap-guangzhou/${BUCKET}/daily`, `cos ap-guangzhou/${BUCKET}/weekly`],
      skipped: [],
    });
  });

  it("names an id the bucket does not have, writing nothing (exit 1)", async () => {
    const file = path.join(dir, "none.json");
    const r = await cli(
      "import",
      ...where,
      "--id",
      "nope",
      "--file",
      file,
      "--code",
      path.join(dir, "none.ts"),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no inventory job "nope" on cos bucket ${BUCKET}`);
    expect(r.err).toContain("bucket-inventory list --cloud cos");
    expect(fs.existsSync(file)).toBe(false);
  });
});
