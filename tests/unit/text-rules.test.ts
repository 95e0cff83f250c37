// The shared free-text rules (provider/clouds/common/text.ts) and the
// argument helpers of provider/core/normalize.ts that the checks build on.
import {
  characterLength,
  describeValue,
  optionalTextFailure,
  refusedCharacter,
  shown,
  textFailure,
  utf8Length,
} from "../../provider/clouds/common/text";
import { isAbsent, objectArgument, stringArgument, wholeNumberArgument } from "../../provider/core/normalize";
import { UNKNOWN } from "../../provider/core/unknown";

const BYTES = { max: 10, unit: "bytes" } as const;
const CHARS = { max: 3, unit: "characters" } as const;

describe("refusedCharacter", () => {
  it.each([
    ["\u0000", 0, "U+0000", /control character/],
    ["ab\u0001", 2, "U+0001", /control character/],
    ["a\u0007b", 1, "U+0007", /control character/],
    ["a\tb", 1, "U+0009", /control character/],
    ["a\nb", 1, "U+000A", /control character/],
    ["a\rb", 1, "U+000D", /carriage return.*line feed/],
    ["a\u001fb", 1, "U+001F", /control character/],
    ["a\u007fb", 1, "U+007F", /control character/],
    ["a\u0085b", 1, "U+0085", /control character/],
    ["a\u009fb", 1, "U+009F", /control character/],
    ["a\ud800", 1, "U+D800", /surrogate/],
    ["\ud800a", 0, "U+D800", /surrogate/],
    ["a\udc00b", 1, "U+DC00", /surrogate/],
    ["\udc00\ud800", 0, "U+DC00", /surrogate/],
    ["a\ufffe", 1, "U+FFFE", /not a character/],
    ["\uffff", 0, "U+FFFF", /not a character/],
  ])("%j: the first refused character is at %i (%s)", (value, index, codePoint, why) => {
    const bad = refusedCharacter(value);
    expect(bad).toMatchObject({ index, codePoint });
    expect(bad?.why).toMatch(why);
  });

  it.each(["", "logs/", "a b", "清/ä", "😀", "a\u00a0b", "\u00a0", "a\u200bb", "\ufdd0", "\ufffd", "&<>\"'"])(
    "%j has none",
    (value) => {
      expect(refusedCharacter(value)).toBeUndefined();
    },
  );
});

describe("textFailure", () => {
  it("passes a good value and the empty string (emptiness is the caller's rule)", () => {
    expect(textFailure("p", "logs/2024", BYTES)).toBeUndefined();
    expect(textFailure("p", "", BYTES)).toBeUndefined();
  });

  it.each([
    ["   ", /^p " {3}" is only blanks, which XML readers drop/],
    ["\u3000", /is only blanks/],
    ["\t\n", /is only blanks/],
    [" a", /^p " a" starts or ends with blanks/],
    ["a\n", /starts or ends with blanks/],
    ["\ufeffa", /starts or ends with blanks/],
    ["a\u0001", /^p contains U\+0001 at index 1, a control character.*; remove it$/],
    ["a\rb", /^p contains U\+000D at index 1, a carriage return/],
    ["a\ud800b", /^p contains U\+D800 at index 1, half of a UTF-16 surrogate pair/],
    ["12345678901", /^p is 11 bytes long in UTF-8; at most 10 are allowed/],
    ["ééééé\u00e9", /^p is 12 bytes long in UTF-8/],
  ])("%j fails with one reason naming the property", (value, reason) => {
    const f = textFailure("p", value, BYTES);
    expect(f).toEqual({ property: "p", reason: expect.stringMatching(reason) });
  });

  it("counts bytes or characters as the limit says", () => {
    expect(textFailure("p", "1234567890", BYTES)).toBeUndefined();
    expect(textFailure("p", "ééééé", BYTES)).toBeUndefined(); // 10 bytes
    expect(textFailure("p", "😀😀😀", CHARS)).toBeUndefined(); // 3 characters, 6 UTF-16 units
    expect(textFailure("p", "abcd", CHARS)?.reason).toMatch(/^p is 4 characters long; at most 3/);
  });

  it("reports the first problem only, blanks before characters before length", () => {
    expect(textFailure("p", " \u0001".repeat(20), BYTES)?.reason).toMatch(/starts or ends with blanks/);
    expect(textFailure("p", "\u0001".repeat(20), BYTES)?.reason).toMatch(/U\+0001/);
  });

  it("does not flood the message with a huge value", () => {
    const f = textFailure("p", `${"x".repeat(2_000_000)} `, BYTES);
    expect(f?.reason.length).toBeLessThan(300);
  });
});

describe("optionalTextFailure", () => {
  it("passes undefined, judges strings, refuses anything else naming what it is for", () => {
    expect(optionalTextFailure("p", undefined, BYTES, "a prefix")).toBeUndefined();
    expect(optionalTextFailure("p", "ok", BYTES, "a prefix")).toBeUndefined();
    expect(optionalTextFailure("p", " x", BYTES, "a prefix")?.reason).toMatch(/blanks/);
    for (const bad of [5, true, null, ["a"], { a: 1 }]) {
      expect(optionalTextFailure("p", bad, BYTES, "a prefix")).toEqual({
        property: "p",
        reason: "p must be a string (a prefix) or be left out",
      });
    }
  });
});

describe("lengths and display", () => {
  it("measures UTF-8 bytes and code points", () => {
    expect(utf8Length("aé清😀")).toBe(1 + 2 + 3 + 4);
    expect(characterLength("aé清😀")).toBe(4);
  });

  it("shows values briefly and never throws", () => {
    expect(shown("abc")).toBe('"abc"');
    expect(shown("x".repeat(100))).toBe(`"${"x".repeat(60)}…"`);
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(3)).toBe("3");
    expect(describeValue(["a"])).toBe('["a"]');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeValue(cycle)).toBe("object");
    expect(describeValue({ a: "x".repeat(100) }).length).toBeLessThanOrEqual(61);
  });
});

describe("argument helpers", () => {
  const collect = () => {
    const failures: [string, string][] = [];
    return { failures, fail: (p: string, r: string) => void failures.push([p, r]) };
  };

  it("isAbsent is undefined or null only", () => {
    expect([undefined, null, "", 0, false].map(isAbsent)).toEqual([true, true, false, false, false]);
  });

  it("stringArgument keeps strings and unknowns, drops absent, refuses the rest", () => {
    const { failures, fail } = collect();
    expect(stringArgument("a", "p", "hint", fail)).toBe("a");
    expect(stringArgument(UNKNOWN, "p", "hint", fail)).toBe(UNKNOWN);
    expect(stringArgument(null, "p", "hint", fail)).toBeUndefined();
    expect(stringArgument(undefined, "p", "hint", fail)).toBeUndefined();
    expect(failures).toEqual([]);
    for (const bad of [5, true, ["a"], {}]) {
      expect(stringArgument(bad, "p", "hint", fail)).toBeUndefined();
    }
    expect(failures).toEqual(Array(4).fill(["p", "hint"]));
  });

  it("objectArgument names each unknown key under the property", () => {
    const { failures, fail } = collect();
    const options = { allowed: ["a"], hint: "must be an object" };
    expect(objectArgument({ a: 1, b: 2 }, "x.y", options, fail)).toEqual({ a: 1, b: 2 });
    expect(failures).toEqual([["x.y.b", "unknown argument; use a"]]);
    expect(objectArgument(null, "x", options, fail)).toBeUndefined();
    expect(objectArgument(UNKNOWN, "x", options, fail)).toBe(UNKNOWN);
    expect(objectArgument([1], "x", options, fail)).toBeUndefined();
    expect(objectArgument("s", "x", options, fail)).toBeUndefined();
    expect(failures.slice(1)).toEqual([
      ["x", "must be an object"],
      ["x", "must be an object"],
    ]);
  });

  it("objectArgument names keys that are not plain names in brackets", () => {
    const { failures, fail } = collect();
    objectArgument({ "": 1, "a b": 2 }, "x", { allowed: [], hint: "h" }, fail);
    expect(failures.map(([p]) => p)).toEqual(['x[""]', 'x["a b"]']);
  });

  it("wholeNumberArgument treats null like absent", () => {
    const { failures, fail } = collect();
    expect(wholeNumberArgument(null, "n", "hint", fail)).toBeUndefined();
    expect(wholeNumberArgument("12", "n", "hint", fail)).toBe(12);
    expect(failures).toEqual([]);
    expect(wholeNumberArgument(2 ** 60, "n", "hint", fail)).toBeUndefined();
    expect(failures).toEqual([["n", "hint"]]);
  });
});
