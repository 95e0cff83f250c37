/**
 * `oss.BucketInventory` on the real Pulumi engine, against the local
 * emulator's OSS dialect, and a stack holding COS and OSS jobs together.
 * Request counts come from the emulator's own log. Out-of-band changes go
 * through our client in V1 mode (the resource signs V4), so they take another
 * signing path than the resource under test.
 */
import { OssInventoryClient } from "../../provider/clouds/oss/client";
import { parseOssEndpoint } from "../../provider/clouds/oss/endpoint";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { E2E_CREDENTIALS, E2eEmulator, countByOperation } from "./emulator";
import { TestProject, resourcesOfType } from "./harness";
import { ProjectPool, jobProgram as cloudJobProgram, output, program, summary } from "./support";

const TYPE = "pulumi-nodejs:dynamic/oss:BucketInventory";
const REGION = "cn-hangzhou";
const BUCKET = "examplebucket";
const ROLE = "acs:ram::1000000000000000:role/AliyunOSSRole";
const ALL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "TransitionTime",
  "ObjectAcl",
  "TaggingCount",
  "ObjectType",
  "Crc64",
];

/** Every field, as a user would write it. */
const FULL_ARGS = `{
  bucket: "${BUCKET}",
  region: "${REGION}",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: {
    prefix: "logs/",
    lastModifyBeginTime: 1637883649,
    lastModifyEndTime: 1638347592,
    lowerSizeBound: 1024,
    upperSizeBound: 1048576,
    storageClasses: ["Standard", "IA"],
  },
  optionalFields: ${JSON.stringify(ALL_FIELDS)},
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "${ROLE}",
    prefix: "reports",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
  },
}`;

function jobProgram(args: string, name = "daily", extra = ""): string {
  return cloudJobProgram("oss", args, name, extra);
}

/** A client for out-of-band changes, signing V1. */
function outOfBand(emu: E2eEmulator): OssInventoryClient {
  return new OssInventoryClient({
    credentials: { accessKeyId: E2E_CREDENTIALS.id, accessKeySecret: E2E_CREDENTIALS.secret },
    region: REGION,
    endpoint: parseOssEndpoint(emu.url),
    signatureVersion: "v1",
  });
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

  it("previews, creates, shows no changes, updates, replaces and destroys, with exact request counts", async () => {
    const p = await newProject("oss-lifecycle", jobProgram(FULL_ARGS));

    const preview = await p.preview();
    expect(preview.code).toBe(0);
    expect(summary(preview)).toEqual({ create: 2 });
    expect(await emu.requests()).toEqual([]);

    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 2 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1, put: 1 });

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
        lastModifyBeginTime: 1637883649,
        lastModifyEndTime: 1638347592,
        lowerSizeBound: 1024,
        upperSizeBound: 1048576,
        storageClasses: ["IA", "Standard"],
      },
      optionalFields: [...ALL_FIELDS].sort(),
      destination: {
        bucket: "acs:oss:::destination-bucket",
        accountId: "1000000000000000",
        roleArn: ROLE,
        prefix: "reports",
        format: "CSV",
        encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
      },
    });
    const providerText = String(res.outputs?.__provider);
    expect(providerText.length).toBeLessThan(8 * 1024);
    expect(providerText).toContain('require("pulumi-bucket-inventory/runtime")');
    const stored = await outOfBand(emu).get(BUCKET, "daily");
    expect(stored.filter).toEqual({
      prefix: "logs/",
      lastModifyBeginTimeStamp: 1637883649,
      lastModifyEndTimeStamp: 1638347592,
      lowerSizeBound: 1024,
      upperSizeBound: 1048576,
      storageClass: "IA,Standard",
    });

    await emu.clearLog();
    const again = await p.preview("--expect-no-changes");
    expect(again.code).toBe(0);
    expect(summary(again)).toEqual({ same: 2 });
    expect(await emu.requests()).toEqual([]);

    // Reordered lists, the acs: destination form, the oss- region prefix, "true": still no change.
    p.writeProgram(
      jobProgram(
        FULL_ARGS.replace(JSON.stringify(ALL_FIELDS), JSON.stringify([...ALL_FIELDS].reverse()))
          .replace(`["Standard", "IA"]`, `["IA", "Standard", "IA"]`)
          .replace(`bucket: "destination-bucket"`, `bucket: "acs:oss:::destination-bucket"`)
          .replace(`region: "${REGION}"`, `region: "oss-${REGION}"`)
          .replace("enabled: true", `enabled: "true" as unknown as boolean`),
      ),
    );
    const normalized = await p.preview("--expect-no-changes");
    expect(normalized.code).toBe(0);
    expect(summary(normalized)).toEqual({ same: 2 });

    // One field changes: in place. OSS refuses a PUT on an existing id, so
    // the update reads the job (to restore it on failure), deletes and puts.
    p.writeProgram(jobProgram(FULL_ARGS.replace(`frequency: "Daily"`, `frequency: "Weekly"`)));
    await emu.clearLog();
    const update = await p.up();
    expect(update.code).toBe(0);
    expect(summary(update)).toEqual({ same: 1, update: 1 });
    expect((await emu.requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "get 200",
      "delete 204",
      "put 200",
    ]);
    expect((await outOfBand(emu).get(BUCKET, "daily")).schedule.frequency).toBe("Weekly");

    // inventoryId changes: replace (create the new one, delete the old one).
    p.writeProgram(jobProgram(FULL_ARGS.replace("enabled: true", `inventoryId: "daily-v2", enabled: true`)));
    await emu.clearLog();
    const replace = await p.up();
    expect(replace.code).toBe(0);
    expect(summary(replace)).toEqual({ same: 1, replace: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1, put: 1, delete: 1 });
    expect((await outOfBand(emu).list(BUCKET)).map((c) => c.id)).toEqual(["daily-v2"]);

    await emu.clearLog();
    const refresh = await p.refresh("--expect-no-changes");
    expect(refresh.code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });

    await emu.clearLog();
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(summary(destroy)).toEqual({ delete: 2 });
    expect(countByOperation(await emu.requests())).toEqual({ delete: 1 });
    expect(await outOfBand(emu).list(BUCKET)).toEqual([]);
  });

  it("a failed update leaves the old job in place", async () => {
    const p = await newProject("oss-failed-update", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    const before = await outOfBand(emu).get(BUCKET, "daily");

    p.writeProgram(jobProgram(FULL_ARGS.replace(`prefix: "reports"`, `prefix: "reports-v2"`)));
    await emu.fault({
      match: { operation: "put", dialect: "oss" },
      count: 1,
      status: 400,
      code: "InvalidArgument",
      message: "injected: the new configuration is refused",
    });
    await emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    expect(output(up)).toContain("injected: the new configuration is refused");
    expect((await emu.requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "get 200",
      "delete 204",
      "put 400",
      "put 200",
    ]);
    expect(await outOfBand(emu).get(BUCKET, "daily")).toEqual(before);
    const [res] = resourcesOfType(await p.exportStack(), TYPE);
    expect(res.outputs?.destination).toMatchObject({ prefix: "reports" });

    // Nothing was lost: the next up applies the change.
    await emu.clearLog();
    expect((await p.up()).code).toBe(0);
    expect((await outOfBand(emu).get(BUCKET, "daily")).destination.prefix).toBe("reports-v2");
  });

  it("refresh shows drift made out of band, and the next up repairs it", async () => {
    const p = await newProject("oss-drift", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    const client = outOfBand(emu);
    const current = await client.get(BUCKET, "daily");
    await client.replace(BUCKET, { ...current, isEnabled: false });

    await emu.clearLog();
    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ update: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
    const [res] = resourcesOfType(await p.exportStack(), TYPE);
    expect(res.outputs?.enabled).toBe(false);

    expect(summary(await p.preview())).toEqual({ same: 1, update: 1 });
    expect((await p.up()).code).toBe(0);
    expect((await client.get(BUCKET, "daily")).isEnabled).toBe(true);
  });

  it("refresh removes a job deleted out of band, and the next up recreates it", async () => {
    const p = await newProject("oss-gone", jobProgram(FULL_ARGS));
    expect((await p.up()).code).toBe(0);
    await outOfBand(emu).delete(BUCKET, "daily");

    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ delete: 1 });
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    await emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toMatchObject({ create: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 1, put: 1 });
  });

  it("refuses to overwrite an existing, different job; adopt: true takes it over", async () => {
    const client = outOfBand(emu);
    await client.put(BUCKET, theirs("daily"));

    const p = await newProject("oss-clobber", jobProgram(FULL_ARGS));
    await emu.clearLog();
    const up = await p.up();
    expect(up.code).not.toBe(0);
    const text = output(up);
    expect(text).toContain(
      'an inventory job "daily" on bucket "examplebucket" (cn-hangzhou) already exists with a different configuration',
    );
    expect(text).toContain("adopt: true");
    expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
    expect(await client.get(BUCKET, "daily")).toEqual(theirs("daily"));
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);

    p.writeProgram(jobProgram(FULL_ARGS.replace("enabled: true", "adopt: true, enabled: true")));
    await emu.clearLog();
    const adopted = await p.up();
    expect(adopted.code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ get: 2, delete: 1, put: 1 });
    expect((await client.get(BUCKET, "daily")).destination.prefix).toBe("reports");
    expect((await p.preview("--expect-no-changes")).code).toBe(0);
    expect((await p.destroy()).code).toBe(0);
    expect(await client.list(BUCKET)).toEqual([]);
  });

  it("rejects invalid input at preview, naming the property, without any request", async () => {
    const p = await newProject(
      "oss-invalid",
      jobProgram(`{ bucket: "${BUCKET}", region: "${REGION}", inventoryId: "bad id!", schedule: { frequency: "Hourly" as "Daily" },
        filter: { lastModifyBeginTime: 20, lowerSizeBound: 10, upperSizeBound: 5, storageClasses: ["Cold" as "IA"] },
        destination: { bucket: "Not_A_Bucket", accountId: "1", roleArn: "role/x",
          encryption: { type: "SSE-OSS", keyId: "k" } as unknown as { type: "SSE-OSS" } } }`),
    );
    const r = await p.preview();
    expect(r.code).not.toBe(0);
    const text = output(r);
    for (const property of [
      "inventoryId",
      "schedule.frequency",
      "filter.lastModifyBeginTime",
      "filter.upperSizeBound",
      "filter.storageClasses",
      "destination.bucket",
      "destination.roleArn",
      "destination.encryption",
    ]) {
      expect(text).toContain(property);
    }
    expect(await emu.requests()).toEqual([]);
  });

  it("deploys when the bucket name is an output of another resource", async () => {
    const p = await newProject(
      "oss-output",
      program(`
const bucketProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: inputs.name, outs: { name: inputs.name } }; },
};
class FakeBucket extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  constructor(name: string) { super(bucketProvider, name, { name: "${BUCKET}" }); }
}
const bucket = new FakeBucket("source");
const job = new inventory.oss.BucketInventory("from-output", {
  bucket: bucket.name, region: "${REGION}", schedule: { frequency: "Daily" },
  destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${ROLE}" },
});
export const id = job.id;`),
    );
    const preview = await p.preview();
    expect(preview.code).toBe(0);
    expect(summary(preview)).toEqual({ create: 3 });
    const up = await p.up();
    expect(up.code).toBe(0);
    const outs = await p.must<Record<string, string>>(["stack", "output", "--json", "--stack", p.stack]);
    expect(outs.json?.id).toBe(`${REGION}/${BUCKET}/from-output`);
  });

  it("reports an unreachable emulator clearly, keeps state, then recovers; rides out three 503s", async () => {
    const p = await newProject("oss-faults", jobProgram(FULL_ARGS));
    await emu.stop();
    const down = await p.up();
    await emu.restart();
    expect(down.code).not.toBe(0);
    expect(output(down)).toMatch(/ECONNREFUSED/);
    expect(resourcesOfType(await p.exportStack(), TYPE)).toHaveLength(0);
    expect((await p.up()).code).toBe(0);

    p.writeProgram(jobProgram(FULL_ARGS.replace(`prefix: "reports"`, `prefix: "reports-v2"`)));
    await emu.fault({ match: { operation: "get" }, count: 3, status: 503, code: "ServiceUnavailable" });
    await emu.clearLog();
    const flaky = await p.up();
    expect(flaky.code).toBe(0);
    expect((await emu.requests()).map((r) => r.status)).toEqual([503, 503, 503, 200, 204, 200]);
  });

  it("takes credentials from alicloud stack config; no resource's state holds the secret key", async () => {
    const p = await projects.create(
      emu,
      "oss-config-creds",
      jobProgram(FULL_ARGS),
      { ALICLOUD_ACCESS_KEY: "", ALICLOUD_SECRET_KEY: "", BUCKET_INVENTORY_OSS_ENDPOINT: "" },
      {
        config: { "alicloud:accessKey": E2E_CREDENTIALS.id, "bucket-inventory:ossEndpoint": emu.url },
        secretConfig: { "alicloud:secretKey": E2E_CREDENTIALS.secret },
      },
    );
    expect((await p.up()).code).toBe(0);
    for (const r of (await p.exportStack(true)).deployment.resources ?? []) {
      // The engine keeps the stack config in the default provider's state (see the README).
      if (r.type === "pulumi:providers:pulumi-nodejs") continue;
      expect(JSON.stringify(r)).not.toContain(E2E_CREDENTIALS.secret);
    }
    expect(JSON.stringify(await p.exportStack(false))).not.toContain(E2E_CREDENTIALS.secret);
    expect((await p.destroy()).code).toBe(0);
  });

  it("with OSS SDK variables and V1 signing, nothing in the state export holds the secret key", async () => {
    const p = await newProject("oss-env-creds", jobProgram(FULL_ARGS), {
      ALICLOUD_ACCESS_KEY: "",
      ALICLOUD_SECRET_KEY: "",
      OSS_ACCESS_KEY_ID: E2E_CREDENTIALS.id,
      OSS_ACCESS_KEY_SECRET: E2E_CREDENTIALS.secret,
      BUCKET_INVENTORY_OSS_SIGNATURE_VERSION: "v1",
    });
    await emu.clearLog();
    expect((await p.up()).code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ get: 1, put: 1 });
    expect(JSON.stringify(await p.exportStack(true))).not.toContain(E2E_CREDENTIALS.secret);
    expect((await p.destroy()).code).toBe(0);
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
    const log = await emu.requests();
    expect(
      log
        .filter((r) => r.operation === "put")
        .map((r) => `${r.bucket}/${r.inventoryId}`)
        .sort(),
    ).toEqual(["examplebucket-1250000000/cos-daily", `${BUCKET}/oss-daily`]);
    const jobs = (await (await fetch(`${emu.url}/_emulator/jobs`)).json()) as Record<
      string,
      { dialect: string; id: string }[]
    >;
    expect(jobs[BUCKET].map((j) => `${j.dialect}:${j.id}`)).toEqual(["oss:oss-daily"]);
    expect(jobs["examplebucket-1250000000"].map((j) => `${j.dialect}:${j.id}`)).toEqual(["cos:cos-daily"]);

    expect((await p.refresh("--expect-no-changes")).code).toBe(0);
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(summary(destroy)).toEqual({ delete: 3 });
    const after = (await (await fetch(`${emu.url}/_emulator/jobs`)).json()) as Record<string, unknown[]>;
    expect(Object.values(after).flat()).toEqual([]);
  });
});
