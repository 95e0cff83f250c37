/**
 * What only `cos.BucketInventory` has, on the real Pulumi engine against the
 * local emulator: refusing an equal job it did not make, `adopt`, and the
 * region default (the `import` option and `get` are in import.test.ts). The lifecycle both clouds share
 * is in lifecycle.test.ts. Request counts come from the emulator's own log.
 */
import COS from "cos-nodejs-sdk-v5";
import { COS_FULL_ARGS as FULL_ARGS, COS_JOB, cosSdk as sdk } from "./clouds";
import { countByOperation } from "./emulator";
import { resourcesOfType } from "./harness";
import { emulatorSuite, jobProgram as cloudJobProgram, output, summary } from "./support";

const { type: TYPE, region: REGION, bucket: BUCKET } = COS_JOB;

function jobProgram(args: string, name = "daily", extra = ""): string {
  return cloudJobProgram("cos", args, name, extra);
}

describe("cos.BucketInventory on the real engine", () => {
  const suite = emulatorSuite();
  const newProject = suite.project;

  it("refuses to overwrite an existing, different job, and leaves it unchanged", async () => {
    const client = sdk(suite.emu);
    const theirs: COS.InventoryConfiguration = {
      Id: "daily",
      IsEnabled: "true",
      IncludedObjectVersions: "Current",
      Schedule: { Frequency: "Weekly" },
      OptionalFields: ["Size"],
      Destination: {
        COSBucketDestination: {
          Format: "CSV",
          Bucket: `qcs::cos:${REGION}::otherbucket-1250000000`,
          Prefix: "theirs",
        },
      },
    };
    await client.putBucketInventory({
      Bucket: BUCKET,
      Region: REGION,
      Id: "daily",
      InventoryConfiguration: theirs,
    });

    const p = await newProject("cos-clobber", jobProgram(FULL_ARGS));
    await suite.emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    const text = output(up);
    expect(text).toContain(
      'an inventory job "daily" on bucket "examplebucket-1250000000" (ap-guangzhou) already exists with a different configuration',
    );
    expect(text).toContain("adopt: true");
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1 });
    const still = await client.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "daily" });
    expect(still.InventoryConfiguration.Destination.COSBucketDestination.Prefix).toBe("theirs");
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    // Even an equal job is not taken over: this stack did not make it, and two stacks managing one job
    // would delete it from under each other. (An interrupted create of this stack's own is another matter:
    // see safety.test.ts.)
    p.writeProgram(
      jobProgram(`{ bucket: "${BUCKET}", region: "${REGION}", schedule: { frequency: "Weekly" }, optionalFields: ["Size"],
        destination: { bucket: "otherbucket-1250000000", prefix: "theirs" } }`),
    );
    await suite.emu.clearLog();
    const same = await p.up();
    expect(same.code).not.toBe(0);
    expect(output(same)).toContain('an inventory job "daily" on bucket "examplebucket-1250000000"');
    expect(output(same)).toContain("aliases");
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1 });
  });

  it("imports an existing job with adopt: true, updating it to the declared configuration", async () => {
    const client = sdk(suite.emu);
    await client.putBucketInventory({
      Bucket: BUCKET,
      Region: REGION,
      Id: "legacy",
      InventoryConfiguration: {
        Id: "legacy",
        IsEnabled: "false",
        IncludedObjectVersions: "Current",
        Schedule: { Frequency: "Weekly" },
        Destination: {
          COSBucketDestination: { Format: "CSV", Bucket: `qcs::cos:${REGION}::inventorybucket-1250000000` },
        },
      },
    });
    const p = await newProject(
      "cos-adopt",
      jobProgram(
        FULL_ARGS.replace("enabled: true", `inventoryId: "legacy", adopt: true, enabled: true`),
        "legacy",
      ),
    );
    await suite.emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 2 });
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1, put: 1 });
    const taken = await client.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "legacy" });
    expect(taken.InventoryConfiguration.IsEnabled).toBe("true");
    expect(taken.InventoryConfiguration.Schedule.Frequency).toBe("Daily");

    // From then on it is managed: no perpetual diff, and destroy deletes it.
    expect((await p.preview("--expect-no-changes")).code).toBe(0);
    expect((await p.destroy()).code).toBe(0);
    const left = await client.listBucketInventory({ Bucket: BUCKET, Region: REGION });
    expect(left.InventoryConfigurations).toEqual([]);
  });

  it("takes the region from TENCENTCLOUD_REGION on a stack with no config at all", async () => {
    // No `region` argument and no stack config: the program's `new pulumi.Config("tencentcloud").get("region")`
    // must return undefined (not throw on a `null` PULUMI_CONFIG) so the environment fallback applies.
    const p = await newProject(
      "cos-no-config",
      jobProgram(
        `{ bucket: "${BUCKET}", schedule: { frequency: "Daily" }, destination: { bucket: "inventorybucket-1250000000" } }`,
      ),
      { TENCENTCLOUD_REGION: REGION },
    );
    const config = await p.must<Record<string, unknown>>(["config", "--json", "--stack", p.stack]);
    expect(config.json).toEqual({});

    const up = await p.up();
    expect(output(up)).not.toMatch(/Cannot convert undefined or null/);
    expect(up.code).toBe(0);
    const [res] = resourcesOfType(await p.exportStack(), TYPE);
    expect(res.id).toBe(`${REGION}/${BUCKET}/daily`);
    const list = await sdk(suite.emu).listBucketInventory({ Bucket: BUCKET, Region: REGION });
    expect(list.InventoryConfigurations.map((c: COS.InventoryConfiguration) => c.Id)).toEqual(["daily"]);
    expect((await p.destroy()).code).toBe(0);
  });

  it("without any region, preview fails with one error naming where a region comes from", async () => {
    const p = await newProject(
      "cos-no-region",
      jobProgram(
        `{ bucket: "${BUCKET}", schedule: { frequency: "Daily" }, destination: { bucket: "inventorybucket-1250000000" } }`,
      ),
      { TENCENTCLOUD_REGION: "" },
    );
    const preview = await p.preview();
    expect(preview.code).not.toBe(0);
    const errors = (preview.json?.diagnostics ?? []).filter((d) => d.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(
      /no region given; set the "region" argument, config "tencentcloud:region" or env TENCENTCLOUD_REGION/,
    );
    expect(output(preview)).not.toMatch(/undefined/);
    expect(await suite.emu.requests()).toEqual([]);
  });
});
