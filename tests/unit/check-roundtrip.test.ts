// Property: whatever `check` accepts reads back exactly as checked, through
// the real wire path (toModel → the codec's XML writer → the codec's reader →
// fromModel), so an accepted job never shows a perpetual diff. The generator
// starts from valid inputs and plants hostile values (control characters,
// CR/LF, blanks, lone surrogates, values past the limits, non-strings, null,
// unknown keys) anywhere in them.
//
// Fuzz: random JSON-ish junk never makes either check throw; it gets failures
// that name a property, and whatever junk is accepted also reads back equal.
import { isDeepStrictEqual } from "node:util";
import * as cosCodec from "../../provider/clouds/cos/codec";
import { COS_OPTIONAL_FIELDS, COS_STORAGE_CLASSES } from "../../provider/clouds/cos/rules";
import {
  type CosInventoryInputs,
  checkCosInputs,
  fromCosConfiguration,
  toCosConfiguration,
} from "../../provider/clouds/cos/schema";
import * as ossCodec from "../../provider/clouds/oss/codec";
import {
  OSS_INCREMENTAL_FIELDS,
  OSS_OPTIONAL_FIELDS,
  OSS_TIMESTAMP_MAX,
  OSS_TIMESTAMP_MIN,
} from "../../provider/clouds/oss/rules";
import {
  type OssInventoryInputs,
  checkOssInputs,
  fromOssConfiguration,
  toOssConfiguration,
} from "../../provider/clouds/oss/schema";
import type { ValidationFailure } from "../../provider/core/errors";
import { UNKNOWN, unknownPaths } from "../../provider/core/unknown";
import { INVENTORY_ARGUMENTS } from "../../provider/clouds/common/schema";

type Raw = Record<string, unknown>;

/** A small seeded PRNG (xorshift32), so every run sees the same cases. */
class Gen {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  chance(p = 0.5): boolean {
    return this.next() < p;
  }
  word(alphabet: readonly string[], lo: number, hi: number): string {
    return Array.from({ length: this.int(lo, hi) }, () => this.pick(alphabet)).join("");
  }
}

const chars = (s: string): string[] => [...s];
const LOWER = chars("abcdefghijklmnopqrstuvwxyz0123456789");
const DIGITS = chars("0123456789");
const ID = chars("ABCxyz019._-");
/** Characters a valid value may hold anywhere (escaping, multi-byte, astral). */
const INNER = [...chars("abZ09/-_.&<>\"'%#+=:@清é😀"), "\u200b", " ", "\u00a0"];
/** Characters a valid value may start and end with (no blanks). */
const EDGE = chars("abZ09/-_.&<>\"'%清é😀");

/** A valid text: never blank at an end; sometimes exactly `limit` ASCII bytes long. */
function validText(g: Gen, limit: number): string {
  if (g.chance(0.05)) return "x".repeat(limit);
  if (g.chance(0.5)) return g.pick(EDGE);
  return `${g.pick(EDGE)}${g.word(INNER, 0, 30)}${g.pick(EDGE)}`;
}

/** Text `check` must refuse (or, where it would round-trip, may refuse). */
const HOSTILE_TEXT: readonly string[] = [
  "a\u0001b",
  "\u0007",
  "a\u0000",
  "a\rb",
  "a\r\nb",
  "a\nb",
  "a\tb",
  "x\u007f",
  "x\u0085",
  "   ",
  "\t",
  "\u3000",
  " a",
  "a ",
  "a\n",
  "\ufeffa",
  "\ud800",
  "a\udc00b",
  "\udc00\ud800",
  "a\ufffe",
  "\uffff",
  "x".repeat(851),
  "x".repeat(1024),
  "é".repeat(513),
  "k".repeat(2 * 1024 * 1024),
  "",
];

/** Values of the wrong type, or at the edges of number ranges. */
const HOSTILE_OTHER: readonly unknown[] = [
  0,
  5,
  -1,
  1.5,
  9e15,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  253402300800,
  "253402300799",
  "1e3",
  true,
  false,
  null,
  undefined,
  [],
  ["a"],
  [null],
  {},
  { a: 1 },
  "Daily",
  "All",
  "CSV",
  "Tag",
];

/**
 * A deep copy made in this realm. (jest's global `structuredClone` builds
 * objects with another realm's prototypes, which `isDeepStrictEqual` tells apart.)
 */
function clone<T>(x: T): T {
  if (Array.isArray(x)) return x.map(clone) as T;
  if (typeof x === "object" && x !== null) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, clone(v)])) as T;
  }
  return x;
}

/** Sets `value` at `path` (`a.b[0].c`), creating or replacing containers on the way. */
function setPath(root: Raw, path: string, value: unknown): void {
  const keys = path
    .split(/\.|\[(\d+)\]/)
    .filter((k) => k !== undefined && k !== "")
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node: Record<string | number, unknown> = root;
  keys.slice(0, -1).forEach((k, i) => {
    const wantArray = typeof keys[i + 1] === "number";
    const next = node[k];
    const fits = wantArray
      ? Array.isArray(next)
      : typeof next === "object" && next !== null && !Array.isArray(next);
    if (!fits) node[k] = wantArray ? [] : {};
    node = node[k] as Record<string | number, unknown>;
  });
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Plants 0 to 3 hostile values (or unknown keys) at random paths of `raw`. */
function plant(g: Gen, raw: Raw, paths: readonly string[], levels: readonly string[]): Raw {
  const out = clone(raw);
  for (let n = g.int(0, 3); n > 0; n--) {
    if (g.chance(0.1)) {
      const level = g.pick(levels);
      setPath(out, level === "" ? "zzz" : `${level}.zzz`, "x");
    } else {
      const value = g.chance(0.6) ? g.pick(HOSTILE_TEXT) : g.pick(HOSTILE_OTHER);
      setPath(out, g.pick(paths), clone(value));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The two clouds, described the same way

interface Cloud {
  name: string;
  check: (news: Raw) => { inputs: Raw; failures: ValidationFailure[] };
  /** check's inputs → XML → back to inputs, as `read` would give them. */
  readBack: (inputs: Raw) => { xml: string; back: Raw };
  valid: (g: Gen) => Raw;
  /** Paths where hostile values are planted. */
  paths: readonly string[];
  /** Object levels where an unknown key is planted (`""` is the top). */
  levels: readonly string[];
  /** The first segment of every path a failure may name. */
  heads: readonly string[];
}

// Every argument users may give (not the hidden schemaVersion), and one that does not exist.
const TOP = [...INVENTORY_ARGUMENTS.filter((a) => a !== "schemaVersion"), "zzz"];

/**
 * A schedule of any frequency `g` picks among the cloud's: a monthly one with
 * its day under the cloud's name `day` (as a number or its digits), a one-shot
 * one (OSS) sometimes with `autoDelete`.
 */
function schedule(g: Gen, day: "monthlyDate" | "dayOfMonth"): Raw {
  const frequencies =
    day === "monthlyDate" ? ["Daily", "Weekly", "Monthly"] : ["Daily", "Weekly", "Monthly", "Once"];
  const out: Raw = { frequency: g.pick(frequencies) };
  if (out.frequency === "Monthly") out[day] = g.chance(0.8) ? g.int(1, 28) : String(g.int(1, 28));
  if (out.frequency === "Once" && g.chance()) out.autoDelete = g.pick([true, false, "true"]);
  return out;
}

/** Inputs without the control property `adopt`, which never reaches the wire. */
function job(inputs: Raw): Raw {
  const { adopt: _adopt, ...rest } = inputs;
  return rest;
}

const cos: Cloud = {
  name: "COS",
  check: (news) => checkCosInputs(news),
  readBack: (inputs) => {
    const i = inputs as unknown as CosInventoryInputs;
    const xml = cosCodec.encodeInventoryConfiguration(toCosConfiguration(i));
    const back = fromCosConfiguration(cosCodec.decodeInventoryConfiguration(xml), i);
    // The shape the emulator keeps for a lone prefix written inside <And> reads back the same.
    const inAnd = cosCodec.encodeInventoryConfiguration(toCosConfiguration(i), { prefixInAnd: true });
    const backInAnd = fromCosConfiguration(cosCodec.decodeInventoryConfiguration(inAnd), i);
    if (!isDeepStrictEqual(back, backInAnd)) throw new Error(`the <And> shape reads back as ${inAnd}`);
    return { xml, back: back as unknown as Raw };
  },
  valid: (g) => {
    const region = g.pick(["ap-guangzhou", "ap-beijing", "ap-shanghai-fsi", "na-siliconvalley"]);
    const bucket = () =>
      `${g.pick(LOWER)}${g.word([...LOWER, "-"], 0, 20)}${g.pick(LOWER)}-${g.word(DIGITS, 1, 10)}`;
    const raw: Raw = {
      region,
      bucket: bucket(),
      inventoryId: g.word(ID, 1, 64),
      schedule: schedule(g, "monthlyDate"),
      destination: {
        bucket: g.chance() ? bucket() : `qcs::cos:${g.pick(["ap-guangzhou", "ap-beijing"])}::${bucket()}`,
      },
    };
    if (g.chance()) raw.enabled = g.pick([true, false, "true", "FALSE", null]);
    if (g.chance()) raw.includedObjectVersions = g.pick(["All", "Current", null]);
    const fields = COS_OPTIONAL_FIELDS.filter(() => g.chance(0.3));
    if (g.chance(0.3)) fields.push(`x-cos-meta-${g.word([...LOWER, "_", "-"], 1, 20)}`);
    if (g.chance(0.6)) {
      const filter: Raw = {};
      if (g.chance()) filter.prefix = validText(g, 850);
      if (g.chance(0.4)) {
        filter.tags = Array.from({ length: g.int(1, 10) }, () => {
          const tag: Raw = { key: validText(g, 127) };
          if (g.chance(0.8)) tag.value = g.chance(0.9) ? validText(g, 255) : g.pick(["", null]);
          return tag;
        });
        if (g.chance(0.9)) fields.push("Tag");
      }
      if (g.chance(0.4)) {
        const times = [g.int(0, 253402300799), g.int(0, 253402300799)].sort((a, b) => a - b);
        const period: Raw = {};
        if (g.chance()) period.startTime = g.chance(0.8) ? times[0] : String(times[0]);
        if (g.chance()) period.endTime = times[1];
        filter.period = period;
      }
      if (g.chance(0.3)) filter.storageClasses = COS_STORAGE_CLASSES.filter(() => g.chance(0.3));
      raw.filter = filter;
    }
    if (fields.length > 0 || g.chance()) raw.optionalFields = g.chance(0.2) ? [...fields, ...fields] : fields;
    const dest = raw.destination as Raw;
    if (g.chance()) {
      dest.accountId = g.chance(0.8) ? g.word(DIGITS, 1, 20) : g.int(0, Number.MAX_SAFE_INTEGER);
    }
    if (g.chance()) dest.prefix = validText(g, 850);
    if (g.chance(0.3)) dest.format = g.pick(["CSV", null]);
    if (g.chance(0.4)) dest.encryption = g.pick(["SSE-COS", "", null]);
    if (g.chance(0.2)) raw.adopt = g.pick([true, false, "true", null]);
    return raw;
  },
  paths: [
    "region",
    "bucket",
    "inventoryId",
    "enabled",
    "includedObjectVersions",
    "schedule",
    "schedule.frequency",
    "schedule.monthlyDate",
    "filter",
    "filter.prefix",
    "filter.storageClasses",
    "filter.storageClasses[0]",
    "filter.tags",
    "filter.tags[0]",
    "filter.tags[0].key",
    "filter.tags[0].value",
    "filter.tags[1].value",
    "filter.period",
    "filter.period.startTime",
    "filter.period.endTime",
    "optionalFields",
    "optionalFields[0]",
    "destination",
    "destination.bucket",
    "destination.accountId",
    "destination.prefix",
    "destination.format",
    "destination.encryption",
    "adopt",
  ],
  levels: ["", "schedule", "filter", "filter.tags[0]", "filter.period", "destination"],
  heads: TOP,
};

const oss: Cloud = {
  name: "OSS",
  check: (news) => checkOssInputs(news),
  readBack: (inputs) => {
    const i = inputs as unknown as OssInventoryInputs;
    const xml = ossCodec.encodeInventoryConfiguration(toOssConfiguration(i));
    const back = fromOssConfiguration(ossCodec.decodeInventoryConfiguration(xml), i);
    return { xml, back: back as unknown as Raw };
  },
  valid: (g) => {
    const name = () => `${g.pick(LOWER)}${g.word([...LOWER, "-"], 1, 20)}${g.pick(LOWER)}`;
    const uid = g.word(DIGITS, 1, 20);
    const raw: Raw = {
      region: g.pick(["cn-hangzhou", "oss-cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1"]),
      bucket: name(),
      inventoryId: g.word(ID, 1, 64),
      schedule: schedule(g, "dayOfMonth"),
      destination: {
        bucket: g.chance() ? name() : `acs:oss:::${name()}`,
        accountId: g.chance(0.8) ? uid : g.int(0, Number.MAX_SAFE_INTEGER),
        roleArn: `acs:ram::${uid}:role/${g.word(chars("AliyunOSSRole.-_"), 1, 64)}`,
      },
    };
    if (g.chance()) raw.enabled = g.pick([true, false, "True", null]);
    if (g.chance()) raw.includedObjectVersions = g.pick(["All", "Current", null]);
    if (g.chance()) raw.optionalFields = OSS_OPTIONAL_FIELDS.filter(() => g.chance(0.3));
    if (g.chance(0.6)) {
      const filter: Raw = {};
      if (g.chance()) filter.prefix = validText(g, 1023);
      const times = [
        g.int(OSS_TIMESTAMP_MIN, OSS_TIMESTAMP_MAX),
        g.int(OSS_TIMESTAMP_MIN, OSS_TIMESTAMP_MAX),
      ];
      times.sort((a, b) => a - b);
      if (g.chance(0.3)) filter.lastModifyBeginTime = times[0];
      if (g.chance(0.3)) filter.lastModifyEndTime = String(times[1]);
      const sizes = [g.int(0, 1e12), g.int(1, 1e12)].sort((a, b) => a - b);
      if (g.chance(0.3)) filter.lowerSizeBound = sizes[0];
      if (g.chance(0.3)) filter.upperSizeBound = Math.max(1, sizes[1]);
      if (g.chance(0.3))
        filter.storageClasses = ["Standard", "IA", "Archive", "ColdArchive"].filter(() => g.chance());
      raw.filter = filter;
    }
    const dest = raw.destination as Raw;
    if (g.chance()) dest.prefix = validText(g, 1023);
    if (g.chance(0.3)) dest.format = "CSV";
    if (g.chance(0.4)) {
      dest.encryption = g.chance()
        ? { type: "SSE-OSS" }
        : { type: "SSE-KMS", keyId: g.chance(0.9) ? validText(g, 512) : `alias/${g.word(LOWER, 1, 255)}` };
    }
    if (g.chance(0.3)) {
      const inc: Raw = { optionalFields: OSS_INCREMENTAL_FIELDS.filter(() => g.chance(0.3)) };
      if (g.chance()) inc.enabled = g.pick([true, false, "true", null]);
      raw.incrementalInventory = inc;
    }
    if (g.chance(0.2)) raw.adopt = g.pick([true, false, null]);
    return raw;
  },
  paths: [
    "region",
    "bucket",
    "inventoryId",
    "enabled",
    "includedObjectVersions",
    "schedule",
    "schedule.frequency",
    "schedule.dayOfMonth",
    "schedule.autoDelete",
    "filter",
    "filter.prefix",
    "filter.lastModifyBeginTime",
    "filter.lastModifyEndTime",
    "filter.lowerSizeBound",
    "filter.upperSizeBound",
    "filter.storageClasses",
    "filter.storageClasses[0]",
    "optionalFields",
    "optionalFields[0]",
    "destination",
    "destination.bucket",
    "destination.accountId",
    "destination.roleArn",
    "destination.prefix",
    "destination.format",
    "destination.encryption",
    "destination.encryption.type",
    "destination.encryption.keyId",
    "incrementalInventory",
    "incrementalInventory.enabled",
    "incrementalInventory.optionalFields",
    "incrementalInventory.optionalFields[0]",
    "adopt",
  ],
  levels: ["", "schedule", "filter", "destination", "destination.encryption", "incrementalInventory"],
  heads: [...TOP, "incrementalInventory"],
};

/** Problems with one accepted input's round trip, as text (empty when it reads back equal). */
function roundTripProblems(cloud: Cloud, inputs: Raw): string[] {
  let read: { xml: string; back: Raw };
  try {
    read = cloud.readBack(inputs);
  } catch (e) {
    return [`the codec refused accepted inputs: ${String(e)}`];
  }
  const problems: string[] = [];
  if (!isDeepStrictEqual(read.back, job(inputs))) {
    problems.push(`reads back as ${JSON.stringify(read.back)}`);
  }
  // Checking what was read gives it back unchanged: refresh then up is a no-op.
  const again = cloud.check(read.back);
  if (again.failures.length > 0 || !isDeepStrictEqual(again.inputs, read.back)) {
    problems.push(`re-check of the read-back gives ${JSON.stringify(again)}`);
  }
  return problems;
}

/** A failure is well formed: it names a property under a known argument and says something. */
function badFailure(cloud: Cloud, f: ValidationFailure): boolean {
  const head = f.property.split(/[.[]/)[0];
  return typeof f.reason !== "string" || f.reason.length < 10 || !cloud.heads.includes(head);
}

/** Shortens huge values so a failing case can be printed. */
const brief = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v,
  );

describe.each([cos, oss])(
  "property ($name): what check accepts reads back equal through the codec",
  (cloud) => {
    const CASES = 1500;
    const g = new Gen(cloud === cos ? 0xc05 : 0x055);
    const cases = Array.from({ length: CASES }, () => plant(g, cloud.valid(g), cloud.paths, cloud.levels));
    const results = cases.map((raw) => ({ raw, result: cloud.check(raw) }));
    const accepted = results.filter((r) => r.result.failures.length === 0);
    const refused = results.filter((r) => r.result.failures.length > 0);

    it(`generates both outcomes (${CASES} seeded cases)`, () => {
      expect(accepted.length).toBeGreaterThan(CASES * 0.2);
      expect(refused.length).toBeGreaterThan(CASES * 0.2);
    });

    it("every accepted input encodes without the XML writer throwing, and reads back equal", () => {
      const problems = accepted.flatMap(({ raw, result }) =>
        roundTripProblems(cloud, result.inputs).map((p) => `${brief(raw)}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it("every refusal names a property under a known argument and says what to do", () => {
      const bad = refused.flatMap(({ raw, result }) =>
        result.failures.filter((f) => badFailure(cloud, f)).map((f) => `${brief(raw)}: ${brief(f)}`),
      );
      expect(bad).toEqual([]);
    });

    it("a hostile text planted in a text argument is always refused", () => {
      // Every entry of HOSTILE_TEXT except "" is refused wherever free text goes.
      const planted = results.filter(({ raw }) =>
        textPaths(cloud).some((p) => {
          const v = getPath(raw, p);
          return typeof v === "string" && v !== "" && HOSTILE_TEXT.includes(v) && !fitsLimit(cloud, p, v);
        }),
      );
      expect(planted.length).toBeGreaterThan(50);
      expect(
        planted.filter(({ result }) => result.failures.length === 0).map(({ raw }) => brief(raw)),
      ).toEqual([]);
    });
  },
);

/** The free-text paths of a cloud. */
function textPaths(cloud: Cloud): string[] {
  return cloud === cos
    ? [
        "filter.prefix",
        "destination.prefix",
        "filter.tags[0].key",
        "filter.tags[0].value",
        "filter.tags[1].value",
      ]
    : ["filter.prefix", "destination.prefix", "destination.encryption.keyId"];
}

/** Whether a long plain value is within the limit at `path` (then it is valid, not hostile). */
function fitsLimit(cloud: Cloud, path: string, v: string): boolean {
  if (!/^(x+|k+|é+)$/.test(v)) return false;
  const bytes = Buffer.byteLength(v);
  if (cloud === oss) return path.endsWith("keyId") ? bytes <= 512 : bytes <= 1023;
  if (path.includes(".key")) return [...v].length <= 127;
  if (path.includes(".value")) return [...v].length <= 255;
  return bytes <= 850;
}

function getPath(root: unknown, path: string): unknown {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((k) => k !== undefined && k !== "")
    .reduce<unknown>(
      (node, k) => (typeof node === "object" && node !== null ? (node as Raw)[k] : undefined),
      root,
    );
}

// ---------------------------------------------------------------------------
// Fuzz

const JUNK_KEYS = [
  ...TOP,
  "frequency",
  "prefix",
  "tags",
  "key",
  "value",
  "period",
  "startTime",
  "endTime",
  "bucket",
  "accountId",
  "roleArn",
  "format",
  "encryption",
  "type",
  "keyId",
  "lastModifyBeginTime",
  "lowerSizeBound",
  "upperSizeBound",
  "storageClasses",
  "monthlyDate",
  "dayOfMonth",
  "autoDelete",
  "incrementalInventory",
  "schemaVersion",
  "__provider",
  "constructor",
  "toString",
  "hasOwnProperty",
  "",
];

/** A random JSON-ish value: primitives of every kind (and the unknown marker), lists and objects. */
function junk(g: Gen, depth: number): unknown {
  const kind = g.int(0, depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return g.word([...INNER, "\u0000", "\r", "\n", "\ud800", "\uffff", " "], 0, 12);
    case 1:
      return g.pick([
        0,
        -0,
        1,
        -1,
        0.5,
        1e21,
        2 ** 53,
        9e15,
        Number.NaN,
        Number.NEGATIVE_INFINITY,
        1568688761,
      ]);
    case 2:
      return g.pick([true, false]);
    case 3:
      return g.pick([null, undefined]);
    case 4:
      return UNKNOWN;
    case 5:
      return g.pick([
        "",
        "Daily",
        "All",
        "CSV",
        "SSE-COS",
        "SSE-KMS",
        "Tag",
        "true",
        "123",
        "examplebucket-1250000000",
      ]);
    case 6:
      return g.pick(HOSTILE_TEXT.slice(0, -2));
    case 7:
    case 8: {
      const o: Raw = {};
      for (let n = g.int(0, 5); n > 0; n--) o[g.pick(JUNK_KEYS)] = junk(g, depth - 1);
      return o;
    }
    default:
      return Array.from({ length: g.int(0, 4) }, () => junk(g, depth - 1));
  }
}

describe.each([cos, oss])("fuzz ($name): random junk never makes check throw", (cloud) => {
  const CASES = 1500;
  const g = new Gen(cloud === cos ? 0xf022 : 0xf055);

  it(`${CASES} junk inputs get failures naming a property, or read back equal`, () => {
    let refusedCount = 0;
    const problems: string[] = [];
    for (let i = 0; i < CASES; i++) {
      let news: Raw;
      const mode = i % 3;
      if (mode === 0) {
        // Pure junk under argument names (and others).
        news = {};
        for (let n = g.int(0, 10); n > 0; n--) news[g.pick(JUNK_KEYS)] = junk(g, 3);
      } else if (mode === 1) {
        // Valid inputs with deep junk grafted in.
        news = cloud.valid(g);
        for (let n = g.int(1, 4); n > 0; n--) setPath(news, g.pick(cloud.paths), junk(g, 2));
      } else {
        // "__proto__" as an own key, which JSON can carry but object literals
        // cannot: ignored at the top (engine keys start with "__"), an
        // unknown argument inside the destination.
        const value = JSON.stringify(junk(g, 1)) ?? "null";
        const json = JSON.stringify(cloud.valid(g))
          .replace(/^\{/, `{"__proto__":${value},`)
          .replace('"destination":{', `"destination":{"__proto__":${value},`);
        news = JSON.parse(json) as Raw;
      }
      let result: ReturnType<Cloud["check"]>;
      try {
        result = cloud.check(news);
      } catch (e) {
        problems.push(`threw ${String(e)} on ${brief(news)}`);
        continue;
      }
      expect(Array.isArray(result.failures)).toBe(true);
      expect(typeof result.inputs).toBe("object");
      if (result.failures.length > 0) {
        refusedCount++;
        for (const f of result.failures) {
          if (
            typeof f.property !== "string" ||
            f.property === "" ||
            typeof f.reason !== "string" ||
            f.reason === ""
          ) {
            problems.push(`bad failure ${brief(f)} on ${brief(news)}`);
          }
        }
      } else if (unknownPaths(result.inputs).length === 0) {
        // (Inputs still holding unknown values are only previewed, never sent.)
        problems.push(...roundTripProblems(cloud, result.inputs).map((p) => `${brief(news)}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
    // Junk is almost never a valid job.
    expect(refusedCount).toBeGreaterThan(CASES * 0.9);
  });
});
