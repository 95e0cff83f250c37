/**
 * The pure parts of `bucket-inventory list | import | status`
 * (provider/discovery): names, generated declarations, the import document,
 * and comparing a stack's state with the cloud.
 */
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { checkCosInputs } from "../../provider/clouds/cos/schema";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { checkOssInputs } from "../../provider/clouds/oss/schema";
import { UsageError, parseFlags } from "../../provider/cli/args";
import { declaration, generateProgram, tsLiteral } from "../../provider/discovery/code";
import { importFile } from "../../provider/discovery/import-file";
import { type JobRef, normalizeJob } from "../../provider/discovery/job";
import { resourceName } from "../../provider/discovery/naming";
import {
  compareStack,
  differingProperties,
  formatTable,
  managedJobs,
  managersOf,
} from "../../provider/discovery/state";
import { shimSource } from "../../provider/resource/shim";
import { suiteJob } from "../support/emulator-suite";

const COS_ADDRESS = { region: "ap-guangzhou", bucket: "examplebucket-1250000000" };
const OSS_ADDRESS = { region: "cn-hangzhou", bucket: "examplebucket" };

function cosJob(id: string, overrides: Partial<CosInventoryConfiguration> = {}) {
  const model = suiteJob<CosInventoryConfiguration>(
    id,
    { format: "CSV", bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000", accountId: "100000000001" },
    overrides,
  );
  return normalizeJob({ cloud: "cos", model }, COS_ADDRESS);
}

function ossJob(id: string, overrides: Partial<OssInventoryConfiguration> = {}) {
  const model = suiteJob<OssInventoryConfiguration>(
    id,
    {
      format: "CSV",
      bucket: "acs:oss:::destination-bucket",
      accountId: "1000000000000000",
      roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    },
    { filter: { prefix: "logs/", storageClass: "Standard,IA" }, ...overrides },
  );
  return normalizeJob({ cloud: "oss", model }, OSS_ADDRESS);
}

describe("normalizeJob", () => {
  it("gives the args a program declares and what check makes of them, for both clouds", () => {
    for (const [job, check] of [
      [cosJob("daily"), checkCosInputs],
      [ossJob("daily"), checkOssInputs],
    ] as const) {
      expect(job.failures).toEqual([]);
      expect(job.args.schemaVersion).toBeUndefined();
      expect(job.inputs).toEqual(check(job.args).inputs);
      expect(job.inputs).toEqual(job.read);
      expect(job.inputs.schemaVersion).toBe(1);
    }
    // Sorted as check sorts them.
    expect(cosJob("daily").args.optionalFields).toEqual(["ETag", "LastModifiedDate", "Size"]);
    expect(ossJob("daily").args.filter).toEqual({ prefix: "logs/", storageClasses: ["IA", "Standard"] });
  });

  it("names why a job check refuses cannot be imported", () => {
    const odd = cosJob("daily report");
    expect(odd.inventoryId).toBe("daily report");
    expect(odd.failures.map((f) => f.property)).toEqual(["inventoryId"]);
  });
});

describe("resourceName", () => {
  const at = (inventoryId: string) => resourceName({ bucket: "b-1250000000", inventoryId });

  it("is <bucket>.<id>, stable, and keeps ids differing only in case apart", () => {
    expect(at("daily")).toBe("b-1250000000.daily");
    expect(at("Daily")).toBe("b-1250000000.Daily");
    expect(at("daily")).toBe(at("daily"));
    // The bucket has no ".", so bucket "a" with id "b-c" and bucket "a-b" with id "c" differ.
    expect(resourceName({ bucket: "a", inventoryId: "b-c" })).not.toBe(
      resourceName({ bucket: "a-b", inventoryId: "c" }),
    );
  });

  it("gives odd ids a readable part and a hash, so ids differing in one character never collide", () => {
    const names = ["a b", "a/b", "a_b", "a~b", "", "日報"].map(at);
    expect(new Set(names).size).toBe(names.length);
    expect(at("a b")).toMatch(/^b-1250000000\.a_b~[0-9a-f]{12}$/);
    expect(at("a_b")).toBe("b-1250000000.a_b");
  });
});

describe("generated declarations", () => {
  it("writes TypeScript literals that evaluate back to the value", () => {
    const value = { a: 1, "x-y": ["p", "q"], nested: { t: true, s: 'quote " and \\' }, empty: [], none: {} };
    const text = tsLiteral(value);
    expect(text).toContain('"x-y": ["p", "q"]');
    expect(text).toContain("  a: 1,");
    expect(new Function(`return ${text};`)()).toEqual(value);
  });

  it("declares each job with explicit region, bucket and inventoryId first, and its resource name", () => {
    const job = cosJob("Daily");
    const text = declaration(job);
    expect(text.startsWith('new inventory.cos.BucketInventory("examplebucket-1250000000.Daily", {\n')).toBe(
      true,
    );
    expect(text).toMatch(
      /^ {2}region: "ap-guangzhou",\n {2}bucket: "examplebucket-1250000000",\n {2}inventoryId: "Daily",$/m,
    );
    expect(text).not.toContain("schemaVersion");
    expect(text).toContain('  schedule: { frequency: "Daily" },\n');
    const args = new Function(`return ${text.slice(text.indexOf("{"), text.lastIndexOf(")"))};`)();
    expect(args).toEqual(job.args);
    const program = generateProgram([job, ossJob("daily")]);
    expect(program).toContain('import * as inventory from "pulumi-bucket-inventory";');
    expect(program).toContain('new inventory.oss.BucketInventory("examplebucket.daily", {');
  });
});

describe("importFile", () => {
  it("records a claim in the outputs only, when given one", () => {
    const doc = importFile([cosJob("daily"), ossJob("daily")], ["c1", "c2"]);
    expect(doc.resources.map((r) => r.outputs.__claim)).toEqual(["c1", "c2"]);
    expect(doc.resources.map((r) => r.inputs.__claim)).toEqual([undefined, undefined]);
  });

  it("has the dynamic type, the name, the ID and inputs equal to outputs with the shim", () => {
    const jobs = [cosJob("daily"), ossJob("daily")];
    const doc = importFile(jobs);
    expect(doc.resources.map((r) => [r.type, r.name, r.id])).toEqual([
      [
        "pulumi-nodejs:dynamic/cos:BucketInventory",
        "examplebucket-1250000000.daily",
        "ap-guangzhou/examplebucket-1250000000/daily",
      ],
      ["pulumi-nodejs:dynamic/oss:BucketInventory", "examplebucket.daily", "cn-hangzhou/examplebucket/daily"],
    ]);
    for (const [i, r] of doc.resources.entries()) {
      expect(r.inputs).toEqual(r.outputs);
      expect(r.inputs.__provider).toBe(shimSource(jobs[i].cloud));
      const { __provider: _shim, ...job } = r.inputs;
      expect(job).toEqual(jobs[i].inputs);
    }
  });
});

describe("stack state against the cloud", () => {
  const exported = {
    version: 3,
    deployment: {
      resources: [
        { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" },
        {
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cos:BucketInventory::kept",
          type: "pulumi-nodejs:dynamic/cos:BucketInventory",
          id: "ap-guangzhou/examplebucket-1250000000/daily",
          outputs: { ...cosJob("daily").inputs, __provider: "x", __claim: "c" },
        },
        {
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/oss:BucketInventory::gone",
          type: "pulumi-nodejs:dynamic/oss:BucketInventory",
          id: "cn-hangzhou/examplebucket/daily",
          outputs: ossJob("daily").inputs,
        },
        {
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cos:BucketInventory::read",
          type: "pulumi-nodejs:dynamic/cos:BucketInventory",
          id: "ap-guangzhou/examplebucket-1250000000/other",
          external: true,
        },
        {
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/oss:InventoryRun::audit",
          type: "pulumi-nodejs:dynamic/oss:InventoryRun",
          id: "cn-hangzhou/examplebucket/audit-1",
          outputs: { runId: "audit-1" },
        },
        {
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cos:BucketInventory::old",
          type: "pulumi-nodejs:dynamic/cos:BucketInventory",
          id: "ap-guangzhou/examplebucket-1250000000/replaced",
          delete: true,
        },
      ],
    },
  };

  it("reads the jobs a stack manages from its export, leaving out resources pending deletion and read with get", () => {
    const jobs = managedJobs(exported, "dev");
    expect(jobs.map((j) => [j.cloud, j.region, j.bucket, j.inventoryId, j.name, j.stack, j.run])).toEqual([
      ["cos", "ap-guangzhou", "examplebucket-1250000000", "daily", "kept", "dev", undefined],
      ["oss", "cn-hangzhou", "examplebucket", "daily", "gone", "dev", undefined],
      ["oss", "cn-hangzhou", "examplebucket", "audit-1", "audit", "dev", true],
    ]);
    expect(() => managedJobs({ nothing: true }, "dev")).toThrow(/no deployment/);
  });

  it("compares only what the job is, not who manages it", () => {
    const recorded = { ...cosJob("daily").inputs, __provider: "x", __claim: "c", __stack: "p/dev" };
    expect(differingProperties(recorded, cosJob("daily").read)).toEqual([]);
    const drifted = cosJob("daily", { isEnabled: false, schedule: { frequency: "Weekly" } }).read;
    expect(differingProperties(recorded, drifted)).toEqual(["enabled", "schedule"]);
  });

  it("reports in-sync, drifted, missing and unmanaged jobs", () => {
    const managed = managedJobs(exported, "dev");
    const current = new Map<string, Record<string, unknown> | undefined>([
      ["cos ap-guangzhou/examplebucket-1250000000/daily", cosJob("daily", { isEnabled: false }).read],
      ["oss cn-hangzhou/examplebucket/daily", undefined],
    ]);
    const listed: JobRef[] = [
      { cloud: "cos", ...COS_ADDRESS, inventoryId: "daily" },
      { cloud: "cos", ...COS_ADDRESS, inventoryId: "Daily" },
      // The stack's own one-shot run's configuration: neither compared nor unmanaged.
      { cloud: "oss", ...OSS_ADDRESS, inventoryId: "audit-1" },
    ];
    expect(compareStack(managed, current, listed)).toEqual([
      {
        cloud: "cos",
        ...COS_ADDRESS,
        inventoryId: "daily",
        name: "kept",
        status: "drifted",
        differences: ["enabled"],
      },
      { cloud: "oss", ...OSS_ADDRESS, inventoryId: "daily", name: "gone", status: "missing" },
      { cloud: "cos", ...COS_ADDRESS, inventoryId: "Daily", status: "unmanaged" },
    ]);
    current.set("cos ap-guangzhou/examplebucket-1250000000/daily", cosJob("daily").read);
    expect(compareStack(managed.slice(0, 1), current, [])[0].status).toBe("in-sync");
    const managers = managersOf(listed, managed);
    expect([...managers.values()]).toEqual([["dev"], [], ["dev"]]);
  });

  it("formats a table with aligned columns", () => {
    expect(
      formatTable(
        ["A", "LONGER"],
        [
          ["xyz", "1"],
          ["", "2"],
        ],
      ),
    ).toEqual(["A    LONGER", "xyz  1", "     2"]);
  });
});

describe("parseFlags", () => {
  const spec = { single: ["cloud"], repeated: ["bucket"], booleans: ["json"] };

  it("reads single, repeated and boolean flags, with = or a separate value", () => {
    const f = parseFlags(["--cloud=cos", "--bucket", "a", "--bucket=b", "--json"], spec);
    expect(f).not.toBe("help");
    if (f === "help") return;
    expect(f.values.get("cloud")).toEqual(["cos"]);
    expect(f.values.get("bucket")).toEqual(["a", "b"]);
    expect(f.set.has("json")).toBe(true);
    expect(parseFlags(["--bucket", "a", "-h"], spec)).toBe("help");
  });

  it("refuses unknown, repeated single, valueless and stray arguments", () => {
    for (const args of [
      ["--nope"],
      ["--cloud", "a", "--cloud", "b"],
      ["--cloud"],
      ["--cloud", "--json"],
      ["x"],
      ["--json=1"],
    ]) {
      expect(() => parseFlags(args, spec)).toThrow(UsageError);
    }
  });
});
