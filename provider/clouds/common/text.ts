/**
 * The rules for free text in an inventory job (key prefixes, tag keys and
 * values, KMS key ids), the same on every cloud. A value passes only when it
 * travels in the XML body and reads back exactly as written, and fits the
 * service's length limit, so that `check` refuses what would otherwise fail
 * at `up` or come back different on every refresh (a perpetual diff).
 *
 * Why each rule exists is in docs/validation.md.
 */
import type { ValidationFailure } from "../../core/errors";
import { survivesXmlText } from "../../xml";

/** How long a text value may be. */
export interface TextLimit {
  /** The largest length allowed. */
  max: number;
  /**
   * What `max` counts: `bytes` of UTF-8 (how the services measure object
   * keys) or `characters` (Unicode code points, how tag limits are stated).
   */
  unit: "bytes" | "characters";
}

/** The length of `s` in UTF-8 bytes. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** The length of `s` in Unicode code points (a lone surrogate counts as one). */
export function characterLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A character {@link refusedCharacter} found, and where. */
export interface RefusedCharacter {
  /** UTF-16 index of the character in the value. */
  index: number;
  /** The code point as `U+XXXX`. */
  codePoint: string;
  /** Why it cannot be kept, for the failure message. */
  why: string;
}

/** `value` quoted for a message, cut short so a huge value does not flood the output. */
export function shown(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Any value as a message shows it: a string quoted (as {@link shown}), a
 * number or boolean as written, anything else as short JSON. Never throws,
 * whatever the value, because it formats untrusted input inside `check`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return shown(value);
  if (value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 60 ? `${json.slice(0, 60)}…` : json;
  } catch {
    // e.g. a cycle; fall through
  }
  return typeof value;
}

const hex = (n: number): string => `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * The first character of `s` that free text may not hold, or `undefined`:
 *
 * - control characters (U+0000–U+001F, U+007F–U+009F): XML 1.0 cannot carry
 *   most C0 controls at all, readers turn a carriage return into a line
 *   feed, and OSS refuses control characters in prefixes;
 * - a lone surrogate (half of a UTF-16 pair) and U+FFFE / U+FFFF, which are
 *   not characters and XML cannot carry.
 */
export function refusedCharacter(s: string): RefusedCharacter | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d) {
      return {
        index: i,
        codePoint: hex(c),
        why: "a carriage return, which XML readers turn into a line feed, so the value would never read back as written",
      };
    }
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) {
      return {
        index: i,
        codePoint: hex(c),
        why: "a control character, which the XML body cannot carry or the services refuse",
      };
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a complete pair: one astral character
        continue;
      }
      return { index: i, codePoint: hex(c), why: "half of a UTF-16 surrogate pair, not a character" };
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      return { index: i, codePoint: hex(c), why: "half of a UTF-16 surrogate pair, not a character" };
    }
    if (c === 0xfffe || c === 0xffff) {
      return { index: i, codePoint: hex(c), why: "not a character, which XML cannot carry" };
    }
  }
  return undefined;
}

/**
 * Judges a text value that is already known to be a string. Returns at most
 * one failure on `property`, for the first problem in this order: only
 * blanks, blanks at either end, a refused character
 * ({@link refusedCharacter}), too long. `""` passes: whether an empty value
 * is allowed is the caller's rule.
 */
export function textFailure(
  property: string,
  value: string,
  limit: TextLimit,
): ValidationFailure | undefined {
  if (value === "") {
    return undefined;
  }
  if (value.trim() === "") {
    return {
      property,
      reason:
        `${property} ${shown(value)} is only blanks, which XML readers drop, so it would read back empty; ` +
        "leave it out for none, or give a value",
    };
  }
  if (!survivesXmlText(value)) {
    return {
      property,
      reason:
        `${property} ${shown(value)} starts or ends with blanks, which XML readers (the SDKs' and ours) drop, ` +
        "so it would never read back as written; remove them",
    };
  }
  const bad = refusedCharacter(value);
  if (bad !== undefined) {
    return {
      property,
      reason: `${property} contains ${bad.codePoint} at index ${bad.index}, ${bad.why}; remove it`,
    };
  }
  const length = limit.unit === "bytes" ? utf8Length(value) : characterLength(value);
  if (length > limit.max) {
    return {
      property,
      reason: `${property} is ${length} ${limit.unit} long${limit.unit === "bytes" ? " in UTF-8" : ""}; at most ${limit.max} are allowed, shorten it`,
    };
  }
  return undefined;
}

/**
 * {@link textFailure} for a value of unknown type: `undefined` passes (the
 * value is optional), anything but a string fails with "must be a string",
 * naming `what` the value is for.
 */
export function optionalTextFailure(
  property: string,
  value: unknown,
  limit: TextLimit,
  what: string,
): ValidationFailure | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "string") {
    return { property, reason: `${property} must be a string (${what}) or be left out` };
  }
  return textFailure(property, value, limit);
}
