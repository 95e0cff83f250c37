import { UNKNOWN } from "../../provider/core/unknown";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { INCLUDED_OBJECT_VERSIONS } from "../../provider/clouds/common/rules";
import {
  OSS_FREQUENCIES,
  OSS_INCREMENTAL_FIELDS,
  OSS_OPTIONAL_FIELDS,
  OSS_TIMESTAMP_MAX,
  OSS_TIMESTAMP_MIN,
  OSS_SIZE_BOUND_MAX,
  validateInventoryConfiguration,
} from "../../provider/clouds/oss/rules";
import {
  OSS_STATE_SCHEMA_VERSION,
  checkOssInputs,
  fromOssConfiguration,
  normalizeOssDestinationBucket,
  normalizeOssRegion,
  toOssConfiguration,
} from "../../provider/clouds/oss/schema";
import type { OssInventoryInputs } from "../../provider/clouds/oss/schema";
import { cloudDialects } from "../../provider/engine/dialects";
import { diffInventory } from "../../provider/engine/engine";
import { NO_CONFIG } from "../../provider/engine/settings";
import { mulberry32 } from "../support/seeded-random";
import { OSS_SAMPLE_FIELDS, ossSampleDestination } from "../support/samples";

const CONTROL = ["adopt"];
/** The replace list the provider really uses for OSS jobs. */
const OSS_REPLACE_PROPERTIES = cloudDialects(() => NO_CONFIG).oss.replaceProperties;

/** Every argument, in the spellings a user would write. */
const full = {
  bucket: "examplebucket",
  region: "cn-hangzhou",
  inventoryId: "report1",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: {
    prefix: "filterPrefix/",
    lastModifyBeginTime: 1637883649,
    lastModifyEndTime: 1638347592,
    lowerSizeBound: 1024,
    upperSizeBound: 1048576,
    storageClasses: ["Standard", "IA"],
  },
  optionalFields: [...OSS_SAMPLE_FIELDS],
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    prefix: "prefix1",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "keyId" },
  },
};

/** What {@link full} normalizes to. */
const fullNormalized: OssInventoryInputs = {
  schemaVersion: 1,
  region: "cn-hangzhou",
  bucket: "examplebucket",
  inventoryId: "report1",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: {
    prefix: "filterPrefix/",
    lastModifyBeginTime: 1637883649,
    lastModifyEndTime: 1638347592,
    lowerSizeBound: 1024,
    upperSizeBound: 1048576,
    storageClasses: ["IA", "Standard"],
  },
  optionalFields: [
    "ETag",
    "EncryptionStatus",
    "IsMultipartUploaded",
    "LastModifiedDate",
    "Size",
    "StorageClass",
  ],
  destination: {
    bucket: "acs:oss:::destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    prefix: "prefix1",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "keyId" },
  },
};

/** The smallest valid argument set. */
const minimal = {
  bucket: "examplebucket",
  inventoryId: "x",
  schedule: { frequency: "Weekly" },
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
  },
};

function check(news: Record<string, unknown>) {
  return checkOssInputs(news);
}

/** `full` with `patch` merged one level into `filter` / `destination` when given. */
function variant(patch: { filter?: object; destination?: object } & Record<string, unknown>) {
  const { filter, destination, ...rest } = patch;
  return {
    ...full,
    ...rest,
    ...(filter ? { filter: { ...full.filter, ...filter } } : {}),
    ...(destination ? { destination: { ...full.destination, ...destination } } : {}),
  };
}

describe("checkOssInputs: normal form", () => {
  it("accepts every field and normalizes it", () => {
    const r = check(full);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toStrictEqual(fullNormalized);
  });

  it("applies defaults: enabled, Current, CSV, no fields, no filter", () => {
    const r = checkOssInputs({ ...minimal, region: "cn-beijing" });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toStrictEqual({
      schemaVersion: OSS_STATE_SCHEMA_VERSION,
      region: "cn-beijing",
      bucket: "examplebucket",
      inventoryId: "x",
      enabled: true,
      includedObjectVersions: "Current",
      schedule: { frequency: "Weekly" },
      optionalFields: [],
      destination: {
        format: "CSV",
        bucket: "acs:oss:::destination-bucket",
        accountId: "1000000000000000",
        roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
      },
    });
  });

  it("gives one normal form for equivalent spellings", () => {
    const same = check(
      variant({
        enabled: "true",
        region: "oss-cn-hangzhou",
        optionalFields: [
          "Size",
          "EncryptionStatus",
          "ETag",
          "Size",
          "IsMultipartUploaded",
          "LastModifiedDate",
          "StorageClass",
          "ETag",
        ],
        filter: {
          lastModifyBeginTime: "1637883649",
          lastModifyEndTime: " 1638347592 ",
          lowerSizeBound: "1024",
          upperSizeBound: "1048576",
          storageClasses: ["Standard", "IA", "Standard"],
        },
        destination: { bucket: "acs:oss:::destination-bucket", accountId: 1000000000000000 },
      }),
    );
    expect(same.failures).toEqual([]);
    expect(same.inputs).toStrictEqual(fullNormalized);
  });

  it.each([
    ["true", true],
    ["True", true],
    [" FALSE ", false],
    [false, false],
  ])("enabled %p is %p", (enabled, expected) => {
    const r = check({ ...full, enabled });
    expect(r.failures).toEqual([]);
    expect(r.inputs.enabled).toBe(expected);
  });

  it("a region in its endpoint spelling becomes the region id", () => {
    expect(check({ ...full, region: "oss-ap-southeast-1" }).inputs.region).toBe("ap-southeast-1");
    expect(normalizeOssRegion("oss-cn-hangzhou")).toBe("cn-hangzhou");
    expect(normalizeOssRegion("cn-hangzhou")).toBe("cn-hangzhou");
  });

  it("both destination bucket spellings give acs:oss:::<name>", () => {
    expect(normalizeOssDestinationBucket("b-1")).toBe("acs:oss:::b-1");
    expect(normalizeOssDestinationBucket("acs:oss:::b-1")).toBe("acs:oss:::b-1");
    const bare = check(variant({ destination: { bucket: "b-1" } }));
    const arn = check(variant({ destination: { bucket: "acs:oss:::b-1" } }));
    expect(bare.failures).toEqual([]);
    expect(bare.inputs).toStrictEqual(arn.inputs);
    expect((bare.inputs.destination as { bucket: string }).bucket).toBe("acs:oss:::b-1");
  });

  it.each([
    undefined,
    null,
    {},
    { prefix: "" },
    { prefix: "", storageClasses: [] },
    { lowerSizeBound: 0 },
    { storageClasses: ["All"] },
  ])("filter %p is no filter", (filter) => {
    const r = check({ ...full, filter });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toStrictEqual(check({ ...full, filter: undefined }).inputs);
    expect(r.inputs).not.toHaveProperty("filter");
  });

  it("empty parts of a filter disappear, the rest stays", () => {
    const r = check({
      ...full,
      filter: { prefix: "", lowerSizeBound: 0, storageClasses: ["All"], upperSizeBound: 10 },
    });
    expect(r.failures).toEqual([]);
    expect(r.inputs.filter).toStrictEqual({ upperSizeBound: 10 });
  });

  it.each([undefined, null, "", {}, { type: "", keyId: "" }, { type: null }])(
    "encryption %p is none",
    (encryption) => {
      const r = check(variant({ destination: { encryption } }));
      expect(r.failures).toEqual([]);
      expect(r.inputs.destination).not.toHaveProperty("encryption");
    },
  );

  it("SSE-OSS normalizes to its type alone", () => {
    const r = check(variant({ destination: { encryption: { type: "SSE-OSS", keyId: "" } } }));
    expect(r.failures).toEqual([]);
    expect((r.inputs.destination as Record<string, unknown>).encryption).toStrictEqual({ type: "SSE-OSS" });
  });

  it("an empty destination prefix disappears", () => {
    const r = check(variant({ destination: { prefix: "" } }));
    expect(r.failures).toEqual([]);
    expect(r.inputs.destination).not.toHaveProperty("prefix");
  });

  it("adopt is kept only when true", () => {
    expect(check({ ...full, adopt: "true" }).inputs.adopt).toBe(true);
    expect(check({ ...full, adopt: false }).inputs).not.toHaveProperty("adopt");
  });

  it("engine keys are ignored, not reported", () => {
    expect(check({ ...full, __provider: "x" }).failures).toEqual([]);
  });
});

describe("checkOssInputs: failures name the argument and say what to do", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "an unknown argument",
      { ...full, colour: "blue" },
      "colour",
      /unknown argument "colour"; the arguments are region, bucket/,
    ],
    [
      "an unknown filter key",
      variant({ filter: { tags: [] } }),
      "filter.tags",
      /unknown argument; use prefix, lastModifyBeginTime/,
    ],
    [
      "an unknown destination key",
      variant({ destination: { rolename: "r" } }),
      "destination.rolename",
      /use bucket, accountId, roleArn, prefix, format or encryption/,
    ],
    [
      "an unknown encryption key",
      variant({ destination: { encryption: { type: "SSE-OSS", kms: "k" } } }),
      "destination.encryption.kms",
      /use type or keyId/,
    ],
    [
      "an unknown schedule key",
      { ...full, schedule: { frequency: "Daily", dayOfWeek: 1 } },
      "schedule.dayOfWeek",
      /use frequency, dayOfMonth or autoDelete/,
    ],
    [
      "a day of the month on a daily job",
      { ...full, schedule: { frequency: "Daily", dayOfMonth: 1 } },
      "schedule.dayOfMonth",
      /^schedule.dayOfMonth applies only to a "Monthly" schedule.frequency; remove schedule.dayOfMonth, or set schedule.frequency to "Monthly"/,
    ],
    [
      "a monthly job without its day",
      { ...full, schedule: { frequency: "Monthly" } },
      "schedule.dayOfMonth",
      /^schedule.dayOfMonth is required with a "Monthly" schedule.frequency: the day of the month, 1 to 28/,
    ],
    [
      "a day past the 28th",
      { ...full, schedule: { frequency: "Monthly", dayOfMonth: 31 } },
      "schedule.dayOfMonth",
      /must be a whole day of the month from 1 to 28, got 31/,
    ],
    [
      "autoDelete on a weekly job",
      { ...full, schedule: { frequency: "Weekly", autoDelete: true } },
      "schedule.autoDelete",
      /^schedule.autoDelete applies only to a "Once" schedule.frequency; remove schedule.autoDelete, or set schedule.frequency to "Once"/,
    ],
    [
      "autoDelete that is not a boolean",
      { ...full, schedule: { frequency: "Once", autoDelete: "soon" } },
      "schedule.autoDelete",
      /must be true or false/,
    ],
    [
      "an incremental field of the wrong list",
      { ...full, incrementalInventory: { optionalFields: ["RecordType", "TaggingCount"] } },
      "incrementalInventory.optionalFields[1]",
      /"TaggingCount" is not an OSS incremental inventory field; use one of SequenceNumber, /,
    ],
    [
      "an unknown incremental key",
      { ...full, incrementalInventory: { frequency: 600 } },
      "incrementalInventory.frequency",
      /unknown argument; use enabled or optionalFields/,
    ],
    [
      "a bad source bucket",
      { ...full, bucket: "Example_Bucket" },
      "bucket",
      /is not an OSS bucket name; use 3 to 63 lowercase/,
    ],
    [
      "a source bucket in ARN form",
      { ...full, bucket: "acs:oss:::examplebucket" },
      "bucket",
      /is not an OSS bucket name/,
    ],
    ["no source bucket", { ...full, bucket: undefined }, "bucket", /required: the source bucket name/],
    ["a non-string bucket", { ...full, bucket: 5 }, "bucket", /must be a string/],
    [
      "a bad region",
      { ...full, region: "Hangzhou" },
      "region",
      /not an OSS region; use a region id such as "cn-hangzhou"/,
    ],
    ["a non-string region", { ...full, region: 1 }, "region", /must be a string such as "cn-hangzhou"/],
    [
      "no inventoryId",
      { ...full, inventoryId: "" },
      "inventoryId",
      /required: the job id, 1 to 64 characters/,
    ],
    [
      "a bad inventoryId",
      { ...full, inventoryId: "bad id!" },
      "inventoryId",
      /^inventoryId "bad id!" contains " ", "!"; use only letters/,
    ],
    [
      "a long inventoryId",
      { ...full, inventoryId: "a".repeat(65) },
      "inventoryId",
      /^inventoryId is 65 characters long; at most 64/,
    ],
    ["a bad enabled", { ...full, enabled: "yes" }, "enabled", /must be true or false/],
    ["a bad adopt", { ...full, adopt: 1 }, "adopt", /must be true or false/],
    [
      "a bad includedObjectVersions",
      { ...full, includedObjectVersions: "Some" },
      "includedObjectVersions",
      /^includedObjectVersions must be "All" or "Current", got "Some"/,
    ],
    [
      "no schedule",
      { ...full, schedule: undefined },
      "schedule",
      /required: \{ frequency: "Daily" \| "Weekly" \| "Monthly" \| "Once" \}/,
    ],
    [
      "a non-object schedule",
      { ...full, schedule: "Daily" },
      "schedule",
      /must be an object such as \{ frequency: "Daily" \}/,
    ],
    [
      "a bad frequency",
      { ...full, schedule: { frequency: "Yearly" } },
      "schedule.frequency",
      /^schedule.frequency must be "Daily", "Weekly", "Monthly" or "Once", got "Yearly"/,
    ],
    [
      "a non-object filter",
      { ...full, filter: "logs/" },
      "filter",
      /must be an object such as \{ prefix: "logs\/" \}/,
    ],
    [
      "a non-string filter prefix",
      variant({ filter: { prefix: 3 } }),
      "filter.prefix",
      /^filter.prefix must be a string/,
    ],
    [
      "a begin time before 2010",
      variant({ filter: { lastModifyBeginTime: OSS_TIMESTAMP_MIN - 1 } }),
      "filter.lastModifyBeginTime",
      /^filter.lastModifyBeginTime must be a whole number of seconds .* from 1262275200/,
    ],
    [
      "an end time after 9999",
      variant({ filter: { lastModifyEndTime: OSS_TIMESTAMP_MAX + 1 } }),
      "filter.lastModifyEndTime",
      /to 253402271999/,
    ],
    [
      "a begin time that is not a number",
      variant({ filter: { lastModifyBeginTime: "abc" } }),
      "filter.lastModifyBeginTime",
      /must be a unix time in whole seconds from 1262275200/,
    ],
    [
      "a fractional end time",
      variant({ filter: { lastModifyEndTime: 1638347592.5 } }),
      "filter.lastModifyEndTime",
      /must be a unix time in whole seconds/,
    ],
    [
      "a begin time after the end time",
      variant({ filter: { lastModifyBeginTime: 1637000001, lastModifyEndTime: 1637000000 } }),
      "filter.lastModifyBeginTime",
      /^filter.lastModifyBeginTime \(1637000001\) must not be after filter.lastModifyEndTime \(1637000000\)/,
    ],
    [
      "a negative lower size bound",
      variant({ filter: { lowerSizeBound: -1 } }),
      "filter.lowerSizeBound",
      /must be a whole number of bytes/,
    ],
    [
      "a lower size bound above the upper",
      variant({ filter: { lowerSizeBound: 1000, upperSizeBound: 100 } }),
      "filter.lowerSizeBound",
      /^filter.lowerSizeBound \(1000\) must not be greater than filter.upperSizeBound \(100\)/,
    ],
    [
      "an upper size bound of 0",
      variant({ filter: { upperSizeBound: 0, lowerSizeBound: undefined } }),
      "filter.upperSizeBound",
      /^filter.upperSizeBound must be a whole number of bytes from 1 to 54975581388800/,
    ],
    [
      "a size bound past 50 TiB",
      variant({ filter: { upperSizeBound: OSS_SIZE_BOUND_MAX + 1 } }),
      "filter.upperSizeBound",
      /from 1 to 54975581388800/,
    ],
    [
      "storage classes that are not a list",
      variant({ filter: { storageClasses: "Standard,IA" } }),
      "filter.storageClasses",
      /must be a list such as \["Standard", "IA"\]/,
    ],
    [
      "a bad storage class, at the user's index",
      variant({ filter: { storageClasses: ["IA", "IA", "Hot"] } }),
      "filter.storageClasses[2]",
      /^filter.storageClasses\[2\] has storage class "Hot"; use "Standard", "IA", "Archive", "ColdArchive" or "All"/,
    ],
    [
      '"All" with other classes',
      variant({ filter: { storageClasses: ["All", "IA"] } }),
      "filter.storageClasses",
      /"All" already means every storage class; use \["All"\] alone/,
    ],
    [
      "optional fields that are not a list",
      { ...full, optionalFields: "Size" },
      "optionalFields",
      /must be a list such as \["Size", "ETag"\]/,
    ],
    [
      "a bad optional field, at the user's index",
      { ...full, optionalFields: ["Size", "Size", "Tag"] },
      "optionalFields[2]",
      /^optionalFields\[2\] "Tag" is not an OSS inventory field; use one of Size/,
    ],
    [
      "no destination",
      { ...full, destination: undefined },
      "destination",
      /required: \{ bucket: "<name>", accountId: "<uid>", roleArn:/,
    ],
    [
      "a non-object destination",
      { ...full, destination: "destination-bucket" },
      "destination",
      /must be an object/,
    ],
    [
      "no destination bucket",
      variant({ destination: { bucket: "" } }),
      "destination.bucket",
      /required: the destination bucket, "<name>" or "acs:oss:::<name>"/,
    ],
    [
      "a bad bare destination bucket",
      variant({ destination: { bucket: "Dest_Bucket" } }),
      "destination.bucket",
      /is not an OSS bucket name/,
    ],
    [
      "a bad ARN destination bucket",
      variant({ destination: { bucket: "acs:oss::bu" } }),
      "destination.bucket",
      /is not of the form "acs:oss:::<name>".*or give the plain bucket name/,
    ],
    [
      "a non-string destination bucket",
      variant({ destination: { bucket: 1 } }),
      "destination.bucket",
      /must be a string/,
    ],
    [
      "no account id",
      variant({ destination: { accountId: undefined } }),
      "destination.accountId",
      /required: the account id \(UID\) owning the destination bucket/,
    ],
    [
      "a non-numeric account id",
      variant({ destination: { accountId: "uid-1" } }),
      "destination.accountId",
      /^destination.accountId must be the destination owner's numeric account id \(UID\)/,
    ],
    [
      "an account id number past 2^53",
      variant({ destination: { accountId: 2 ** 60 } }),
      "destination.accountId",
      /give the account id as a string of digits/,
    ],
    [
      "no role ARN",
      variant({ destination: { roleArn: "" } }),
      "destination.roleArn",
      /required: the RAM role OSS assumes to write reports, "acs:ram::<uid>:role\/<name>"/,
    ],
    [
      "a role name instead of an ARN",
      variant({ destination: { roleArn: "AliyunOSSRole" } }),
      "destination.roleArn",
      /^destination.roleArn must have the form acs:ram::<uid>:role\/<name>/,
    ],
    [
      "a bad format",
      variant({ destination: { format: "ORC" } }),
      "destination.format",
      /^destination.format must be "CSV", got "ORC"/,
    ],
    [
      "a KMS key id with SSE-OSS",
      variant({ destination: { encryption: { type: "SSE-OSS", keyId: "k" } } }),
      "destination.encryption.keyId",
      /a KMS key id goes only with type "SSE-KMS"/,
    ],
    [
      "SSE-KMS without a key id",
      variant({ destination: { encryption: { type: "SSE-KMS" } } }),
      "destination.encryption.keyId",
      /^destination.encryption.keyId must not be empty: SSE-KMS needs the id of a KMS key/,
    ],
    [
      "a key id without a type",
      variant({ destination: { encryption: { keyId: "k" } } }),
      "destination.encryption.type",
      /required with keyId: set type "SSE-KMS"/,
    ],
    [
      "an unknown encryption type",
      variant({ destination: { encryption: { type: "SSE-COS" } } }),
      "destination.encryption.type",
      /^destination.encryption.type must be "SSE-OSS" or "SSE-KMS" or be left out, got "SSE-COS"/,
    ],
    [
      "an encryption string",
      variant({ destination: { encryption: "SSE-OSS" } }),
      "destination.encryption",
      /must be an object such as \{ type: "SSE-OSS" \}/,
    ],
  ];

  it.each(cases)("%s", (_name, news, property, reason) => {
    const r = check(news);
    expect(r.failures.map((f) => f.property)).toStrictEqual([property]);
    expect(r.failures[0]?.reason).toMatch(reason);
  });

  it("no region and no default names the argument, the config key and the env variable", () => {
    for (const region of [undefined, ""]) {
      const r = check({ ...full, region });
      expect(r.failures.map((f) => f.property)).toStrictEqual(["region"]);
      expect(r.failures[0]?.reason).toMatch(
        /"region" argument, config "alicloud:region" or env ALICLOUD_REGION/,
      );
      expect(r.inputs).not.toHaveProperty("region");
    }
  });

  it("reports every problem at once", () => {
    const r = check({
      ...full,
      region: "Hangzhou",
      inventoryId: "bad id!",
      includedObjectVersions: "Some",
      schedule: { frequency: "Hourly" },
      filter: { lastModifyBeginTime: 20, lowerSizeBound: 10, upperSizeBound: 5, storageClasses: ["Hot"] },
      optionalFields: ["Size", "Bogus"],
      destination: { bucket: "Not_A_Bucket", accountId: "x", roleArn: "r", encryption: { type: "KMS" } },
      colour: "blue",
    });
    expect(r.failures.map((f) => f.property).sort()).toStrictEqual(
      [
        "colour",
        "region",
        "filter.storageClasses[0]",
        "destination.bucket",
        "inventoryId",
        "includedObjectVersions",
        "schedule.frequency",
        "destination.accountId",
        "destination.roleArn",
        "destination.encryption.type",
        "optionalFields[1]",
        "filter.lastModifyBeginTime",
        "filter.lowerSizeBound",
      ].sort(),
    );
    for (const f of r.failures) expect(f.reason.length).toBeGreaterThan(10);
    // No wire names leak into what the user reads.
    for (const f of r.failures)
      expect(f.reason).not.toMatch(/OSSBucketDestination|Filter\.|OptionalFields|\bId\b/);
  });
});

describe("checkOssInputs: unknown values at preview", () => {
  const unknownCases: [string, Record<string, unknown>, (inputs: Record<string, unknown>) => unknown][] = [
    ["bucket", { ...full, bucket: UNKNOWN }, (i) => i.bucket],
    ["region", { ...full, region: UNKNOWN }, (i) => i.region],
    ["inventoryId", { ...full, inventoryId: UNKNOWN }, (i) => i.inventoryId],
    ["enabled", { ...full, enabled: UNKNOWN }, (i) => i.enabled],
    ["includedObjectVersions", { ...full, includedObjectVersions: UNKNOWN }, (i) => i.includedObjectVersions],
    ["schedule", { ...full, schedule: UNKNOWN }, (i) => i.schedule],
    [
      "schedule.frequency",
      { ...full, schedule: { frequency: UNKNOWN } },
      (i) => (i.schedule as Record<string, unknown>).frequency,
    ],
    ["filter", { ...full, filter: UNKNOWN }, (i) => i.filter],
    [
      "filter.lastModifyBeginTime",
      variant({ filter: { lastModifyBeginTime: UNKNOWN } }),
      (i) => (i.filter as Record<string, unknown>).lastModifyBeginTime,
    ],
    [
      "filter.upperSizeBound",
      variant({ filter: { upperSizeBound: UNKNOWN } }),
      (i) => (i.filter as Record<string, unknown>).upperSizeBound,
    ],
    [
      "filter.storageClasses",
      variant({ filter: { storageClasses: UNKNOWN } }),
      (i) => (i.filter as Record<string, unknown>).storageClasses,
    ],
    [
      "filter.storageClasses[1]",
      variant({ filter: { storageClasses: ["IA", UNKNOWN] } }),
      (i) => ((i.filter as Record<string, unknown>).storageClasses as unknown[])[1],
    ],
    ["optionalFields", { ...full, optionalFields: UNKNOWN }, (i) => i.optionalFields],
    [
      "optionalFields[0]",
      { ...full, optionalFields: [UNKNOWN, "Size"] },
      (i) => (i.optionalFields as unknown[])[0],
    ],
    ["destination", { ...full, destination: UNKNOWN }, (i) => i.destination],
    [
      "destination.bucket",
      variant({ destination: { bucket: UNKNOWN } }),
      (i) => (i.destination as Record<string, unknown>).bucket,
    ],
    [
      "destination.accountId",
      variant({ destination: { accountId: UNKNOWN } }),
      (i) => (i.destination as Record<string, unknown>).accountId,
    ],
    [
      "destination.roleArn",
      variant({ destination: { roleArn: UNKNOWN } }),
      (i) => (i.destination as Record<string, unknown>).roleArn,
    ],
    [
      "destination.encryption",
      variant({ destination: { encryption: UNKNOWN } }),
      (i) => (i.destination as Record<string, unknown>).encryption,
    ],
    [
      "destination.encryption.keyId",
      variant({ destination: { encryption: { type: "SSE-KMS", keyId: UNKNOWN } } }),
      (i) => ((i.destination as Record<string, unknown>).encryption as Record<string, unknown>).keyId,
    ],
    [
      "destination.encryption.type",
      variant({ destination: { encryption: { type: UNKNOWN } } }),
      (i) => ((i.destination as Record<string, unknown>).encryption as Record<string, unknown>).type,
    ],
    ["adopt", { ...full, adopt: UNKNOWN }, (i) => i.adopt],
  ];

  it.each(unknownCases)("%s passes through without failing", (_path, news, at) => {
    const r = check(news);
    expect(r.failures).toEqual([]);
    expect(at(r.inputs)).toBe(UNKNOWN);
  });

  it("known parts are still checked", () => {
    const r = check({ ...full, bucket: UNKNOWN, destination: UNKNOWN, schedule: { frequency: "Hourly" } });
    expect(r.failures.map((f) => f.property)).toStrictEqual(["schedule.frequency"]);
    const cls = check(variant({ filter: { storageClasses: [UNKNOWN, "Hot"] } }));
    expect(cls.failures.map((f) => f.property)).toStrictEqual(["filter.storageClasses[1]"]);
    const end = check(variant({ filter: { lastModifyBeginTime: UNKNOWN, lastModifyEndTime: 5 } }));
    expect(end.failures.map((f) => f.property)).toStrictEqual(["filter.lastModifyEndTime"]);
  });
});

describe("conversion to and from the wire model", () => {
  it("toOssConfiguration builds the wire model", () => {
    expect(toOssConfiguration(fullNormalized)).toStrictEqual({
      id: "report1",
      isEnabled: true,
      includedObjectVersions: "All",
      schedule: { frequency: "Daily" },
      optionalFields: fullNormalized.optionalFields,
      filter: {
        prefix: "filterPrefix/",
        lastModifyBeginTimeStamp: 1637883649,
        lastModifyEndTimeStamp: 1638347592,
        lowerSizeBound: 1024,
        upperSizeBound: 1048576,
        storageClass: "IA,Standard",
      },
      destination: ossSampleDestination(),
    } satisfies OssInventoryConfiguration);
    expect(validateInventoryConfiguration(toOssConfiguration(fullNormalized))).toStrictEqual([]);
  });

  it("round-trips the full example", () => {
    const address = { region: "cn-hangzhou", bucket: "examplebucket", inventoryId: "report1" };
    expect(fromOssConfiguration(toOssConfiguration(fullNormalized), address)).toStrictEqual(fullNormalized);
  });

  it("reads what the service echoes into the same normal form", () => {
    const address = { region: "cn-hangzhou", bucket: "examplebucket", inventoryId: "report1" };
    const echoed: OssInventoryConfiguration = {
      ...toOssConfiguration(fullNormalized),
      optionalFields: [
        "Size",
        "ETag",
        "Size",
        "StorageClass",
        "LastModifiedDate",
        "IsMultipartUploaded",
        "EncryptionStatus",
      ],
      filter: { ...toOssConfiguration(fullNormalized).filter, storageClass: "Standard,IA" },
      destination: { ...toOssConfiguration(fullNormalized).destination, bucket: "destination-bucket" },
    };
    expect(fromOssConfiguration(echoed, address)).toStrictEqual(fullNormalized);

    // An all-default filter (empty prefix, zero bounds, class All) is no filter.
    const zero: OssInventoryConfiguration = {
      ...toOssConfiguration(fullNormalized),
      filter: {
        prefix: "",
        lastModifyBeginTimeStamp: 0,
        lastModifyEndTimeStamp: 0,
        lowerSizeBound: 0,
        upperSizeBound: 0,
        storageClass: "All",
      },
      destination: {
        ...toOssConfiguration(fullNormalized).destination,
        prefix: "",
        encryption: { type: "SSE-OSS" },
      },
    };
    const back = fromOssConfiguration(zero, address);
    expect(back).not.toHaveProperty("filter");
    expect(back.destination).not.toHaveProperty("prefix");
    expect(back.destination.encryption).toStrictEqual({ type: "SSE-OSS" });
  });

  it("a checked input converts to a configuration the wire rules accept", () => {
    const inputs = check(minimal).inputs;
    expect(
      validateInventoryConfiguration(
        toOssConfiguration({ ...(inputs as unknown as OssInventoryInputs), region: "cn-hangzhou" }),
      ),
    ).toStrictEqual([]);
  });
});

/** A random, valid, normalized input set. */
function randomInputs(rand: () => number): OssInventoryInputs {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const chance = (p = 0.5) => rand() < p;
  const word = (alphabet: string, lo: number, hi: number) =>
    Array.from({ length: int(lo, hi) }, () => alphabet[int(0, alphabet.length - 1)]).join("");
  const lower = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bucketName = () => `${pick([...lower])}${word(`${lower}-`, 1, 20)}${pick([...lower])}`;
  const subset = (xs: readonly string[]) => xs.filter(() => chance(0.4));

  const inputs: OssInventoryInputs = {
    schemaVersion: OSS_STATE_SCHEMA_VERSION,
    region: pick(["cn-hangzhou", "cn-hongkong", "ap-southeast-1", "us-west-1", "cn-shanghai-finance-1"]),
    bucket: bucketName(),
    inventoryId: word("ABCxyz019._-", 1, 64),
    enabled: chance(),
    includedObjectVersions: pick(INCLUDED_OBJECT_VERSIONS),
    schedule: { frequency: pick(OSS_FREQUENCIES) },
    optionalFields: [...subset(OSS_OPTIONAL_FIELDS)].sort(),
    destination: {
      bucket: `acs:oss:::${bucketName()}`,
      accountId: word("0123456789", 1, 16),
      roleArn: `acs:ram::${word("0123456789", 1, 16)}:role/${word("AliyunOSSRole.-_", 1, 64)}`,
      format: "CSV",
    },
  };
  // The schedule's other elements, each only with its frequency.
  if (inputs.schedule.frequency === "Monthly") inputs.schedule.dayOfMonth = int(1, 28);
  if (inputs.schedule.frequency === "Once" && chance()) inputs.schedule.autoDelete = chance();
  if (chance(0.3)) {
    const fields = [...subset(OSS_INCREMENTAL_FIELDS)].sort();
    // Off with no column is no incremental inventory, which check drops.
    inputs.incrementalInventory = { enabled: fields.length === 0 || chance(), optionalFields: fields };
  }
  // Blanks only inside: at an end they would not survive XML (a check failure of their own).
  const text = (alphabet: string) => `x${word(alphabet, 0, 28)}x`;
  if (chance()) inputs.destination.prefix = text("abc/-_. 清");
  if (chance(0.3)) inputs.destination.encryption = { type: "SSE-OSS" };
  else if (chance(0.4))
    inputs.destination.encryption = { type: "SSE-KMS", keyId: word("0123456789abcdef-", 1, 36) };

  const filter: NonNullable<OssInventoryInputs["filter"]> = {};
  if (chance()) filter.prefix = text("abc/-_.&<> 清");
  const times = [int(OSS_TIMESTAMP_MIN, OSS_TIMESTAMP_MAX), int(OSS_TIMESTAMP_MIN, OSS_TIMESTAMP_MAX)].sort(
    (a, b) => a - b,
  );
  if (chance()) filter.lastModifyBeginTime = times[0];
  if (chance()) filter.lastModifyEndTime = times[1];
  const sizes = [int(1, OSS_SIZE_BOUND_MAX), int(1, OSS_SIZE_BOUND_MAX)].sort((a, b) => a - b);
  if (chance()) filter.lowerSizeBound = sizes[0];
  if (chance()) filter.upperSizeBound = sizes[1];
  const classes = subset(["Standard", "IA", "Archive", "ColdArchive"]).sort();
  if (classes.length > 0) filter.storageClasses = classes;
  if (Object.keys(filter).length > 0) inputs.filter = filter;
  return inputs;
}

describe("property: normalized inputs survive the wire model and check", () => {
  const CASES = 400;
  const rand = mulberry32(0x0551);
  const samples = Array.from({ length: CASES }, () => randomInputs(rand));

  it(`fromOssConfiguration(toOssConfiguration(x)) equals x for ${CASES} seeded random inputs`, () => {
    for (const x of samples) {
      const back = fromOssConfiguration(toOssConfiguration(x), {
        region: x.region,
        bucket: x.bucket,
        inventoryId: x.inventoryId,
      });
      expect(back).toStrictEqual(x);
    }
  });

  it("the wire rules accept every generated configuration, and check leaves it unchanged", () => {
    for (const x of samples) {
      expect(validateInventoryConfiguration(toOssConfiguration(x))).toStrictEqual([]);
      const r = check(x as unknown as Record<string, unknown>);
      expect(r.failures).toStrictEqual([]);
      expect(r.inputs).toStrictEqual(x);
    }
  });

  it("adopt is a control property: it does not reach the wire and does not come back", () => {
    for (const x of samples.slice(0, 50)) {
      const withAdopt = { ...x, adopt: true };
      const back = fromOssConfiguration(toOssConfiguration(withAdopt), x);
      expect(back).toStrictEqual(x);
    }
  });
});

describe("diffInventory over OSS inputs", () => {
  const olds = check(full).inputs;

  it("reports nothing for equivalent spellings", () => {
    const news = check(
      variant({
        region: "oss-cn-hangzhou",
        enabled: "true",
        destination: { bucket: "acs:oss:::destination-bucket" },
      }),
    ).inputs;
    expect(diffInventory(olds, news, OSS_REPLACE_PROPERTIES, CONTROL)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place for a job field, replaces for an address field", () => {
    expect(OSS_REPLACE_PROPERTIES).toStrictEqual(["region", "bucket", "inventoryId"]);
    const update = diffInventory(
      olds,
      check(variant({ filter: { prefix: "other/" } })).inputs,
      OSS_REPLACE_PROPERTIES,
      CONTROL,
    );
    expect(update.changes).toBe(true);
    expect(update.replaces).toEqual([]);
    const replace = diffInventory(
      olds,
      check({ ...full, bucket: "otherbucket" }).inputs,
      OSS_REPLACE_PROPERTIES,
      CONTROL,
    );
    expect(replace.replaces).toEqual(["bucket"]);
  });
});

describe("text that would not survive the XML round trip", () => {
  it.each([
    ["filter.prefix", variant({ filter: { prefix: "logs/ " } })],
    ["destination.prefix", variant({ destination: { prefix: " reports" } })],
    [
      "destination.encryption.keyId",
      variant({ destination: { encryption: { type: "SSE-KMS", keyId: "key\n" } } }),
    ],
  ])("%s with blanks at an end is refused, naming the property", (property, args) => {
    const r = check(args);
    expect(r.failures).toEqual([{ property, reason: expect.stringContaining("starts or ends with blanks") }]);
    expect(r.failures[0].reason).toContain(property);
  });

  it("blanks inside a value are fine", () => {
    expect(check(variant({ filter: { prefix: "my logs/" } })).failures).toEqual([]);
  });
});
