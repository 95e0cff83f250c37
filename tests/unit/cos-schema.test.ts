import { UNKNOWN } from "../../provider/core/unknown";
import { checkCosInputs, fromCosConfiguration, toCosConfiguration } from "../../provider/clouds/cos/schema";
import type { CosInventoryInputs } from "../../provider/clouds/cos/schema";
import { diffInventory } from "../../provider/engine/engine";
import { COS_SAMPLE_ARGS } from "../support/samples";

const REPLACE = ["region", "bucket", "inventoryId"];
const CONTROL = ["adopt"];

const full = {
  ...COS_SAMPLE_ARGS,
  optionalFields: ["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"],
};

function check(news: Record<string, unknown>) {
  return checkCosInputs(news);
}

describe("checkCosInputs", () => {
  it("accepts every field and normalizes it", () => {
    const r = check(full);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toEqual({
      ...full,
      schemaVersion: 1,
      optionalFields: ["Crc64", "ETag", "Size", "Tag", "x-cos-meta-owner"],
      destination: { ...full.destination, bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000" },
    });
  });

  it("applies defaults", () => {
    const r = checkCosInputs({
      region: "ap-beijing",
      bucket: "examplebucket-1250000000",
      inventoryId: "x",
      schedule: { frequency: "Weekly" },
      destination: { bucket: "inventorybucket-1250000000" },
    });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({
      region: "ap-beijing",
      enabled: true,
      includedObjectVersions: "Current",
      optionalFields: [],
      destination: { format: "CSV", bucket: "qcs::cos:ap-beijing::inventorybucket-1250000000" },
    });
  });

  it("gives one normal form for equivalent spellings", () => {
    const variant = check({
      ...full,
      enabled: "true",
      optionalFields: ["x-cos-meta-owner", "Crc64", "Tag", "ETag", "Size", "Size"],
      filter: { ...full.filter, period: { startTime: "1568688761", endTime: "1568688762" } },
      destination: { ...full.destination, bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000" },
    });
    expect(variant.failures).toEqual([]);
    expect(variant.inputs).toEqual(check(full).inputs);
    const noFilter = check({ ...full, filter: undefined });
    const emptyFilter = check({ ...full, filter: { prefix: "", tags: [], period: {} } });
    expect(emptyFilter.inputs).toEqual(noFilter.inputs);
    const emptyEncryption = check({ ...full, destination: { ...full.destination, encryption: "" } });
    const noEncryption = check({ ...full, destination: { ...full.destination, encryption: undefined } });
    expect(emptyEncryption.inputs).toEqual(noEncryption.inputs);
  });

  it("names every bad property and says what to do", () => {
    const r = check({
      ...full,
      region: "Guangzhou",
      inventoryId: "bad id!",
      includedObjectVersions: "Some",
      schedule: { frequency: "Hourly" },
      filter: { tags: [{ key: "age", value: "18" }], period: { startTime: 20, endTime: 10 } },
      optionalFields: ["Size", "x-cos-meta-", "Bogus"],
      destination: { bucket: "Not_A_Bucket", encryption: "KMS" },
      colour: "blue",
    });
    const props = r.failures.map((f) => f.property);
    for (const p of [
      "region",
      "inventoryId",
      "includedObjectVersions",
      "schedule.frequency",
      "filter.period",
      "optionalFields[1]",
      "optionalFields[2]",
      "destination.bucket",
      "destination.encryption",
      "colour",
    ]) {
      expect(props).toContain(p);
    }
    for (const f of r.failures) {
      expect(f.reason.length).toBeGreaterThan(10);
    }
  });

  it("requires the Tag optional field for a tag filter", () => {
    const r = check({ ...full, optionalFields: ["Size"] });
    expect(r.failures.map((f) => f.property)).toEqual(["optionalFields"]);
    expect(r.failures[0].reason).toMatch(/Tag/);
  });

  it("lets unknown values through at preview", () => {
    const r = check({ ...full, bucket: UNKNOWN, destination: { ...full.destination, bucket: UNKNOWN } });
    expect(r.failures).toEqual([]);
    expect(r.inputs.bucket).toBe(UNKNOWN);
    // Known parts are still checked.
    const bad = check({ ...full, bucket: UNKNOWN, schedule: { frequency: "Hourly" } });
    expect(bad.failures.map((f) => f.property)).toEqual(["schedule.frequency"]);
  });

  it("round-trips through the wire model", () => {
    const inputs = check(full).inputs as unknown as CosInventoryInputs;
    const back = fromCosConfiguration(toCosConfiguration(inputs), {
      region: inputs.region,
      bucket: inputs.bucket,
    });
    expect(back).toEqual(inputs);
  });
});

describe("checkCosInputs: the newer fields", () => {
  it("keeps a monthly schedule with its day, and storage classes sorted without repeats", () => {
    const r = check({
      ...full,
      schedule: { frequency: "Monthly", monthlyDate: "7" },
      filter: { storageClasses: ["STANDARD_IA", "ARCHIVE", "STANDARD_IA"] },
    });
    expect(r.failures).toEqual([]);
    expect(r.inputs.schedule).toEqual({ frequency: "Monthly", monthlyDate: 7 });
    expect(r.inputs.filter).toEqual({ storageClasses: ["ARCHIVE", "STANDARD_IA"] });
    // An empty list is no storage-class filter.
    expect(check({ ...full, filter: { storageClasses: [] } }).inputs.filter).toBeUndefined();
  });

  it.each([
    [
      { schedule: { frequency: "Monthly" } },
      "schedule.monthlyDate",
      /is required with a "Monthly" schedule.frequency/,
    ],
    [{ schedule: { frequency: "Monthly", monthlyDate: 29 } }, "schedule.monthlyDate", /from 1 to 28, got 29/],
    [
      { schedule: { frequency: "Daily", monthlyDate: 1 } },
      "schedule.monthlyDate",
      /applies only to a "Monthly"/,
    ],
    [
      { schedule: { frequency: "Monthly", monthlyDate: -1 } },
      "schedule.monthlyDate",
      /day of the month from 1 to 28/,
    ],
    [
      { filter: { storageClasses: ["Standard"] } },
      "filter.storageClasses[0]",
      /has storage class "Standard"; use "STANDARD"/,
    ],
    [{ filter: { storageClasses: "STANDARD" } }, "filter.storageClasses", /must be a list such as/],
  ])("refuses %j at %s", (change, property, reason) => {
    const r = check({ ...full, ...change });
    expect(r.failures.map((f) => f.property)).toEqual([property]);
    expect(r.failures[0]?.reason).toMatch(reason);
  });

  it("reads a monthly job with storage classes back in the same normal form", () => {
    const inputs = check({
      ...full,
      schedule: { frequency: "Monthly", monthlyDate: 3 },
      filter: { prefix: "p/", storageClasses: ["STANDARD", "ARCHIVE"] },
    }).inputs as unknown as CosInventoryInputs;
    expect(fromCosConfiguration(toCosConfiguration(inputs), inputs)).toEqual(inputs);
  });
});

describe("diffInventory", () => {
  const olds = check(full).inputs;

  it("reports nothing for the same normalized inputs", () => {
    expect(diffInventory(olds, check({ ...full, enabled: "true" }).inputs, REPLACE, CONTROL)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place for a job field, replaces for an address field", () => {
    const update = diffInventory(olds, check({ ...full, enabled: false }).inputs, REPLACE, CONTROL);
    expect(update.changes).toBe(true);
    expect(update.replaces).toEqual([]);
    const replace = diffInventory(olds, check({ ...full, inventoryId: "other" }).inputs, REPLACE, CONTROL);
    expect(replace.replaces).toEqual(["inventoryId"]);
  });

  it("treats unknown values as changes, and as replacements on address fields", () => {
    const r = diffInventory(olds, { ...olds, bucket: UNKNOWN }, REPLACE, CONTROL);
    expect(r.changes).toBe(true);
    expect(r.replaces).toEqual(["bucket"]);
  });

  it("ignores the adopt flag and the state schema version", () => {
    const r = diffInventory(olds, { ...olds, adopt: true, schemaVersion: 2 }, REPLACE, CONTROL);
    expect(r.changes).toBe(false);
  });
});

describe("text that would not survive the XML round trip", () => {
  it.each([
    ["filter.prefix", { ...full, filter: { ...full.filter, prefix: " logs/" } }],
    ["destination.prefix", { ...full, destination: { ...full.destination, prefix: "reports " } }],
    ["filter.tags[0].key", { ...full, filter: { ...full.filter, tags: [{ key: "age ", value: "18" }] } }],
    ["filter.tags[0].value", { ...full, filter: { ...full.filter, tags: [{ key: "age", value: "\t18" }] } }],
  ])("%s with blanks at an end is refused, naming the property", (property, args) => {
    const r = check(args);
    expect(r.failures).toEqual([{ property, reason: expect.stringContaining("starts or ends with blanks") }]);
  });

  it("blanks inside a value are fine", () => {
    expect(check({ ...full, filter: { ...full.filter, prefix: "my logs/" } }).failures).toEqual([]);
  });
});

describe("checkCosInputs without a region", () => {
  it("gives one failure, on region, naming the argument, config key and env variable, and no `undefined` address", () => {
    for (const region of [undefined, ""]) {
      const r = check({ ...full, region });
      expect(r.failures.map((f) => f.property)).toStrictEqual(["region"]);
      expect(r.failures[0]?.reason).toMatch(
        /"region" argument, config "tencentcloud:region" or env TENCENTCLOUD_REGION/,
      );
      expect(JSON.stringify(r)).not.toContain("undefined");
    }
  });
});
