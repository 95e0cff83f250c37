// Inputs that used to pass `check` and then fail at `up` (after a request) or
// never settle (a perpetual diff), on both clouds: each must now fail at
// check, naming the property path and saying how to fix it. Also the `null`
// rule (like absent) and the type rules for every argument.
import { INVENTORY_BODY_MAX_BYTES } from "../../provider/clouds/common/body";
import * as cosCodec from "../../provider/clouds/cos/codec";
import { COS_OPTIONAL_FIELDS } from "../../provider/clouds/cos/rules";
import {
  type CosInventoryInputs,
  checkCosInputs,
  toCosConfiguration,
} from "../../provider/clouds/cos/schema";
import * as ossCodec from "../../provider/clouds/oss/codec";
import { OSS_OPTIONAL_FIELDS } from "../../provider/clouds/oss/rules";
import {
  type OssInventoryInputs,
  checkOssInputs,
  toOssConfiguration,
} from "../../provider/clouds/oss/schema";
import { UNKNOWN } from "../../provider/core/unknown";
import { COS_SAMPLE_ARGS } from "../support/samples";

type Raw = Record<string, unknown>;

const cosFull = COS_SAMPLE_ARGS;

const ossFull = {
  bucket: "examplebucket",
  region: "cn-hangzhou",
  inventoryId: "report1",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: { prefix: "filterPrefix/", lowerSizeBound: 1024, storageClasses: ["IA"] },
  optionalFields: ["Size"],
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    prefix: "prefix1",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "keyId" },
  },
};

/** A deep copy of `base` with `value` at `path` (`a.b[0].c`); `undefined` deletes. */
function withValue(base: Raw, path: string, value: unknown): Raw {
  const copy = structuredClone(base);
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    node = node[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const cos = (news: Raw) => checkCosInputs(news);
const oss = (news: Raw) => checkOssInputs(news);
const CHECKS = { cos: { check: cos, full: cosFull }, oss: { check: oss, full: ossFull } } as const;

/** [cloud, path, value, failing property, reason pattern] */
type Case = [keyof typeof CHECKS, string, unknown, string, RegExp];

function expectOnly(cloud: keyof typeof CHECKS, news: Raw, property: string, reason: RegExp): void {
  const r = CHECKS[cloud].check(news);
  expect(r.failures.map((f) => f.property)).toStrictEqual([property]);
  expect(r.failures[0].reason).toMatch(reason);
}

const MB2 = "x".repeat(2 * 1024 * 1024);

describe("finding 5: text XML cannot carry fails at check, naming the property", () => {
  const cases: Case[] = [
    ["cos", "filter.prefix", "a\u0001b", "filter.prefix", /U\+0001.*control character.*remove it/],
    ["cos", "filter.prefix", "a\u0007", "filter.prefix", /U\+0007/],
    ["cos", "destination.prefix", "\u0000x", "destination.prefix", /U\+0000/],
    ["cos", "filter.tags[0].key", "a\u0001", "filter.tags[0].key", /U\+0001/],
    ["cos", "filter.tags[0].value", "1\u00078", "filter.tags[0].value", /U\+0007/],
    ["cos", "filter.tags[0].key", "\ud800x", "filter.tags[0].key", /U\+D800.*surrogate/],
    ["cos", "filter.prefix", "a\udc00", "filter.prefix", /U\+DC00.*surrogate/],
    ["cos", "destination.prefix", "r\ufffe", "destination.prefix", /U\+FFFE.*not a character/],
    ["cos", "filter.tags[0].value", "\uffff", "filter.tags[0].value", /U\+FFFF/],
    ["oss", "filter.prefix", "a\u0001b", "filter.prefix", /^filter.prefix contains U\+0001/],
    ["oss", "destination.prefix", "\u0000", "destination.prefix", /^destination.prefix contains U\+0000/],
    ["oss", "destination.encryption.keyId", "k\u0007", "destination.encryption.keyId", /U\+0007/],
    ["oss", "filter.prefix", "\ud83d", "filter.prefix", /U\+D83D.*surrogate/],
    ["oss", "destination.prefix", "a\ufffe", "destination.prefix", /U\+FFFE/],
  ];
  it.each(cases)("%s %s = %j", (cloud, path, value, property, reason) => {
    expectOnly(cloud, withValue(CHECKS[cloud].full, path, value), property, reason);
  });
});

describe("finding 5: values of the wrong type fail at check, naming the property", () => {
  const cases: Case[] = [
    ["cos", "destination.prefix", 5, "destination.prefix", /^destination.prefix must be a string/],
    ["cos", "filter.tags[0].value", 5, "filter.tags[0].value", /^filter.tags\[0\].value must be a string/],
    ["cos", "filter.tags[0].key", 5, "filter.tags[0].key", /must be a string/],
    ["cos", "filter.prefix", ["a"], "filter.prefix", /^filter.prefix must be a string/],
    ["cos", "filter.prefix", { a: 1 }, "filter.prefix", /must be a string/],
    ["cos", "filter.prefix", true, "filter.prefix", /must be a string/],
    ["cos", "destination.accountId", true, "destination.accountId", /must be a string of digits/],
    ["cos", "destination.accountId", ["1"], "destination.accountId", /must be a string of digits/],
    ["cos", "destination.encryption", 5, "destination.encryption", /must be "SSE-COS" or be left out, not 5/],
    ["cos", "destination.format", ["CSV"], "destination.format", /must be a string: "CSV"/],
    ["cos", "destination.bucket", 5, "destination.bucket", /must be a string/],
    ["cos", "includedObjectVersions", 5, "includedObjectVersions", /must be a string: "All" or "Current"/],
    ["cos", "schedule.frequency", ["Daily"], "schedule.frequency", /must be a string: "Daily" \| "Weekly"/],
    ["cos", "inventoryId", 5, "inventoryId", /must be a string: the job id/],
    ["cos", "enabled", 1, "enabled", /must be true or false/],
    ["cos", "adopt", "yes", "adopt", /must be true or false/],
    ["cos", "filter.tags", "age", "filter.tags", /must be a list/],
    ["cos", "filter.tags[0]", 5, "filter.tags[0]", /must be an object/],
    ["cos", "filter.tags[0]", null, "filter.tags[0]", /must be an object/],
    ["cos", "filter.period", [1, 2], "filter.period", /must be an object/],
    ["cos", "filter.period.startTime", 1.5, "filter.period.startTime", /whole seconds/],
    ["cos", "filter.period.endTime", true, "filter.period.endTime", /whole seconds/],
    ["cos", "optionalFields", 5, "optionalFields", /must be a list/],
    ["cos", "optionalFields[1]", null, "optionalFields[1]", /is not a COS inventory field/],
    ["cos", "schedule", ["Daily"], "schedule", /must be an object/],
    ["cos", "destination", "b-1", "destination", /must be an object/],
    ["oss", "destination.prefix", 5, "destination.prefix", /^destination.prefix must be a string/],
    ["oss", "filter.prefix", ["a"], "filter.prefix", /^filter.prefix must be a string/],
    ["oss", "destination.accountId", true, "destination.accountId", /must be a string of digits/],
    ["oss", "destination.roleArn", 5, "destination.roleArn", /must be a string/],
    ["oss", "destination.encryption.keyId", 5, "destination.encryption.keyId", /must be a string/],
    ["oss", "destination.encryption.type", 5, "destination.encryption.type", /must be a string/],
    ["oss", "destination.format", 5, "destination.format", /must be a string: "CSV"/],
    ["oss", "includedObjectVersions", ["All"], "includedObjectVersions", /must be a string/],
    ["oss", "schedule.frequency", 1, "schedule.frequency", /must be a string/],
    ["oss", "inventoryId", {}, "inventoryId", /must be a string/],
    ["oss", "filter.lowerSizeBound", "1e3", "filter.lowerSizeBound", /whole number of bytes/],
    ["oss", "filter.storageClasses[0]", 5, "filter.storageClasses[0]", /has storage class 5/],
  ];
  it.each(cases)("%s %s = %j", (cloud, path, value, property, reason) => {
    expectOnly(cloud, withValue(CHECKS[cloud].full, path, value), property, reason);
  });
});

describe("finding 6: values that would not read back as written fail at check", () => {
  const cases: Case[] = [
    ["cos", "filter.prefix", "a\rb", "filter.prefix", /U\+000D.*carriage return.*line feed/],
    ["cos", "filter.prefix", "a\r\nb", "filter.prefix", /U\+000D/],
    ["cos", "destination.prefix", "a\nb", "destination.prefix", /U\+000A/],
    ["cos", "filter.tags[0].value", "a\tb", "filter.tags[0].value", /U\+0009/],
    ["cos", "filter.prefix", "   ", "filter.prefix", /only blanks.*read back empty/],
    ["cos", "destination.prefix", "\u3000", "destination.prefix", /only blanks/],
    ["cos", "filter.tags[0].value", "  ", "filter.tags[0].value", /only blanks/],
    ["cos", "filter.tags[0].key", " ", "filter.tags[0].key", /only blanks/],
    ["cos", "filter.prefix", "logs/ ", "filter.prefix", /starts or ends with blanks/],
    ["oss", "filter.prefix", "a\rb", "filter.prefix", /^filter.prefix contains U\+000D/],
    ["oss", "destination.prefix", "a\u0085b", "destination.prefix", /U\+0085/],
    ["oss", "filter.prefix", "   ", "filter.prefix", /^filter.prefix " {3}" is only blanks/],
    ["oss", "destination.prefix", "\t", "destination.prefix", /only blanks/],
  ];
  it.each(cases)("%s %s = %j", (cloud, path, value, property, reason) => {
    expectOnly(cloud, withValue(CHECKS[cloud].full, path, value), property, reason);
  });
});

describe("finding 7: the services' limits are applied at check", () => {
  const e = "é"; // two bytes of UTF-8
  const cases: Case[] = [
    ["cos", "filter.prefix", MB2, "filter.prefix", /is 2097152 bytes long in UTF-8; at most 850/],
    ["cos", "filter.prefix", "x".repeat(851), "filter.prefix", /851 bytes/],
    ["cos", "destination.prefix", e.repeat(426), "destination.prefix", /852 bytes.*at most 850/],
    ["cos", "filter.tags[0].key", "k".repeat(128), "filter.tags[0].key", /128 characters long; at most 127/],
    ["cos", "filter.tags[0].value", "v".repeat(256), "filter.tags[0].value", /256 characters.*255/],
    ["cos", "filter.period.startTime", 9e15, "filter.period.startTime", /at most 253402300799/],
    ["cos", "filter.period.endTime", "253402300800", "filter.period.endTime", /at most 253402300799/],
    ["cos", "destination.accountId", 2 ** 60, "destination.accountId", /as a string of digits/],
    ["cos", "destination.accountId", -1, "destination.accountId", /as a string of digits/],
    ["cos", "destination.accountId", "1".repeat(21), "destination.accountId", /1 to 20 digits/],
    [
      "cos",
      "destination.bucket",
      `qcs::cos:ap-guangzhou::${"b".repeat(60)}-1250000000`,
      "destination.bucket",
      /is not a COS bucket name.*at most 60/,
    ],
    ["oss", "filter.prefix", MB2, "filter.prefix", /^filter.prefix is 2097152 bytes long.*at most 1023/],
    ["oss", "destination.prefix", "清".repeat(342), "destination.prefix", /1026 bytes.*1023/],
    [
      "oss",
      "destination.encryption.keyId",
      "k".repeat(513),
      "destination.encryption.keyId",
      /513 bytes.*512/,
    ],
    ["oss", "destination.accountId", "1".repeat(21), "destination.accountId", /1 to 20 digits/],
    [
      "oss",
      "destination.roleArn",
      `acs:ram::${"1".repeat(21)}:role/AliyunOSSRole`,
      "destination.roleArn",
      /uid of 1 to 20 digits/,
    ],
  ];
  it.each(cases)("%s %s = %j", (cloud, path, value, property, reason) => {
    expectOnly(cloud, withValue(CHECKS[cloud].full, path, value), property, reason);
  });

  it.each([
    ["cos", "filter.prefix", "x".repeat(850)],
    ["cos", "destination.prefix", `${"é".repeat(424)}ab`],
    ["cos", "filter.tags[0].key", "😀".repeat(127)],
    ["cos", "filter.tags[0].value", "清".repeat(255)],
    ["cos", "filter.period.endTime", 253402300799],
    ["cos", "destination.accountId", "1".repeat(20)],
    ["cos", "destination.accountId", Number.MAX_SAFE_INTEGER],
    ["oss", "filter.prefix", "x".repeat(1023)],
    ["oss", "destination.prefix", "清".repeat(341)],
    ["oss", "destination.encryption.keyId", `alias/${"k".repeat(255)}`],
  ] as const)("%s %s at the limit is accepted", (cloud, path, value) => {
    expect(CHECKS[cloud].check(withValue(CHECKS[cloud].full, path, value)).failures).toEqual([]);
  });

  it("COS refuses more than 10 tags: an object carries at most 10", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(cos(withValue(cosFull, "filter.tags", tags(10))).failures).toEqual([]);
    expectOnly("cos", withValue(cosFull, "filter.tags", tags(11)), "filter.tags", /11 tags; at most 10/);
  });

  it("COS refuses a metadata column longer than COS metadata can be", () => {
    const field = `x-cos-meta-${"a".repeat(2048 - 11)}`;
    expect(cos(withValue(cosFull, "optionalFields", ["Size", "Tag", field])).failures).toEqual([]);
    expectOnly(
      "cos",
      withValue(cosFull, "optionalFields", ["Size", "Tag", `${field}b`]),
      "optionalFields[2]",
      /2049 characters long; at most 2048/,
    );
  });

  it("COS refuses a body over the limit, naming what to shorten", () => {
    const fields = Array.from({ length: 40 }, (_, i) => `x-cos-meta-${String(i).padStart(2000, "a")}`);
    const r = cos(withValue(cosFull, "optionalFields", ["Tag", ...fields]));
    expect(r.failures).toEqual([
      {
        property: "optionalFields",
        reason: expect.stringMatching(
          new RegExp(
            `^the request body would be \\d+ bytes; at most ${INVENTORY_BODY_MAX_BYTES} .*optionalFields`,
          ),
        ),
      },
    ]);
    // Under the limit is fine.
    expect(cos(withValue(cosFull, "optionalFields", ["Tag", ...fields.slice(0, 20)])).failures).toEqual([]);
  });
});

describe("finding 7: unknown keys are refused at every level", () => {
  const cases: [keyof typeof CHECKS, string][] = [
    ["cos", "colour"],
    ["cos", "schedule.dayOfMonth"],
    ["cos", "schedule.autoDelete"],
    ["cos", "filter.storageClass"],
    ["cos", "incrementalInventory"],
    ["cos", "filter.tags[0].operator"],
    ["cos", "filter.period.timezone"],
    ["cos", "destination.roleArn"],
    ["oss", "colour"],
    ["oss", "schedule.monthlyDate"],
    ["oss", "filter.tags"],
    ["oss", "destination.rolename"],
    ["oss", "destination.encryption.kms"],
  ];
  it.each(cases)("%s %s", (cloud, path) => {
    const r = CHECKS[cloud].check(withValue(CHECKS[cloud].full, path, "x"));
    expect(r.failures.map((f) => f.property)).toStrictEqual([path]);
    expect(r.failures[0].reason).toMatch(/unknown argument/);
  });
});

describe("null is treated like leaving the argument out", () => {
  const optional: [keyof typeof CHECKS, string][] = [
    ["cos", "enabled"],
    ["cos", "includedObjectVersions"],
    ["cos", "filter"],
    ["cos", "filter.prefix"],
    ["cos", "filter.tags"],
    ["cos", "filter.period"],
    ["cos", "filter.period.startTime"],
    ["cos", "optionalFields"],
    ["cos", "destination.accountId"],
    ["cos", "destination.prefix"],
    ["cos", "destination.format"],
    ["cos", "destination.encryption"],
    ["cos", "adopt"],
    ["cos", "region"],
    ["oss", "enabled"],
    ["oss", "includedObjectVersions"],
    ["oss", "filter"],
    ["oss", "filter.prefix"],
    ["oss", "filter.lowerSizeBound"],
    ["oss", "filter.storageClasses"],
    ["oss", "optionalFields"],
    ["oss", "destination.prefix"],
    ["oss", "destination.format"],
    ["oss", "destination.encryption"],
    ["oss", "destination.encryption.keyId"],
    ["oss", "adopt"],
    ["oss", "region"],
  ];
  it.each(optional)("%s optional %s: null gives what absence gives", (cloud, path) => {
    const { full } = CHECKS[cloud];
    const base = path === "optionalFields" && cloud === "cos" ? withValue(full, "filter.tags", []) : full;
    const run = (news: Raw) => (cloud === "cos" ? checkCosInputs(news) : checkOssInputs(news));
    const withNull = run(withValue(base, path, null));
    const without = run(withValue(base, path, undefined));
    if (path === "region") {
      // The engine fills in a missing region before check; here both are missing alike.
      expect(withNull.failures.map((f) => f.property)).toEqual(["region"]);
      expect(withNull.failures).toEqual(without.failures);
      return;
    }
    if (path === "destination.encryption.keyId") {
      // SSE-KMS without a key id is refused either way, with one message.
      expect(withNull.failures).toEqual(without.failures);
      return;
    }
    expect(withNull.failures).toEqual([]);
    expect(withNull.inputs).toStrictEqual(without.inputs);
  });

  const required: Case[] = [
    ["cos", "bucket", null, "bucket", /^required: the source bucket/],
    ["cos", "inventoryId", null, "inventoryId", /^required: the job id/],
    ["cos", "schedule", null, "schedule", /^required: \{ frequency/],
    ["cos", "schedule.frequency", null, "schedule.frequency", /^required: "Daily" \| "Weekly"/],
    ["cos", "destination", null, "destination", /^required: \{ bucket/],
    ["cos", "destination.bucket", null, "destination.bucket", /^required/],
    ["cos", "filter.tags[0].key", null, "filter.tags[0].key", /^required: the tag's key/],
    ["oss", "bucket", null, "bucket", /^required/],
    ["oss", "inventoryId", null, "inventoryId", /^required/],
    ["oss", "schedule", null, "schedule", /^required/],
    ["oss", "schedule.frequency", null, "schedule.frequency", /^required/],
    ["oss", "destination", null, "destination", /^required/],
    ["oss", "destination.bucket", null, "destination.bucket", /^required/],
    ["oss", "destination.accountId", null, "destination.accountId", /^required/],
    ["oss", "destination.roleArn", null, "destination.roleArn", /^required/],
  ];
  it.each(required)("%s required %s: null is reported missing", (cloud, path, value, property, reason) => {
    expectOnly(cloud, withValue(CHECKS[cloud].full, path, value), property, reason);
  });

  it("a COS tag without a value (or with null) has the empty value", () => {
    for (const value of [undefined, null]) {
      const r = cos(withValue(cosFull, "filter.tags[0].value", value));
      expect(r.failures).toEqual([]);
      expect((r.inputs.filter as Raw).tags).toStrictEqual([{ key: "age", value: "" }]);
    }
  });
});

describe("unknown values still pass at preview wherever they are", () => {
  it.each([
    ["filter.tags[0]"],
    ["filter.tags[0].key"],
    ["filter.tags[0].value"],
    ["filter.period"],
    ["filter.period.startTime"],
    ["schedule.frequency"],
    ["destination.accountId"],
    ["destination.prefix"],
    ["destination.encryption"],
    ["region"],
  ])("cos %s", (path) => {
    expect(cos(withValue(cosFull, path, UNKNOWN)).failures).toEqual([]);
  });

  it("an unknown region makes a plain destination bucket unknown, not a malformed long form", () => {
    const r = cos({ ...cosFull, region: UNKNOWN });
    expect((r.inputs.destination as Raw).bucket).toBe(UNKNOWN);
  });

  it.each([
    ["filter.prefix"],
    ["destination.prefix"],
    ["destination.encryption.keyId"],
    ["destination.roleArn"],
  ])("oss %s", (path) => {
    expect(oss(withValue(ossFull, path, UNKNOWN)).failures).toEqual([]);
  });
});

describe("regressions found by the fuzz test", () => {
  it("a key that is not a plain name is still named by the failure", () => {
    const r = cos({ ...cosFull, "": 1, "a b": 2 });
    expect(r.failures.map((f) => f.property)).toStrictEqual(['[""]', '["a b"]']);
    const nested = oss({ ...ossFull, destination: { ...ossFull.destination, "": 1 } });
    expect(nested.failures.map((f) => f.property)).toStrictEqual(['destination[""]']);
  });

  it("an object with its own toString key is described, not converted (which would throw)", () => {
    const junk = { toString: "x", constructor: false };
    const r = oss(withValue(ossFull, "filter.storageClasses", [junk]));
    expect(r.failures.map((f) => f.property)).toStrictEqual(["filter.storageClasses[0]"]);
    const t = cos(withValue(cosFull, "filter.period.endTime", junk));
    expect(t.failures.map((f) => f.property)).toStrictEqual(["filter.period.endTime"]);
    const v = cos(withValue(cosFull, "includedObjectVersions", "x"));
    expect(v.failures[0].reason).toMatch(/got "x"/);
  });

  it("-0 is stored as 0, which is what reads back", () => {
    const r = cos(withValue(cosFull, "filter.period", { startTime: -0 }));
    expect(r.failures).toEqual([]);
    expect(Object.is((r.inputs.filter as { period: { startTime: number } }).period.startTime, 0)).toBe(true);
  });

  it("a hole in a sparse tag list is refused like a missing tag", () => {
    const tags: unknown[] = [];
    tags[1] = { key: "age", value: "18" };
    expectOnly("cos", withValue(cosFull, "filter.tags", tags), "filter.tags[0]", /must be an object/);
  });
});

describe("the per-value limits keep a body under the body limit", () => {
  // Every character a quote, which the writer escapes to six bytes: the worst case.
  const q = (n: number) => '"'.repeat(n);

  it("COS, everything at its limit but metadata columns: about 35 KB", () => {
    const tags = Array.from({ length: 10 }, () => ({ key: q(127), value: q(255) }));
    const news = {
      ...cosFull,
      filter: { ...cosFull.filter, prefix: q(850), tags },
      optionalFields: [...COS_OPTIONAL_FIELDS],
      destination: { ...cosFull.destination, prefix: q(850), accountId: "9".repeat(20) },
    };
    const r = cos(news);
    expect(r.failures).toEqual([]);
    const size = Buffer.byteLength(
      cosCodec.encodeInventoryConfiguration(toCosConfiguration(r.inputs as unknown as CosInventoryInputs)),
    );
    expect(size).toBeGreaterThan(30_000);
    expect(size).toBeLessThan(36_000);
  });

  it("OSS, everything at its limit: under 20 KB", () => {
    const news = {
      ...ossFull,
      filter: { ...ossFull.filter, prefix: q(1023) },
      optionalFields: [...OSS_OPTIONAL_FIELDS],
      destination: {
        ...ossFull.destination,
        prefix: q(1023),
        accountId: "9".repeat(20),
        roleArn: `acs:ram::${"9".repeat(20)}:role/${"R".repeat(64)}`,
        encryption: { type: "SSE-KMS", keyId: q(512) },
      },
    };
    const r = oss(news);
    expect(r.failures).toEqual([]);
    const size = Buffer.byteLength(
      ossCodec.encodeInventoryConfiguration(toOssConfiguration(r.inputs as unknown as OssInventoryInputs)),
    );
    expect(size).toBeGreaterThan(15_000);
    expect(size).toBeLessThan(20_000);
  });
});
