// One-shot runs in the provider: check (before any request) and diff.
import { createRuntime } from "../../provider/engine/instance";
import { MemoryJournal } from "../../provider/engine/journal";
import { diffRun, generatedRunId } from "../../provider/engine/run";

const runtime = createRuntime({
  journal: () => new MemoryJournal(),
  warn: () => undefined,
  sleep: async () => {},
});

const COS_RUN = {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  destination: { bucket: "inventorybucket-1250000000", prefix: "reports" },
  __runName: "now",
};
const OSS_RUN = {
  bucket: "examplebucket",
  region: "cn-hangzhou",
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
  },
  __runName: "now",
};

describe("InventoryRun check", () => {
  test("a valid COS run is normalized like a job, without the periodic parts or an id it did not declare", async () => {
    const { inputs, failures } = await runtime.cosRun.check({}, { ...COS_RUN, triggers: [1] });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      schemaVersion: 1,
      bucket: COS_RUN.bucket,
      region: COS_RUN.region,
      includedObjectVersions: "Current",
      optionalFields: [],
      destination: {
        bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000",
        prefix: "reports",
        format: "CSV",
      },
      triggers: [1],
      __runName: "now",
    });
  });

  test("schedule, enabled and adopt are refused by name, as are triggers that are not a list", async () => {
    const { failures } = await runtime.cosRun.check(
      {},
      { ...COS_RUN, schedule: { frequency: "Daily" }, enabled: true, adopt: true, triggers: "v1" },
    );
    expect(failures?.map((f) => f.property)).toEqual(["enabled", "schedule", "adopt", "triggers"]);
    expect(failures?.[1].reason).toMatch(/^schedule is not an argument of cos.InventoryRun/);
  });

  test("the job rules name the argument, a declared id included", async () => {
    const { failures } = await runtime.cosRun.check(
      {},
      { ...COS_RUN, inventoryId: "bad id", optionalFields: ["Nope"] },
    );
    expect(failures?.map((f) => f.property).sort()).toEqual(["inventoryId", "optionalFields[0]"]);
  });

  test("OSS autoDelete defaults to true and must be a boolean", async () => {
    expect((await runtime.ossRun.check({}, OSS_RUN)).inputs.autoDelete).toBe(true);
    expect((await runtime.ossRun.check({}, { ...OSS_RUN, autoDelete: false })).inputs.autoDelete).toBe(false);
    const { failures } = await runtime.ossRun.check({}, { ...OSS_RUN, autoDelete: "no" });
    expect(failures?.map((f) => f.property)).toEqual(["autoDelete"]);
  });
});

describe("InventoryRun diff", () => {
  const outs = { ...COS_RUN, triggers: [1], runId: "now-1", jobId: "j", startedAt: "t", reportPrefix: "p" };

  test("the same declaration is no change, whatever the results", () => {
    expect(diffRun(outs, { ...COS_RUN, triggers: [1] }, false)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a changed trigger or argument replaces (runs again)", () => {
    expect(diffRun(outs, { ...COS_RUN, triggers: [2] }, true)).toEqual({
      changes: true,
      replaces: ["triggers"],
      deleteBeforeReplace: true,
    });
    expect(diffRun(outs, { ...COS_RUN, triggers: [1], filter: { prefix: "a/" } }, false).replaces).toEqual([
      "filter",
    ]);
  });
});

test("a generated run id is the name, a UTC time stamp and 4 hex digits, within 64 characters", () => {
  const now = new Date("2026-11-29T01:02:03Z");
  expect(generatedRunId("nightly", now)).toMatch(/^nightly-20261129010203-[0-9a-f]{4}$/);
  expect(generatedRunId("x".repeat(80), now)).toHaveLength(64);
  expect(generatedRunId("a b/c", now)).toMatch(/^a-b-c-/);
});
