import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import {
  COS_DESTINATION_BUCKET_PATTERN,
  COS_META_FIELD_PATTERN,
  COS_OPTIONAL_FIELDS,
  COS_REQUIRED_ELEMENTS,
  missingRequiredElements,
  parseCosDestinationBucket,
  validateInventoryConfiguration,
} from "../../provider/clouds/cos/rules";
import { parseXml } from "../../provider/xml";
import { cosRulesSample, ruleChecks } from "../support/samples";

// The reasons' path prefix is now checked here too (one failure-path
// convention for both clouds; tests/support/samples.ts).
const valid = cosRulesSample;
const { check, expectOnly } = ruleChecks(valid, validateInventoryConfiguration);

// The base and minimal configurations pass: tests/unit/shared-rules.test.ts.

describe("destination", () => {
  test("format is CSV", () => {
    expectOnly((c) => (c.destination.format = "ORC"), "destination.format", /must be "CSV", got "ORC"/);
    expectOnly((c) => (c.destination.format = "csv"), "destination.format", /must be "CSV"/);
  });

  test.each([
    "examplebucket-1250000000",
    "qcs::cos:ap-guangzhou::examplebucket",
    "qcs::cos:ap-guangzhou::ExampleBucket-1250000000",
    "qcs::cos:ap-guangzhou::example_bucket-1250000000",
    "qcs::cos:guangzhou::examplebucket-1250000000",
    "qcs::cos:ap-guangzhou:examplebucket-1250000000",
    "acs:oss:::examplebucket",
    "qcs::cos:ap-guangzhou::examplebucket-12a",
    "",
  ])("bucket %p is rejected with the expected form", (bucket) => {
    expectOnly(
      (c) => (c.destination.bucket = bucket),
      "destination.bucket",
      /qcs::cos:<region>::<name>-<appid>/,
    );
  });

  test.each([
    "qcs::cos:ap-guangzhou::examplebucket-1250000000",
    "qcs::cos:ap-shanghai-fsi::my-bucket-2-1250000000",
    "qcs::cos:na-siliconvalley::b0-1",
    "qcs::cos:ap-beijing-1::x-1300000000",
  ])("bucket %p is accepted", (bucket) => {
    expect(check((c) => (c.destination.bucket = bucket))).toStrictEqual([]);
    expect(COS_DESTINATION_BUCKET_PATTERN.test(bucket)).toBe(true);
  });

  test("parseCosDestinationBucket splits region, name and appid", () => {
    expect(parseCosDestinationBucket("qcs::cos:ap-shanghai-fsi::my-bucket-2-1250000000")).toStrictEqual({
      region: "ap-shanghai-fsi",
      name: "my-bucket-2",
      appId: "1250000000",
    });
    expect(parseCosDestinationBucket("examplebucket-1250000000")).toBeUndefined();
  });

  test("accountId is digits when present", () => {
    expectOnly(
      (c) => (c.destination.accountId = "uin-1"),
      "destination.accountId",
      /numeric account id \(UIN\)/,
    );
    expectOnly((c) => (c.destination.accountId = ""), "destination.accountId", /numeric account id/);
    expect(check((c) => delete c.destination.accountId)).toStrictEqual([]);
    expect(check((c) => (c.destination.accountId = "1"))).toStrictEqual([]);
  });

  test("encryption is SSE-COS when present", () => {
    expectOnly(
      (c) => (c.destination.encryption = "SSE-KMS" as "SSE-COS"),
      "destination.encryption",
      /must be "SSE-COS" or be left out/,
    );
    expect(check((c) => delete c.destination.encryption)).toStrictEqual([]);
  });

  test("a missing destination is named", () => {
    expectOnly(
      (c) => delete (c as Partial<CosInventoryConfiguration>).destination,
      "destination",
      /destination is required/,
    );
  });
});

describe("optionalFields", () => {
  test("every fixed field is accepted", () => {
    expect(check((c) => (c.optionalFields = [...COS_OPTIONAL_FIELDS]))).toStrictEqual([]);
  });

  test.each([
    "IsMultipartUpload",
    "size",
    "x-cos-meta-*",
    "x-cos-meta-",
    "x-cos-meta-MyHeader",
    "x-cos-meta-a.b",
    "",
    "VersionId",
  ])("%p is rejected at its index, with the allowed names", (field) => {
    expectOnly(
      (c) => (c.optionalFields = ["Size", "Tag", field]),
      "optionalFields[2]",
      /is not a COS inventory field; use one of Size, .*Crc64, or x-cos-meta-<name>/,
    );
  });

  test.each(["x-cos-meta-a", "x-cos-meta-my-header", "x-cos-meta-my_header", "x-cos-meta-0"])(
    "%p is accepted",
    (field) => {
      expect(check((c) => (c.optionalFields = ["Tag", field]))).toStrictEqual([]);
      expect(COS_META_FIELD_PATTERN.test(field)).toBe(true);
    },
  );

  test("duplicates are named at the repeat", () => {
    expectOnly(
      (c) => (c.optionalFields = ["Tag", "Size", "ETag", "Size"]),
      "optionalFields[3]",
      /repeats "Size"; list each field once/,
    );
    expectOnly(
      (c) => (c.optionalFields = ["Tag", "x-cos-meta-a", "x-cos-meta-a"]),
      "optionalFields[2]",
      /repeats "x-cos-meta-a"/,
    );
  });

  test("an empty list is fine", () => {
    expect(check((c) => ((c.optionalFields = []), delete c.filter))).toStrictEqual([]);
  });
});

describe("filter", () => {
  test("tags require the Tag optional field", () => {
    expectOnly(
      (c) => (c.optionalFields = ["Size"]),
      "optionalFields",
      /must include "Tag" when filter.tags is set/,
    );
    expect(check((c) => ((c.optionalFields = ["Size"]), delete c.filter!.tags))).toStrictEqual([]);
    expect(check((c) => ((c.optionalFields = ["Size"]), (c.filter!.tags = [])))).toStrictEqual([]);
  });

  test("tag keys must not be empty (each is located)", () => {
    expectOnly(
      (c) =>
        (c.filter!.tags = [
          { key: "a", value: "" },
          { key: "", value: "v" },
        ]),
      "filter.tags[1].key",
      /must not be empty/,
    );
    expect(check((c) => (c.filter!.tags = [{ key: "a", value: "" }]))).toStrictEqual([]);
  });

  test("period start must not be after end", () => {
    expectOnly(
      (c) => (c.filter!.period = { startTime: 10, endTime: 9 }),
      "filter.period",
      /startTime \(10\) must not be after/,
    );
    expect(check((c) => (c.filter!.period = { startTime: 10, endTime: 10 }))).toStrictEqual([]);
    expect(check((c) => (c.filter!.period = { startTime: 10 }))).toStrictEqual([]);
    expect(check((c) => (c.filter!.period = { endTime: 0 }))).toStrictEqual([]);
  });

  test.each([
    ["startTime", -1],
    ["startTime", 1.5],
    ["endTime", Number.NaN],
    ["endTime", Number.POSITIVE_INFINITY],
    ["startTime", "1568688761" as unknown as number],
  ] as const)("period.%s = %p must be a non-negative whole number", (name, value) => {
    expectOnly(
      (c) => (c.filter!.period = { [name]: value }),
      `filter.period.${name}`,
      /whole, non-negative number of seconds/,
    );
  });

  test("no filter at all is fine", () => {
    expect(check((c) => delete c.filter)).toStrictEqual([]);
  });
});

test("all failures are reported together, each naming its property", () => {
  const failures = validateInventoryConfiguration({
    id: "bad id",
    isEnabled: true,
    includedObjectVersions: "Both" as "All",
    schedule: { frequency: "Hourly" as "Daily" },
    filter: { tags: [{ key: "", value: "" }], period: { startTime: 5, endTime: 1 } },
    optionalFields: ["Nope"],
    destination: { format: "ORC", bucket: "b", accountId: "x" },
  });
  expect(failures.map((f) => f.property)).toStrictEqual([
    "id",
    "includedObjectVersions",
    "schedule.frequency",
    "destination.format",
    "destination.bucket",
    "destination.accountId",
    "optionalFields[0]",
    "filter.tags[0].key",
    "optionalFields",
    "filter.period",
  ]);
  for (const f of failures) expect(f.reason.length).toBeGreaterThan(10);
});

describe("missingRequiredElements", () => {
  test("names each absent required path, in a stable order", () => {
    expect(missingRequiredElements(parseXml("<InventoryConfiguration/>").content)).toStrictEqual([
      ...COS_REQUIRED_ELEMENTS,
    ]);
    expect(
      missingRequiredElements(
        parseXml(
          "<InventoryConfiguration><Id/><IsEnabled>true</IsEnabled><IncludedObjectVersions>All</IncludedObjectVersions>" +
            "<Schedule/><Destination><COSBucketDestination><Format>CSV</Format></COSBucketDestination></Destination>" +
            "</InventoryConfiguration>",
        ).content,
      ),
    ).toStrictEqual(["Destination/COSBucketDestination/Bucket", "Schedule/Frequency"]);
  });

  test("accepts a custom list (e.g. a one-shot POST body has no IsEnabled or Schedule)", () => {
    const content = parseXml("<InventoryConfiguration><Id>x</Id></InventoryConfiguration>").content;
    expect(missingRequiredElements(content, ["Id", "IncludedObjectVersions"])).toStrictEqual([
      "IncludedObjectVersions",
    ]);
  });
});

describe("free text, tags and the limits", () => {
  test.each([
    [
      "filter.prefix",
      (c: CosInventoryConfiguration) => (c.filter!.prefix = "a\rb"),
      /U\+000D.*carriage return/,
    ],
    ["destination.prefix", (c: CosInventoryConfiguration) => (c.destination.prefix = "   "), /only blanks/],
    [
      "destination.prefix",
      (c: CosInventoryConfiguration) => (c.destination.prefix = "é".repeat(426)),
      /852 bytes/,
    ],
    [
      "filter.prefix",
      (c: CosInventoryConfiguration) => (c.filter!.prefix = 5 as unknown as string),
      /must be a string/,
    ],
    [
      "filter.tags[0].key",
      (c: CosInventoryConfiguration) => (c.filter!.tags = [{ key: "k".repeat(128), value: "" }]),
      /128 characters long; at most 127/,
    ],
    [
      "filter.tags[0].value",
      (c: CosInventoryConfiguration) => (c.filter!.tags = [{ key: "k", value: "\u0007" }]),
      /U\+0007/,
    ],
    [
      "filter.tags[0].value",
      (c: CosInventoryConfiguration) => (c.filter!.tags = [{ key: "k", value: 5 as unknown as string }]),
      /must be a string/,
    ],
    [
      "filter.period.startTime",
      (c: CosInventoryConfiguration) => (c.filter!.period = { startTime: 9e15 }),
      /at most 253402300799/,
    ],
    [
      "destination.accountId",
      (c: CosInventoryConfiguration) => (c.destination.accountId = "1".repeat(21)),
      /1 to 20 digits/,
    ],
    [
      "optionalFields[6]",
      (c: CosInventoryConfiguration) => c.optionalFields.push(`x-cos-meta-${"a".repeat(2038)}`),
      /2049 characters long/,
    ],
  ])("%s is refused naming it", (property, change, reason) => {
    expectOnly(change, property, reason);
  });

  test("at most 10 tags; the limits themselves are accepted", () => {
    const tags = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v".repeat(255) }));
    expect(check((c) => (c.filter!.tags = tags(10)))).toStrictEqual([]);
    expectOnly((c) => (c.filter!.tags = tags(11)), "filter.tags", /at most 10/);
    expect(check((c) => (c.filter!.prefix = "x".repeat(850)))).toStrictEqual([]);
    expect(check((c) => (c.filter!.period = { startTime: 0, endTime: 253402300799 }))).toStrictEqual([]);
    expect(check((c) => c.optionalFields.push(`x-cos-meta-${"a".repeat(2037)}`))).toStrictEqual([]);
  });
});
