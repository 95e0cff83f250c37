/**
 * `cos.BucketInventory` on the real Pulumi engine, against the local emulator.
 * Request counts come from the emulator's own log.
 */
import COS from "cos-nodejs-sdk-v5";
import { E2E_CREDENTIALS, E2eEmulator, countByOperation } from "./emulator";
import { TestProject, resourcesOfType } from "./harness";
import { ProjectPool, jobProgram as cloudJobProgram, output, program, summary } from "./support";

const TYPE = "pulumi-nodejs:dynamic/cos:BucketInventory";
const REGION = "ap-guangzhou";
const BUCKET = "examplebucket-1250000000";

/** Every field, as a user would write it. */
const FULL_ARGS = `{
  bucket: "${BUCKET}",
  region: "${REGION}",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: { prefix: "logs/", tags: [{ key: "age", value: "18" }], period: { startTime: 1568688761, endTime: 1568688762 } },
  optionalFields: ["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"],
  destination: { bucket: "inventorybucket-1250000000", accountId: "100000000001", prefix: "reports", format: "CSV", encryption: "SSE-COS" },
}`;

function jobProgram(args: string, name = "daily", extra = ""): string {
  return cloudJobProgram("cos", args, name, extra);
}

function sdk(emu: E2eEmulator): COS {
  const port = new URL(emu.url).port;
  return new COS({
    SecretId: E2E_CREDENTIALS.id,
    SecretKey: E2E_CREDENTIALS.secret,
    Ip: `127.0.0.1:${port}`,
    Protocol: "http:",
  });
}

describe("cos.BucketInventory on the real engine", () => {
  let emu: E2eEmulator;
  const projects = new ProjectPool();

  function newProject(name: string, prog: string, env: Record<string, string> = {}): Promise<TestProject> {
    return projects.create(emu, name, prog, env);
  }

  beforeAll(async () => {
    emu = await E2eEmulator.start();
  });

  afterAll(async () => {
    await projects.disposeAll();
    await emu.stop();
  });

  beforeEach(async () => {
    await emu.reset();
  });

  it("previews, creates, shows no changes, updates in place, replaces and destroys, with exact request counts", async () => {
    const p = await newProject("cos-lifecycle", jobProgram(FULL_ARGS));

    const preview = await p.preview();
    expect(preview.code).toBe(0);
    expect(summary(preview)).toEqual({ create: 2 });
    expect(await emu.requests()).toEqual([]);

    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 2 });
    // The id is free (GET 404), the PUT, then a read back that catches a concurrent writer.
    const created = countByOperation(await emu.requests());
    expect(created).toEqual({ get: 2, put: 1 });

    const state = await p.exportStack();
    const [res] = resourcesOfType(state, TYPE);
    expect(res.id).toBe(`${REGION}/${BUCKET}/daily`);
    expect(res.outputs).toMatchObject({
      schemaVersion: 1,
      region: REGION,
      bucket: BUCKET,
      inventoryId: "daily",
      enabled: true,
      includedObjectVersions: "All",
      schedule: { frequency: "Daily" },
      filter: {
        prefix: "logs/",
        tags: [{ key: "age", value: "18" }],
        period: { startTime: 1568688761, endTime: 1568688762 },
      },
      optionalFields: ["Crc64", "ETag", "Size", "Tag", "x-cos-meta-owner"],
      destination: {
        bucket: `qcs::cos:${REGION}::inventorybucket-1250000000`,
        accountId: "100000000001",
        prefix: "reports",
        format: "CSV",
        encryption: "SSE-COS",
      },
    });
    // The thin shim: small, and it only names the installed package.
    const providerText = String(res.outputs?.__provider);
    expect(providerText.length).toBeLessThan(8 * 1024);
    expect(providerText).toContain('require("pulumi-bucket-inventory/runtime")');

    await emu.clearLog();
    const again = await p.preview("--expect-no-changes");
    expect(again.code).toBe(0);
    expect(summary(again)).toEqual({ same: 2 });
    expect(await emu.requests()).toEqual([]);

    // Reordered optional fields, the qcs destination form, "true" as a string: still no change.
    p.writeProgram(
      jobProgram(
        FULL_ARGS.replace(
          `["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"]`,
          `["x-cos-meta-owner", "Crc64", "Tag", "ETag", "Size", "Size"]`,
        )
          .replace(
            `bucket: "inventorybucket-1250000000"`,
            `bucket: "qcs::cos:${REGION}::inventorybucket-1250000000"`,
          )
          .replace("enabled: true", `enabled: "true" as unknown as boolean`),
      ),
    );
    const normalized = await p.preview("--expect-no-changes");
    expect(normalized.code).toBe(0);
    expect(summary(normalized)).toEqual({ same: 2 });

    // One field changes: one PUT, in place.
    p.writeProgram(jobProgram(FULL_ARGS.replace(`frequency: "Daily"`, `frequency: "Weekly"`)));
    await emu.clearLog();
    const update = await p.up();
    expect(update.code).toBe(0);
    expect(summary(update)).toEqual({ same: 1, update: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ put: 1 });
    const stored = await sdk(emu).getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "daily" });
    expect(stored.InventoryConfiguration.Schedule.Frequency).toBe("Weekly");

    // inventoryId changes: replace (create the new one, delete the old one).
    p.writeProgram(jobProgram(FULL_ARGS.replace("enabled: true", `inventoryId: "daily-v2", enabled: true`)));
    await emu.clearLog();
    const replace = await p.up();
    expect(replace.code).toBe(0);
    expect(summary(replace)).toEqual({ same: 1, replace: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 2, put: 1, delete: 1 });
    const list = await sdk(emu).listBucketInventory({ Bucket: BUCKET, Region: REGION });
    expect(list.InventoryConfigurations.map((c: COS.InventoryConfiguration) => c.Id)).toEqual(["daily-v2"]);

    // Refresh: one request per resource, no drift.
    await emu.clearLog();
    const refresh = await p.refresh("--expect-no-changes");
    expect(refresh.code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });

    // Destroy deletes every job with one request each.
    await emu.clearLog();
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(summary(destroy)).toEqual({ delete: 2 });
    expect(countByOperation(await emu.requests())).toEqual({ delete: 1 });
    const after = await sdk(emu).listBucketInventory({ Bucket: BUCKET, Region: REGION });
    expect(after.InventoryConfigurations).toEqual([]);
  });

  it("refresh shows drift made through the official SDK, and the next up repairs it", async () => {
    const p = await newProject("cos-drift", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);

    const client = sdk(emu);
    const current = await client.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "daily" });
    const changed: COS.InventoryConfiguration = { ...current.InventoryConfiguration, IsEnabled: "false" };
    await client.putBucketInventory({
      Bucket: BUCKET,
      Region: REGION,
      Id: "daily",
      InventoryConfiguration: changed,
    });

    await emu.clearLog();
    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ update: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
    const [res] = resourcesOfType(await p.exportStack(), TYPE);
    expect(res.outputs?.enabled).toBe(false);

    const preview = await p.preview();
    expect(summary(preview)).toEqual({ same: 1, update: 1 });

    await emu.clearLog();
    const repair = await p.up();
    expect(repair.code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ put: 1 });
    const fixed = await client.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "daily" });
    expect(fixed.InventoryConfiguration.IsEnabled).toBe("true");
  });

  it("refresh removes a job deleted out of band, and the next up recreates it", async () => {
    const p = await newProject("cos-gone", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    await sdk(emu).deleteBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "daily" });

    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ delete: 1 });
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    await emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toMatchObject({ create: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 2, put: 1 });
  });

  it("refuses to overwrite an existing, different job, and leaves it unchanged", async () => {
    const client = sdk(emu);
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
    await emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    const text = output(up);
    expect(text).toContain(
      'an inventory job "daily" on bucket "examplebucket-1250000000" (ap-guangzhou) already exists with a different configuration',
    );
    expect(text).toContain("adopt: true");
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
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
    await emu.clearLog();
    const same = await p.up();
    expect(same.code).not.toBe(0);
    expect(output(same)).toContain('an inventory job "daily" on bucket "examplebucket-1250000000"');
    expect(output(same)).toContain("aliases");
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
  });

  it("imports an existing job with adopt: true, updating it to the declared configuration", async () => {
    const client = sdk(emu);
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
    await emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 2 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1, put: 1 });
    const taken = await client.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: "legacy" });
    expect(taken.InventoryConfiguration.IsEnabled).toBe("true");
    expect(taken.InventoryConfiguration.Schedule.Frequency).toBe("Daily");

    // From then on it is managed: no perpetual diff, and destroy deletes it.
    expect((await p.preview("--expect-no-changes")).code).toBe(0);
    expect((await p.destroy()).code).toBe(0);
    const left = await client.listBucketInventory({ Bucket: BUCKET, Region: REGION });
    expect(left.InventoryConfigurations).toEqual([]);
  });

  it("shows what the engine does with the `import` resource option for this dynamic resource", async () => {
    const client = sdk(emu);
    await client.putBucketInventory({
      Bucket: BUCKET,
      Region: REGION,
      Id: "existing",
      InventoryConfiguration: {
        Id: "existing",
        IsEnabled: "true",
        IncludedObjectVersions: "Current",
        Schedule: { Frequency: "Daily" },
        Destination: {
          COSBucketDestination: { Format: "CSV", Bucket: `qcs::cos:${REGION}::inventorybucket-1250000000` },
        },
      },
    });
    const p = await newProject(
      "cos-import-option",
      program(`new inventory.cos.BucketInventory("existing", {
  bucket: "${BUCKET}", region: "${REGION}", schedule: { frequency: "Daily" },
  destination: { bucket: "inventorybucket-1250000000" },
}, { import: "${REGION}/${BUCKET}/existing" });`),
    );
    const up = await p.up();
    // Up to @pulumi/pulumi 3.276 at least, the engine reads an imported resource with its ID only;
    // the dynamic-provider host then has no serialized provider to run ("code must be a string, not undefined").
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/code must be a string|__provider|provider/i);
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);
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
    const list = await sdk(emu).listBucketInventory({ Bucket: BUCKET, Region: REGION });
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
    expect(await emu.requests()).toEqual([]);
  });

  it("rejects invalid input at preview, naming the property, without any request", async () => {
    const p = await newProject(
      "cos-invalid",
      jobProgram(`{ bucket: "${BUCKET}", region: "${REGION}", inventoryId: "bad id!", schedule: { frequency: "Hourly" as "Daily" },
        filter: { tags: [{ key: "age", value: "18" }], period: { startTime: 20, endTime: 10 } },
        optionalFields: ["Size", "x-cos-meta-"],
        destination: { bucket: "Not_A_Bucket" } }`),
    );
    const r = await p.preview();
    expect(r.code).not.toBe(0);
    const text = output(r);
    for (const property of [
      "inventoryId",
      "schedule.frequency",
      "filter.period",
      "optionalFields",
      "destination.bucket",
    ]) {
      expect(text).toContain(property);
    }
    expect(await emu.requests()).toEqual([]);
  });

  it("deploys when the bucket name is an output of another resource", async () => {
    const p = await newProject(
      "cos-output",
      program(`
const bucketProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: inputs.name, outs: { name: inputs.name } }; },
};
class FakeBucket extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  constructor(name: string) { super(bucketProvider, name, { name: "${BUCKET}" }); }
}
const bucket = new FakeBucket("source");
const job = new inventory.cos.BucketInventory("from-output", {
  bucket: bucket.name, region: "${REGION}", schedule: { frequency: "Daily" },
  destination: { bucket: "inventorybucket-1250000000" },
});
export const id = job.id;`),
    );
    const preview = await p.preview();
    expect(preview.code).toBe(0);
    expect(summary(preview)).toEqual({ create: 3 });
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 3 });
    const outs = await p.must<Record<string, string>>(["stack", "output", "--json", "--stack", p.stack]);
    expect(outs.json?.id).toBe(`${REGION}/${BUCKET}/from-output`);
  });

  it("reports an unreachable emulator clearly, keeps state, then recovers; rides out three 503s", async () => {
    const p = await newProject("cos-faults", jobProgram(FULL_ARGS));
    await emu.stop();
    const down = await p.up();
    await emu.restart();
    expect(down.code).not.toBe(0);
    expect(output(down)).toMatch(/ECONNREFUSED/);
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toMatchObject({ create: 1 });

    p.writeProgram(jobProgram(FULL_ARGS.replace(`prefix: "reports"`, `prefix: "reports-v2"`)));
    await emu.fault({ match: { operation: "put" }, count: 3, status: 503, code: "ServiceUnavailable" });
    await emu.clearLog();
    const flaky = await p.up();
    expect(flaky.code).toBe(0);
    const log = await emu.requests();
    expect(log.map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });

  it("takes credentials from stack config, and no resource's state holds the secret key", async () => {
    const p = await projects.create(
      emu,
      "cos-config-creds",
      jobProgram(FULL_ARGS),
      { TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "", BUCKET_INVENTORY_COS_ENDPOINT: "" },
      {
        config: { "tencentcloud:secretId": E2E_CREDENTIALS.id, "bucket-inventory:cosEndpoint": emu.url },
        secretConfig: { "tencentcloud:secretKey": E2E_CREDENTIALS.secret },
      },
    );
    const up = await p.up();
    expect(up.code).toBe(0);
    const state = await p.exportStack(true);
    for (const r of state.deployment.resources ?? []) {
      if (r.type === "pulumi:providers:pulumi-nodejs") {
        // The engine records the whole stack config as the dynamic provider's
        // configuration (secrets stay secret-typed); that is engine behaviour.
        continue;
      }
      expect(JSON.stringify(r)).not.toContain(E2E_CREDENTIALS.secret);
    }
    const plain = JSON.stringify(await p.exportStack(false));
    expect(plain).not.toContain(E2E_CREDENTIALS.secret);
    expect((await p.destroy()).code).toBe(0);
  });

  it("with credentials from the environment, nothing in the state export holds the secret key", async () => {
    const p = await newProject("cos-env-creds", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    const text = JSON.stringify(await p.exportStack(true));
    expect(text).not.toContain(E2E_CREDENTIALS.secret);
    expect((await p.destroy()).code).toBe(0);
  });
});
