// The rule steps both clouds share (common/rules.ts: the id, isEnabled and
// the two enums), one table for COS and OSS. These tests stood twice, in
// cos-rules and oss-rules; each cloud's own assertions are kept in its row.
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import type { ValidationFailure } from "../../provider/core/errors";
import * as shared from "../../provider/clouds/common/rules";
import * as cos from "../../provider/clouds/cos/rules";
import * as oss from "../../provider/clouds/oss/rules";
import { cosRulesSample, ossRulesSample, ruleChecks } from "../support/samples";

/** The parts of a configuration these tests change, on either cloud. */
interface Shared {
  id: string;
  isEnabled: boolean;
  includedObjectVersions: string;
  schedule: { frequency: string; monthlyDate?: number; dayOfMonth?: number };
  /** The rest of the configuration, left to the cloud. */
  optionalFields?: string[];
  destination?: object;
}

interface Row {
  cloud: string;
  valid: () => Shared;
  validate: (cfg: Shared) => ValidationFailure[];
  idPattern: RegExp;
  idMaxLength: number;
  /** What the failure for a 65-character id says. */
  tooLong: RegExp;
  /** An id of letters outside a-z. */
  foreign: string;
  versions: readonly string[];
  frequencies: readonly string[];
  /** The cloud's name of the day of a monthly schedule. */
  monthlyDay: string;
  /** The smallest configuration the cloud accepts. */
  minimal: Shared;
}

const rows: Row[] = [
  {
    cloud: "COS",
    valid: cosRulesSample,
    validate: (cfg) => cos.validateInventoryConfiguration(cfg as CosInventoryConfiguration),
    idPattern: shared.INVENTORY_ID_PATTERN,
    idMaxLength: shared.INVENTORY_ID_MAX_LENGTH,
    tooLong: /65 characters long; at most 64 are allowed$/,
    foreign: "任务",
    versions: shared.INCLUDED_OBJECT_VERSIONS,
    frequencies: cos.COS_FREQUENCIES,
    monthlyDay: "monthlyDate",
    minimal: {
      id: "a",
      isEnabled: false,
      includedObjectVersions: "Current",
      schedule: { frequency: "Weekly" },
      optionalFields: [],
      destination: { format: "CSV", bucket: "qcs::cos:ap-beijing::b-1" },
    } satisfies CosInventoryConfiguration,
  },
  {
    cloud: "OSS (our COS-like id rule, stricter than OSS's 192)",
    valid: ossRulesSample,
    validate: (cfg) => oss.validateInventoryConfiguration(cfg as OssInventoryConfiguration),
    idPattern: shared.INVENTORY_ID_PATTERN,
    idMaxLength: shared.INVENTORY_ID_MAX_LENGTH,
    tooLong: /65 characters long; at most 64 are allowed$/,
    foreign: "清单",
    versions: shared.INCLUDED_OBJECT_VERSIONS,
    frequencies: oss.OSS_FREQUENCIES,
    monthlyDay: "dayOfMonth",
    minimal: {
      id: "a",
      isEnabled: false,
      includedObjectVersions: "Current",
      schedule: { frequency: "Weekly" },
      optionalFields: [],
      destination: { format: "CSV", accountId: "1", roleArn: "acs:ram::1:role/r", bucket: "acs:oss:::abc" },
    } satisfies OssInventoryConfiguration,
  },
];

describe.each(rows)("$cloud", (row) => {
  const { check, expectOnly } = ruleChecks(row.valid, row.validate);

  test("the base configuration and a minimal one pass", () => {
    expect(row.validate(row.valid())).toStrictEqual([]);
    expect(row.validate(row.minimal)).toStrictEqual([]);
  });

  describe("id", () => {
    test("must not be empty (nor missing)", () => {
      expectOnly((c) => (c.id = ""), "id", /must not be empty.*letters, digits/);
      expectOnly((c) => (c.id = undefined as unknown as string), "id", /must not be empty/);
    });
    test("only a-zA-Z0-9-_. (each bad character is named)", () => {
      expectOnly(
        (c) => (c.id = "my job/1"),
        "id",
        /contains " ", "\/"; use only letters, digits, "-", "_" and "\."/,
      );
      expectOnly((c) => (c.id = row.foreign), "id", /use only letters/);
      expect(check((c) => (c.id = "Az09-_.job"))).toStrictEqual([]);
    });
    test(`at most ${row.idMaxLength} characters`, () => {
      expectOnly((c) => (c.id = "a".repeat(65)), "id", row.tooLong);
      expect(check((c) => (c.id = "a".repeat(64)))).toStrictEqual([]);
    });
    test("the exported pattern agrees", () => {
      expect(row.idPattern.test("a.b-c_D9")).toBe(true);
      expect(row.idPattern.test("a b")).toBe(false);
    });
  });

  test("isEnabled must be a boolean (input may come from untyped JavaScript)", () => {
    expectOnly((c) => (c.isEnabled = "true" as unknown as boolean), "isEnabled", /true or false/);
    expect(check((c) => (c.isEnabled = false))).toStrictEqual([]);
  });

  test("includedObjectVersions is All or Current", () => {
    expectOnly(
      (c) => (c.includedObjectVersions = "current"),
      "includedObjectVersions",
      /must be "All" or "Current", got "current"/,
    );
    for (const v of row.versions) expect(check((c) => (c.includedObjectVersions = v))).toStrictEqual([]);
  });

  test("schedule.frequency is one of the cloud's", () => {
    expectOnly((c) => (c.schedule.frequency = "Yearly"), "schedule.frequency", /got "Yearly"/);
    expectOnly(
      (c) => (c.schedule = undefined as unknown as Shared["schedule"]),
      "schedule.frequency",
      /got nothing/,
    );
    for (const f of row.frequencies) {
      // A monthly job needs its day, under the cloud's name for it.
      const day = f === "Monthly" ? { [row.monthlyDay]: 28 } : {};
      expect(check((c) => (c.schedule = { frequency: f, ...day } as Shared["schedule"]))).toStrictEqual([]);
    }
  });

  test("the day of a monthly schedule: required with Monthly, 1 to 28, refused otherwise", () => {
    const path = `schedule.${row.monthlyDay}`;
    expectOnly(
      (c) => (c.schedule = { frequency: "Monthly" } as Shared["schedule"]),
      path,
      /is required with a "Monthly"/,
    );
    for (const day of [0, 29, 1.5, "3"]) {
      expectOnly(
        (c) => (c.schedule = { frequency: "Monthly", [row.monthlyDay]: day } as Shared["schedule"]),
        path,
        /must be a whole day of the month from 1 to 28/,
      );
    }
    expectOnly(
      (c) => (c.schedule = { frequency: "Weekly", [row.monthlyDay]: 1 } as Shared["schedule"]),
      path,
      /applies only to a "Monthly" schedule.frequency/,
    );
  });
});
