import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import {
  OSS_BUCKET_RE,
  OSS_REGION_PATTERN,
  checkOssBucket,
  checkOssRegion,
} from "../../provider/clouds/oss/endpoint";
import {
  INVENTORY_MAX_CONFIGURATIONS,
  INVENTORY_PAGE_SIZE,
  REPORT_FORMATS,
} from "../../provider/clouds/common/rules";
import {
  OSS_ACCOUNT_ID_PATTERN,
  OSS_DESTINATION_BUCKET_PATTERN,
  OSS_ENCRYPTIONS,
  OSS_OPTIONAL_FIELDS,
  OSS_REQUIRED_ELEMENTS,
  OSS_ROLE_ARN_PATTERN,
  OSS_SIZE_BOUND_MAX,
  OSS_STORAGE_CLASSES,
  OSS_TIMESTAMP_MAX,
  OSS_TIMESTAMP_MIN,
  checkOssStorageClasses,
  parseOssDestinationBucket,
  validateInventoryConfiguration,
} from "../../provider/clouds/oss/rules";
import { ossRulesSample, ruleChecks } from "../support/samples";

// The rules name model paths, as the COS rules do (one failure-path
// convention for both clouds, issue 11); until then they named wire paths
// such as "Destination.OSSBucketDestination.RoleArn", which these
// assertions spelled.

const valid = ossRulesSample;
const { check, expectOnly } = ruleChecks(valid, validateInventoryConfiguration);

// The base and minimal configurations pass: tests/unit/shared-rules.test.ts.
test("OSS body A passes", () => {
  // The body ali-oss sends (docs/protocol.md §5, OSS body A), as the model holds it.
  expect(
    validateInventoryConfiguration({
      ...valid(),
      filter: { prefix: "filterPrefix/" },
    }),
  ).toStrictEqual([]);
});

test("documented limits are exported as constants", () => {
  expect(INVENTORY_MAX_CONFIGURATIONS).toBe(1000);
  expect(INVENTORY_PAGE_SIZE).toBe(100);
  expect(OSS_TIMESTAMP_MIN).toBe(1262275200);
  expect(OSS_TIMESTAMP_MAX).toBe(253402271999);
  expect(OSS_SIZE_BOUND_MAX).toBe(54975581388800);
  expect(REPORT_FORMATS).toStrictEqual(["CSV"]);
  expect(OSS_ENCRYPTIONS).toStrictEqual(["SSE-OSS", "SSE-KMS"]);
  expect(OSS_STORAGE_CLASSES).toStrictEqual(["Standard", "IA", "Archive", "ColdArchive", "All"]);
  expect(OSS_REQUIRED_ELEMENTS).toContain("Destination/OSSBucketDestination/RoleArn");
  expect(OSS_ACCOUNT_ID_PATTERN.test("1000000000000000")).toBe(true);
  expect(OSS_ACCOUNT_ID_PATTERN.test("uid-1")).toBe(false);
});

describe("Destination", () => {
  test("a missing destination is named", () => {
    expectOnly(
      (c) => delete (c as Partial<OssInventoryConfiguration>).destination,
      "destination",
      /destination is required/,
    );
  });

  test("Format is CSV", () => {
    expectOnly((c) => (c.destination.format = "ORC"), "destination.format", /must be "CSV", got "ORC"/);
    expectOnly((c) => (c.destination.format = "csv"), "destination.format", /must be "CSV"/);
  });

  test("AccountId is required and digits", () => {
    expectOnly(
      (c) => (c.destination.accountId = "uid-1"),
      "destination.accountId",
      /numeric account id \(UID\)/,
    );
    expectOnly((c) => (c.destination.accountId = ""), "destination.accountId", /numeric account id/);
    expectOnly(
      (c) => (c.destination.accountId = undefined as unknown as string),
      "destination.accountId",
      /numeric account id/,
    );
  });

  test.each([
    "AliyunOSSRole",
    "acs:ram::1000000000000000:role/",
    "acs:ram::uid:role/AliyunOSSRole",
    "acs:ram:1000000000000000:role/AliyunOSSRole",
    "acs:ram::1000000000000000:user/alice",
    "acs:ram::1000000000000000:role/has space",
    "acs:ram::1000000000000000:role/a/b",
    `acs:ram::1:role/${"r".repeat(65)}`,
    "arn:aws:iam::123456789012:role/x",
    "",
  ])("RoleArn %p is rejected with the expected form", (arn) => {
    expectOnly((c) => (c.destination.roleArn = arn), "destination.roleArn", /acs:ram::<uid>:role\/<name>/);
  });

  test.each([
    "acs:ram::1000000000000000:role/AliyunOSSRole",
    "acs:ram::1:role/aliyunservicerolefoross",
    "acs:ram::1:role/my.role-name_2",
    `acs:ram::1:role/${"r".repeat(64)}`,
  ])("RoleArn %p is accepted", (arn) => {
    expect(check((c) => (c.destination.roleArn = arn))).toStrictEqual([]);
    expect(OSS_ROLE_ARN_PATTERN.test(arn)).toBe(true);
  });

  test.each([
    "destination-bucket",
    "acs:oss::destination-bucket",
    "acs:oss::bu",
    "acs:oss:::bu",
    "acs:oss:::Destination-Bucket",
    "acs:oss:::destination_bucket",
    "acs:oss:::-bucket",
    "acs:oss:::bucket-",
    `acs:oss:::${"b".repeat(64)}`,
    "qcs::cos:ap-guangzhou::examplebucket-1250000000",
    "",
  ])("Bucket %p is rejected with the expected form", (bucket) => {
    expectOnly((c) => (c.destination.bucket = bucket), "destination.bucket", /acs:oss:::<name>/);
  });

  test.each([
    "acs:oss:::abc",
    "acs:oss:::destination-bucket",
    "acs:oss:::0-9",
    `acs:oss:::${"b".repeat(63)}`,
  ])("Bucket %p is accepted", (bucket) => {
    expect(check((c) => (c.destination.bucket = bucket))).toStrictEqual([]);
    expect(OSS_DESTINATION_BUCKET_PATTERN.test(bucket)).toBe(true);
  });

  test("Prefix is a string when present", () => {
    expectOnly(
      (c) => (c.destination.prefix = 5 as unknown as string),
      "destination.prefix",
      /must be a string/,
    );
    expect(check((c) => delete c.destination.prefix)).toStrictEqual([]);
  });

  describe("Encryption", () => {
    test("SSE-OSS, SSE-KMS with a key id, or none", () => {
      expect(check((c) => (c.destination.encryption = { type: "SSE-OSS" }))).toStrictEqual([]);
      expect(check((c) => (c.destination.encryption = { type: "SSE-KMS", keyId: "k" }))).toStrictEqual([]);
      expect(check((c) => delete c.destination.encryption)).toStrictEqual([]);
    });

    test.each(["", "   ", undefined])("SSE-KMS with key id %p needs a non-empty one", (keyId) => {
      expectOnly(
        (c) => (c.destination.encryption = { type: "SSE-KMS", keyId: keyId as string }),
        "destination.encryption.keyId",
        /must not be empty: SSE-KMS needs the id of a KMS key/,
      );
    });

    test("SSE-OSS takes no key id", () => {
      expectOnly(
        (c) => (c.destination.encryption = { type: "SSE-OSS", keyId: "k" } as unknown as { type: "SSE-OSS" }),
        "destination.encryption.keyId",
        /takes no KeyId; a KMS key id goes only with SSE-KMS/,
      );
    });

    test.each([{ type: "SSE-COS" }, { type: "sse-kms", keyId: "k" }, {}, "SSE-OSS"])(
      "%p is not an encryption kind",
      (encryption) => {
        expectOnly(
          (c) => (c.destination.encryption = encryption as unknown as { type: "SSE-OSS" }),
          "destination.encryption.type",
          /must be "SSE-OSS" or "SSE-KMS" or be left out/,
        );
      },
    );
  });
});

describe("optionalFields", () => {
  test("every documented field is accepted, and none", () => {
    expect(check((c) => (c.optionalFields = [...OSS_OPTIONAL_FIELDS]))).toStrictEqual([]);
    expect(check((c) => (c.optionalFields = []))).toStrictEqual([]);
  });

  test.each(["ReplicationStatus", "Tag", "size", "CRC64", "x-oss-meta-a", "StartTime", ""])(
    "%p is rejected at its index, with the allowed names",
    (field) => {
      expectOnly(
        (c) => (c.optionalFields = ["Size", "ETag", field]),
        "optionalFields[2]",
        /is not an OSS inventory field; use one of Size, .*Crc64/,
      );
    },
  );

  test("duplicates are named at the repeat", () => {
    expectOnly(
      (c) => (c.optionalFields = ["Size", "ETag", "Size"]),
      "optionalFields[2]",
      /repeats "Size"; list each field once/,
    );
  });

  test("must be a list", () => {
    expectOnly((c) => (c.optionalFields = "Size" as unknown as string[]), "optionalFields", /must be a list/);
  });
});

describe("Filter", () => {
  test("no filter, or a prefix alone, is fine", () => {
    expect(check((c) => delete c.filter)).toStrictEqual([]);
    expect(check((c) => (c.filter = { prefix: "a/" }))).toStrictEqual([]);
    expect(check((c) => (c.filter = {}))).toStrictEqual([]);
  });

  test("Prefix is a string", () => {
    expectOnly((c) => (c.filter!.prefix = 1 as unknown as string), "filter.prefix", /must be a string/);
  });

  test.each(["LastModifyBeginTimeStamp", "LastModifyEndTimeStamp"] as const)(
    "%s accepts the documented range inclusively",
    (name) => {
      const key = name === "LastModifyBeginTimeStamp" ? "lastModifyBeginTimeStamp" : "lastModifyEndTimeStamp";
      for (const t of [OSS_TIMESTAMP_MIN, OSS_TIMESTAMP_MAX]) {
        expect(check((c) => (c.filter = { [key]: t }))).toStrictEqual([]);
      }
      for (const t of [OSS_TIMESTAMP_MIN - 1, OSS_TIMESTAMP_MAX + 1, 0, -1, 1637883649.5, Number.NaN]) {
        expectOnly(
          (c) => (c.filter = { [key]: t }),
          `filter.${key}`,
          /whole number of seconds since the Unix epoch from 1262275200 .* to 253402271999/,
        );
      }
      expectOnly(
        (c) => (c.filter = { [key]: "1637883649" as unknown as number }),
        `filter.${key}`,
        /got "1637883649"/,
      );
    },
  );

  test("begin must not be after end (equal is fine)", () => {
    expectOnly(
      (c) => (
        (c.filter!.lastModifyBeginTimeStamp = 1637000001),
        (c.filter!.lastModifyEndTimeStamp = 1637000000)
      ),
      "filter.lastModifyBeginTimeStamp",
      /\(1637000001\) must not be after filter.lastModifyEndTimeStamp \(1637000000\)/,
    );
    expect(
      check(
        (c) => (
          (c.filter!.lastModifyBeginTimeStamp = 1637000000),
          (c.filter!.lastModifyEndTimeStamp = 1637000000)
        ),
      ),
    ).toStrictEqual([]);
  });

  test("size bounds: whole bytes up to the maximum; the upper one positive", () => {
    expect(check((c) => (c.filter = { lowerSizeBound: 0 }))).toStrictEqual([]);
    expect(check((c) => (c.filter = { lowerSizeBound: OSS_SIZE_BOUND_MAX }))).toStrictEqual([]);
    expect(check((c) => (c.filter = { upperSizeBound: 1 }))).toStrictEqual([]);
    expect(check((c) => (c.filter = { upperSizeBound: OSS_SIZE_BOUND_MAX }))).toStrictEqual([]);
    for (const n of [-1, 1.5, OSS_SIZE_BOUND_MAX + 1, Number.POSITIVE_INFINITY]) {
      expectOnly(
        (c) => (c.filter = { lowerSizeBound: n }),
        "filter.lowerSizeBound",
        /from 0 to 54975581388800/,
      );
    }
    for (const n of [0, -1, 1.5, OSS_SIZE_BOUND_MAX + 1]) {
      expectOnly(
        (c) => (c.filter = { upperSizeBound: n }),
        "filter.upperSizeBound",
        /from 1 to 54975581388800/,
      );
    }
  });

  test("the lower bound must not exceed the upper one (equal is fine)", () => {
    expectOnly(
      (c) => (c.filter = { lowerSizeBound: 1000, upperSizeBound: 100 }),
      "filter.lowerSizeBound",
      /\(1000\) must not be greater than filter.upperSizeBound \(100\)/,
    );
    expect(check((c) => (c.filter = { lowerSizeBound: 100, upperSizeBound: 100 }))).toStrictEqual([]);
  });

  test.each([
    "Standard",
    "IA",
    "Archive",
    "ColdArchive",
    "All",
    "Standard,IA",
    "Archive,ColdArchive,IA,Standard",
  ])("StorageClass %p is accepted", (storageClass) => {
    expect(check((c) => (c.filter!.storageClass = storageClass))).toStrictEqual([]);
  });

  test.each([
    [
      "Standard,UNKNOW_TYPE",
      /has storage class "UNKNOW_TYPE"; use "Standard", "IA", "Archive", "ColdArchive" or "All"/,
    ],
    ["standard", /has storage class "standard"/],
    ["Standard, IA", /has storage class " IA"/],
    ["Standard,,IA", /has storage class ""/],
    ["IA,Standard,IA", /repeats "IA"; list each class once/],
    ["", /comma-separated list/],
  ])("StorageClass %p is rejected", (storageClass, reason) => {
    expectOnly((c) => (c.filter!.storageClass = storageClass), "filter.storageClass", reason);
  });
});

test("all failures are reported together, each naming its model path", () => {
  const failures = validateInventoryConfiguration({
    id: "bad id",
    isEnabled: true,
    includedObjectVersions: "Both" as "All",
    schedule: { frequency: "Hourly" as "Daily" },
    filter: {
      lastModifyBeginTimeStamp: 5,
      lowerSizeBound: 10,
      upperSizeBound: 5,
      storageClass: "Hot",
    },
    optionalFields: ["Nope"],
    destination: {
      format: "ORC",
      bucket: "b",
      accountId: "x",
      roleArn: "r",
      encryption: { type: "SSE-KMS", keyId: "" },
    },
  });
  expect(failures.map((f) => f.property)).toStrictEqual([
    "id",
    "includedObjectVersions",
    "schedule.frequency",
    "destination.format",
    "destination.accountId",
    "destination.roleArn",
    "destination.bucket",
    "destination.encryption.keyId",
    "optionalFields[0]",
    "filter.lastModifyBeginTimeStamp",
    "filter.lowerSizeBound",
    "filter.storageClass",
  ]);
  for (const f of failures) expect(f.reason.startsWith(f.property)).toBe(true);
});

describe("checkOssRegion", () => {
  test.each([
    "cn-hangzhou",
    "cn-hongkong",
    "ap-southeast-1",
    "us-west-1",
    "eu-central-1",
    "cn-shanghai-finance-1",
  ])("%p is a region", (region) => {
    expect(checkOssRegion(region)).toStrictEqual([]);
    expect(OSS_REGION_PATTERN.test(region)).toBe(true);
  });

  test.each(["hangzhou", "CN-Hangzhou", "cn_hangzhou", "cn-hangzhou.aliyuncs.com", "", "cn-"])(
    "%p is not, and the failure names the property",
    (region) => {
      const failures = checkOssRegion(region, "destination.region");
      expect(failures.map((f) => f.property)).toStrictEqual(["destination.region"]);
      expect(failures[0]?.reason).toMatch(/is not an OSS region; use a region id such as "cn-hangzhou"/);
    },
  );

  test("the endpoint spelling is refused with a hint to drop the prefix", () => {
    const failures = checkOssRegion("oss-cn-hangzhou");
    expect(failures.map((f) => f.property)).toStrictEqual(["region"]);
    expect(failures[0]?.reason).toMatch(/without the endpoint's "oss-" prefix: "cn-hangzhou"/);
  });
});

describe("checkOssBucket", () => {
  test.each(["abc", "examplebucket", "my-bucket-2", "0bucket9", "b".repeat(63)])(
    "%p is a bucket name",
    (bucket) => {
      expect(checkOssBucket(bucket)).toStrictEqual([]);
      expect(OSS_BUCKET_RE.test(bucket)).toBe(true);
    },
  );

  test.each([
    "ab",
    "b".repeat(64),
    "Example",
    "my_bucket",
    "-bucket",
    "bucket-",
    "acs:oss:::bucket",
    "a.b.c",
    "",
  ])("%p is not, and the failure names the property", (bucket) => {
    const failures = checkOssBucket(bucket, "destination.bucket");
    expect(failures.map((f) => f.property)).toStrictEqual(["destination.bucket"]);
    expect(failures[0]?.reason).toMatch(/is not an OSS bucket name; use 3 to 63 lowercase letters/);
  });

  test("the default property is bucket", () => {
    expect(checkOssBucket("X")[0]?.property).toBe("bucket");
  });
});

test("parseOssDestinationBucket gives the bare name", () => {
  expect(parseOssDestinationBucket("acs:oss:::destination-bucket")).toBe("destination-bucket");
  expect(parseOssDestinationBucket("destination-bucket")).toBeUndefined();
  expect(parseOssDestinationBucket("acs:oss::destination-bucket")).toBeUndefined();
  expect(parseOssDestinationBucket("acs:oss:::Bad_Name")).toBeUndefined();
});

test("checkOssStorageClasses names each bad item through the given path", () => {
  expect(checkOssStorageClasses(["IA", "Hot", "IA", 3], (i) => `classes[${i}]`)).toStrictEqual([
    { property: "classes[1]", reason: expect.stringMatching(/^classes\[1\] has storage class "Hot"/) },
    { property: "classes[2]", reason: expect.stringMatching(/^classes\[2\] repeats "IA"/) },
    { property: "classes[3]", reason: expect.stringMatching(/^classes\[3\] has storage class 3;/) },
  ]);
  expect(checkOssStorageClasses(OSS_STORAGE_CLASSES, String)).toStrictEqual([]);
});

describe("free text the XML cannot carry or would not read back, and the length limits", () => {
  test.each([
    ["a\rb", /contains U\+000D at index 1, a carriage return/],
    ["a\u0001", /contains U\+0001/],
    ["\ud800", /contains U\+D800/],
    ["   ", /is only blanks/],
    ["x".repeat(1024), /is 1024 bytes long in UTF-8; at most 1023/],
  ])("filter.prefix %j is refused with the model path", (prefix, reason) => {
    expectOnly((c) => (c.filter = { prefix }), "filter.prefix", reason);
  });

  test("the destination prefix and the KMS key id have their own limits", () => {
    expect(check((c) => (c.destination.prefix = "清".repeat(341)))).toStrictEqual([]);
    expectOnly((c) => (c.destination.prefix = "清".repeat(342)), "destination.prefix", /1026 bytes/);
    expect(
      check((c) => (c.destination.encryption = { type: "SSE-KMS", keyId: "k".repeat(512) })),
    ).toStrictEqual([]);
    expectOnly(
      (c) => (c.destination.encryption = { type: "SSE-KMS", keyId: "k".repeat(513) }),
      "destination.encryption.keyId",
      /513 bytes.*at most 512/,
    );
    // A blank key id is reported once, as empty.
    expectOnly(
      (c) => (c.destination.encryption = { type: "SSE-KMS", keyId: "  " }),
      "destination.encryption.keyId",
      /must not be empty/,
    );
  });

  test("account ids and role ARN uids are 1 to 20 digits", () => {
    expect(OSS_ACCOUNT_ID_PATTERN.test("9".repeat(20))).toBe(true);
    expect(OSS_ACCOUNT_ID_PATTERN.test("9".repeat(21))).toBe(false);
    expect(OSS_ROLE_ARN_PATTERN.test(`acs:ram::${"9".repeat(21)}:role/r`)).toBe(false);
    expectOnly((c) => (c.destination.accountId = "1".repeat(21)), "destination.accountId", /1 to 20 digits/);
  });
});
