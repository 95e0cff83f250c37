/**
 * Canonical samples and checks the COS and OSS unit tests share: a full set
 * of arguments per cloud, the OSS report columns and destination of the
 * protocol vectors, and the helpers both clouds' codec and rules tests use.
 * Tests copy a sample (spread it) before changing it.
 */
import { createHash } from "crypto";
import type { ValidationFailure } from "../../provider/core/errors";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import type { OssInventoryConfiguration, OssInventoryDestination } from "../../provider/clouds/oss/model";
import { OSS_OPTIONAL_FIELDS } from "../../provider/clouds/oss/rules";
import { XmlFormatError } from "../../provider/xml";

/** Every COS argument, in the spellings a user would write (the report columns vary by test). */
export const COS_SAMPLE_ARGS = {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  inventoryId: "daily",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },
  filter: {
    prefix: "logs/",
    tags: [{ key: "age", value: "18" }],
    period: { startTime: 1568688761, endTime: 1568688762 },
  },
  optionalFields: ["Size", "Tag"],
  destination: {
    bucket: "inventorybucket-1250000000",
    accountId: "100000000001",
    prefix: "reports",
    format: "CSV",
    encryption: "SSE-COS",
  },
};

/**
 * The report columns of OSS body A (docs/protocol.md §5), in its order: the
 * first six of the OSS list.
 */
export const OSS_SAMPLE_FIELDS: readonly string[] = OSS_OPTIONAL_FIELDS.slice(0, 6);

/** The destination of OSS body A (docs/protocol.md §5), as the wire model holds it. */
export function ossSampleDestination(): OssInventoryDestination {
  return {
    format: "CSV",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    bucket: "acs:oss:::destination-bucket",
    prefix: "prefix1",
    encryption: { type: "SSE-KMS", keyId: "keyId" },
  };
}

/**
 * COS: a configuration every rule accepts; each rules test changes one thing.
 */
export function cosRulesSample(): CosInventoryConfiguration {
  return {
    id: "list1",
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
    filter: {
      prefix: "myPrefix",
      tags: [{ key: "age", value: "18" }],
      period: { startTime: 1568688761, endTime: 1568688762 },
    },
    optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "Tag", "x-cos-meta-my_header-1"],
    destination: {
      format: "CSV",
      accountId: "100000000001",
      bucket: "qcs::cos:ap-guangzhou::examplebucket-1250000000",
      prefix: "list1",
      encryption: "SSE-COS",
    },
  };
}

/**
 * OSS: a configuration every rule accepts (the go-v2/doc example with every
 * field); each rules test changes one thing.
 */
export function ossRulesSample(): OssInventoryConfiguration {
  return {
    id: "report1",
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
    filter: {
      prefix: "filterPrefix/",
      lastModifyBeginTimeStamp: 1637883649,
      lastModifyEndTimeStamp: 1638347592,
      lowerSizeBound: 1024,
      upperSizeBound: 1048576,
      storageClass: "Standard,IA",
    },
    optionalFields: [...OSS_SAMPLE_FIELDS],
    destination: ossSampleDestination(),
  };
}

/** Base64 of the MD5 of `s` as UTF-8, as Content-MD5 carries it. */
export const md5b64 = (s: string): string => createHash("md5").update(s, "utf8").digest("base64");

/** Expects `fn` to throw an XmlFormatError whose message matches `pattern`. */
export function expectFormatError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(XmlFormatError);
  expect((caught as Error).message).toMatch(pattern);
}

/** The rule checks {@link ruleChecks} makes for one cloud. */
export interface RuleChecks<C> {
  /** Applies `change` to a fresh valid configuration and validates it. */
  check: (change: (cfg: C) => void) => ValidationFailure[];
  /**
   * Expects exactly one failure, on `property`, whose reason starts with
   * that path (the convention of both clouds' rules) and matches `reason`.
   */
  expectOnly: (change: (cfg: C) => void, property: string, reason: RegExp) => void;
}

/** {@link RuleChecks} over a cloud's `valid()` configuration and its rules. */
export function ruleChecks<C>(valid: () => C, validate: (cfg: C) => ValidationFailure[]): RuleChecks<C> {
  const check = (change: (cfg: C) => void): ValidationFailure[] => {
    const cfg = valid();
    change(cfg);
    return validate(cfg);
  };
  const expectOnly = (change: (cfg: C) => void, property: string, reason: RegExp): void => {
    const failures = check(change);
    expect(failures.map((f) => f.property)).toStrictEqual([property]);
    expect(failures[0]?.reason.startsWith(property)).toBe(true);
    expect(failures[0]?.reason).toMatch(reason);
  };
  return { check, expectOnly };
}
