/**
 * `cos.InventoryRun` and `oss.InventoryRun` on the real Pulumi engine against
 * the local emulator: a run happens on create, not again on a no-change
 * preview or up, again when `triggers` change; destroy sends nothing to COS
 * and, on OSS, deletes only a configuration kept with `autoDelete: false`.
 * Request counts come from the emulator's own log.
 */
import { COS_JOB, OSS_JOB, ossOutOfBand as outOfBand } from "./clouds";
import { countByOperation } from "./emulator";
import { type TestProject, resourcesOfType } from "./harness";
import { emulatorSuite, output, program, summary } from "./support";

const COS_TYPE = "pulumi-nodejs:dynamic/cos:InventoryRun";
const OSS_TYPE = "pulumi-nodejs:dynamic/oss:InventoryRun";

function cosRun(trigger: string): string {
  return program(`const run = new inventory.cos.InventoryRun("now", {
  bucket: "${COS_JOB.bucket}",
  region: "${COS_JOB.region}",
  optionalFields: ["Size"],
  destination: { bucket: "inventorybucket-1250000000", prefix: "reports" },
  triggers: ["${trigger}"],
});
export const runId = run.runId;
export const jobId = run.jobId;
export const manifestKey = run.manifestKey;`);
}

function ossRuns(keptTrigger: string, extra = ""): string {
  const args = (more: string) => `{
  bucket: "${OSS_JOB.bucket}",
  region: "${OSS_JOB.region}",
  destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${OSS_JOB.role}", prefix: "reports" },
  ${more}
}`;
  return program(`const auto = new inventory.oss.InventoryRun("auto", ${args(`triggers: ["a"],`)});
const kept = new inventory.oss.InventoryRun("kept", ${args(`autoDelete: false, triggers: ["${keptTrigger}"],`)});
export const autoId = auto.runId;
export const keptId = kept.runId;
${extra}`);
}

/** Asserts a command succeeded, showing what it printed when it did not. */
function succeeded(r: Parameters<typeof output>[0] & { code: number }): void {
  if (r.code !== 0) throw new Error(`the command failed:\n${output(r)}`);
}

describe("InventoryRun on the real engine", () => {
  const suite = emulatorSuite();

  /** An `up` of an unchanged program: `resources` unchanged, and no request reaches the cloud. */
  async function upChangesNothing(p: TestProject, resources: number): Promise<void> {
    const r = await p.up();
    succeeded(r);
    expect(summary(r)).toEqual({ same: resources });
    expect(await suite.emu.requests()).toEqual([]);
  }

  it("cos: runs on create and when triggers change, not on a no-change preview or up; destroy sends nothing", async () => {
    const p = await suite.project("cos-run", cosRun("v1"));
    const up = await p.up();
    succeeded(up);
    expect(summary(up)).toEqual({ create: 2 });
    expect(countByOperation(await suite.emu.requests())).toEqual({ post: 1 });
    const [first] = resourcesOfType(await p.exportStack(), COS_TYPE);
    const runId = String(first.outputs?.runId);
    expect(runId).toMatch(/^now-\d{14}-[0-9a-f]{4}$/);
    expect(first.outputs).toMatchObject({
      jobId: expect.stringMatching(/^[0-9a-f]{32}$/),
      reportBucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000",
      reportPrefix: `reports/1250000000/examplebucket/${runId}/`,
      manifestKey: expect.stringMatching(
        new RegExp(`^reports/1250000000/examplebucket/${runId}/\\d{8}/manifest\\.json$`),
      ),
    });
    const runs = (await suite.emu.jobs())[COS_JOB.bucket];
    expect(runs.map((r) => [r.dialect, r.id])).toEqual([["cos-run", `${runId}@${first.outputs?.jobId}`]]);

    await suite.emu.clearLog();
    const preview = await p.preview();
    succeeded(preview);
    expect(summary(preview)).toEqual({ same: 2 });
    await upChangesNothing(p, 2);

    p.writeProgram(cosRun("v2"));
    const rerun = await p.up();
    succeeded(rerun);
    expect(summary(rerun)).toMatchObject({ replace: 1 });
    expect(countByOperation(await suite.emu.requests())).toEqual({ post: 1 });
    const [second] = resourcesOfType(await p.exportStack(), COS_TYPE);
    expect(second.outputs?.runId).not.toBe(runId);

    await suite.emu.clearLog();
    const down = await p.destroy();
    succeeded(down);
    expect(await suite.emu.requests()).toEqual([]);
  });

  it("oss: a Once configuration per run; a kept one is deleted on replace and destroy; an existing job is never overwritten", async () => {
    const p = await suite.project("oss-run", ossRuns("k1"));
    const up = await p.up();
    succeeded(up);
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 2, put: 2 });
    const ids = () =>
      (suite.emu.jobs() as Promise<Record<string, { id: string; body: string }[]>>).then((j) =>
        (j[OSS_JOB.bucket] ?? []).map((x) => x.id).sort(),
      );
    const state = resourcesOfType(await p.exportStack(), OSS_TYPE);
    const byName = (n: string) => state.find((r) => r.urn.endsWith(`::${n}`))?.outputs;
    const [autoId, keptId] = [String(byName("auto")?.runId), String(byName("kept")?.runId)];
    expect(byName("kept")).toMatchObject({
      autoDelete: false,
      reportPrefix: `reports/examplebucket/${keptId}/`,
    });
    expect(await ids()).toEqual([autoId, keptId].sort());
    const stored = (await suite.emu.jobs())[OSS_JOB.bucket].find((j) => j.id === keptId)?.body;
    expect(stored).toContain(
      "<Schedule><Frequency>Once</Frequency><AutoDelete>false</AutoDelete></Schedule>",
    );

    await suite.emu.clearLog();
    await upChangesNothing(p, 3);

    // A new trigger on the kept run: its configuration is deleted first, then the run happens again.
    p.writeProgram(ossRuns("k2"));
    const rerun = await p.up();
    succeeded(rerun);
    expect(
      (await suite.emu.requests()).map(
        (r) => `${r.method} ${r.inventoryId === keptId ? "old" : "new"} ${r.status}`,
      ),
    ).toEqual(["GET old 200", "DELETE old 204", "GET new 404", "PUT new 200"]);
    const keptNow = String(
      resourcesOfType(await p.exportStack(), OSS_TYPE).find((r) => r.urn.endsWith("::kept"))?.outputs?.runId,
    );
    expect(await ids()).toEqual([autoId, keptNow].sort());

    // An ordinary job holding a declared id is refused, and left as it was.
    const theirs = {
      id: "daily",
      isEnabled: true,
      destination: {
        format: "CSV",
        accountId: "1000000000000000",
        roleArn: OSS_JOB.role,
        bucket: "acs:oss:::destination-bucket",
      },
      schedule: { frequency: "Daily" as const },
      includedObjectVersions: "Current" as const,
      optionalFields: [],
    };
    await outOfBand(suite.emu).put(OSS_JOB.bucket, theirs);
    p.writeProgram(
      ossRuns(
        "k2",
        `new inventory.oss.InventoryRun("clash", { bucket: "${OSS_JOB.bucket}", region: "${OSS_JOB.region}", inventoryId: "daily",
  destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${OSS_JOB.role}" } });`,
      ),
    );
    await suite.emu.clearLog();
    const clash = await p.up();
    expect(clash.code).not.toBe(0);
    expect(output(clash)).toContain('already has an inventory configuration "daily" (frequency Daily)');
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1 });
    expect(await outOfBand(suite.emu).get(OSS_JOB.bucket, "daily")).toEqual(theirs);

    // Destroy: the auto-deleting run sends nothing; the kept one is read and deleted.
    p.writeProgram(ossRuns("k2"));
    await suite.emu.clearLog();
    const down = await p.destroy();
    succeeded(down);
    expect((await suite.emu.requests()).map((r) => `${r.method} ${r.inventoryId} ${r.status}`)).toEqual([
      `GET ${keptNow} 200`,
      `DELETE ${keptNow} 204`,
    ]);
    expect(await ids()).toEqual([autoId, "daily"].sort());
  });
});
