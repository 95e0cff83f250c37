/**
 * The shipped examples, run as written on the real engine against the
 * emulator: up, no changes on a second preview, destroy. `cos-import` runs
 * over an existing, different job to show `adopt: true` taking it over.
 */
import * as fs from "fs";
import * as path from "path";
import { OssInventoryClient } from "../../provider/clouds/oss/client";
import { parseOssEndpoint } from "../../provider/clouds/oss/endpoint";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import { parseCosEndpoint } from "../../provider/clouds/cos/endpoint";
import { E2E_CREDENTIALS, countByOperation } from "./emulator";
import { repoRoot } from "./harness";
import { emulatorSuite, summary } from "./support";

function example(name: string): string {
  return fs.readFileSync(path.join(repoRoot, "examples", name, "index.ts"), "utf8");
}

describe("examples", () => {
  const suite = emulatorSuite();

  it.each([
    ["quickstart", 3],
    ["cos-basic", 2],
    ["oss-basic", 2],
  ])("%s deploys, shows no changes, and destroys", async (name, resources) => {
    const p = await suite.project(`example-${name}`, example(name));
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: resources });
    await suite.emu.clearLog();
    const again = await p.preview("--expect-no-changes");
    expect(again.code).toBe(0);
    expect(await suite.emu.requests()).toEqual([]);
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    const jobs = await suite.emu.jobs();
    expect(Object.values(jobs).flat()).toEqual([]);
  });

  it("cos-import takes over an existing, different job", async () => {
    const client = new CosInventoryClient({
      credentials: { secretId: E2E_CREDENTIALS.id, secretKey: E2E_CREDENTIALS.secret },
      region: "ap-guangzhou",
      endpoint: parseCosEndpoint(suite.emu.url),
    });
    await client.put("examplebucket-1250000000", {
      id: "legacy-weekly",
      isEnabled: false,
      includedObjectVersions: "Current",
      schedule: { frequency: "Daily" },
      optionalFields: [],
      destination: { format: "CSV", bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000" },
    });
    const p = await suite.project("example-cos-import", example("cos-import"));
    await suite.emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1, put: 1 });
    const taken = await client.get("examplebucket-1250000000", "legacy-weekly");
    expect(taken).toMatchObject({ isEnabled: true, schedule: { frequency: "Weekly" } });
    expect((await p.preview("--expect-no-changes")).code).toBe(0);
    expect((await p.destroy()).code).toBe(0);
  });

  it("oss-basic stores every field it declares", async () => {
    const p = await suite.project("example-oss-read", example("oss-basic"));
    expect((await p.up()).code).toBe(0);
    const client = new OssInventoryClient({
      credentials: { accessKeyId: E2E_CREDENTIALS.id, accessKeySecret: E2E_CREDENTIALS.secret },
      region: "cn-hangzhou",
      endpoint: parseOssEndpoint(suite.emu.url),
    });
    const job = await client.get("examplebucket", "daily");
    expect(job.destination.encryption).toEqual({ type: "SSE-KMS", keyId: "kms-key-id" });
    expect(job.optionalFields).toHaveLength(11);
    expect((await p.destroy()).code).toBe(0);
  });
});
