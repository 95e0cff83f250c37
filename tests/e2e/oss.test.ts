/**
 * What only `oss.BucketInventory` has, on the real Pulumi engine against the
 * local emulator's OSS dialect: a failed update (delete and put) leaving the
 * old job, refusing and adopting a job, and a stack holding COS and OSS jobs
 * together. The lifecycle both clouds share is in lifecycle.test.ts. Request
 * counts come from the emulator's own log; out-of-band changes go through our
 * client in V1 mode (see ./clouds).
 */
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { OSS_FULL_ARGS as FULL_ARGS, OSS_JOB, ossOutOfBand as outOfBand } from "./clouds";
import { resourcesOfType } from "./harness";
import { emulatorSuite, jobProgram as cloudJobProgram, output, program, summary } from "./support";

const { type: TYPE, region: REGION, bucket: BUCKET, role: ROLE } = OSS_JOB;

function jobProgram(args: string, name = "daily", extra = ""): string {
  return cloudJobProgram("oss", args, name, extra);
}

/** A job somebody else made. */
function theirs(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    destination: {
      format: "CSV",
      accountId: "1000000000000000",
      roleArn: ROLE,
      bucket: "acs:oss:::destination-bucket",
      prefix: "theirs",
    },
    schedule: { frequency: "Weekly" },
    includedObjectVersions: "Current",
    optionalFields: ["Size"],
  };
}

describe("oss.BucketInventory on the real engine", () => {
  const suite = emulatorSuite();
  const newProject = suite.project;

  it("a failed update leaves the old job in place", async () => {
    const p = await newProject("oss-failed-update", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    const before = await outOfBand(suite.emu).get(BUCKET, "daily");

    p.writeProgram(jobProgram(FULL_ARGS.replace(`prefix: "reports"`, `prefix: "reports-v2"`)));
    await suite.emu.fault({
      match: { operation: "put", dialect: "oss" },
      count: 1,
      status: 400,
      code: "InvalidArgument",
      message: "injected: the new configuration is refused",
    });
    await suite.emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    expect(output(up)).toContain("injected: the new configuration is refused");
    expect((await suite.emu.requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "get 200",
      "delete 204",
      "put 400",
      "put 200",
    ]);
    expect(await outOfBand(suite.emu).get(BUCKET, "daily")).toEqual(before);
    const [res] = resourcesOfType(await p.exportStack(), TYPE);
    expect(res.outputs?.destination).toMatchObject({ prefix: "reports" });

    // Nothing was lost: the next up applies the change.
    await suite.emu.clearLog();
    expect((await p.up()).code).toBe(0);
    expect((await outOfBand(suite.emu).get(BUCKET, "daily")).destination.prefix).toBe("reports-v2");
  });

  it("refuses to overwrite an existing, different job; adopt: true takes it over", async () => {
    const client = outOfBand(suite.emu);
    await client.put(BUCKET, theirs("daily"));

    const p = await newProject("oss-clobber", jobProgram(FULL_ARGS));
    await suite.emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    const text = output(up);
    expect(text).toContain(
      'an inventory job "daily" on bucket "examplebucket" (cn-hangzhou) already exists with a different configuration',
    );
    expect(text).toContain("adopt: true");
    // The PUT is the check: OSS refuses the taken id, and the job is read to tell the user how it differs.
    expect((await suite.emu.requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "put 409",
      "get 200",
    ]);
    expect(await client.get(BUCKET, "daily")).toEqual(theirs("daily"));
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    p.writeProgram(jobProgram(FULL_ARGS.replace("enabled: true", "adopt: true, enabled: true")));
    await suite.emu.clearLog();
    const adopted = await p.up();
    expect(adopted.code).toBe(0);
    expect((await suite.emu.requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "put 409",
      "get 200",
      "get 200",
      "delete 204",
      "put 200",
    ]);
    expect((await client.get(BUCKET, "daily")).destination.prefix).toBe("reports");
    expect((await p.preview("--expect-no-changes")).code).toBe(0);
    expect((await p.destroy()).code).toBe(0);
    expect(await client.list(BUCKET)).toEqual([]);
  });

  it("a stack holding COS and OSS jobs deploys, refreshes and destroys", async () => {
    const p = await newProject(
      "mixed",
      program(`
const cosJob = new inventory.cos.BucketInventory("cos-daily", {
  bucket: "examplebucket-1250000000", region: "ap-guangzhou", schedule: { frequency: "Daily" },
  destination: { bucket: "inventorybucket-1250000000" },
});
const ossJob = new inventory.oss.BucketInventory("oss-daily", {
  bucket: "${BUCKET}", region: "${REGION}", schedule: { frequency: "Daily" },
  destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${ROLE}" },
});
export const ids = [cosJob.id, ossJob.id];`),
    );
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 3 });
    const log = await suite.emu.requests();
    expect(
      log
        .filter((r) => r.operation === "put")
        .map((r) => `${r.bucket}/${r.inventoryId}`)
        .sort(),
    ).toEqual(["examplebucket-1250000000/cos-daily", `${BUCKET}/oss-daily`]);
    const jobs = await suite.emu.jobs();
    expect(jobs[BUCKET].map((j) => `${j.dialect}:${j.id}`)).toEqual(["oss:oss-daily"]);
    expect(jobs["examplebucket-1250000000"].map((j) => `${j.dialect}:${j.id}`)).toEqual(["cos:cos-daily"]);

    expect((await p.refresh("--expect-no-changes")).code).toBe(0);
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(summary(destroy)).toEqual({ delete: 3 });
    const after = await suite.emu.jobs();
    expect(Object.values(after).flat()).toEqual([]);
  });
});
