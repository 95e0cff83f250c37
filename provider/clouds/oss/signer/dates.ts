/**
 * The dates OSS signatures carry (`docs/protocol.md` §2): RFC 1123 for V1,
 * ISO 8601 basic for V4, and the check that a V4 datetime names a real instant.
 */

/** Whether `yyyy`, `mm`, `dd` (and the time, if given) name a real UTC instant. */
export function isRealDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC maps years 0-99 to 1900-1999; OSS dates are 4-digit years anyway.
  return (
    y >= 1000 &&
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

/** `yyyymmddTHHMMSSZ` as a real instant, else `undefined`. */
export function parseV4Datetime(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return isRealDate(y, mo, d, h, mi, s) ? value : undefined;
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** `epochMs` as a Date with a 4-digit year, the only kind both date formats can write. */
function fourDigitYearDate(epochMs: number): Date {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(epochMs) || Number.isNaN(year) || year < 1000 || year > 9999) {
    throw new RangeError(`cannot format ${epochMs} as an OSS date`);
  }
  return date;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * RFC 1123 date in GMT, e.g. `Wed, 28 Dec 2022 10:27:41 GMT`: the V1 `Date`/`x-oss-date` value.
 *
 * @throws RangeError unless the instant has a 4-digit year.
 */
export function ossV1Date(epochMs: number): string {
  const d = fourDigitYearDate(epochMs);
  return (
    `${DAY_NAMES[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

/**
 * ISO 8601 basic UTC datetime, e.g. `20231216T162057Z`: the V4 `x-oss-date` value.
 * Milliseconds are dropped (truncated).
 *
 * @throws RangeError unless the instant has a 4-digit year.
 */
export function ossV4Date(epochMs: number): string {
  const d = fourDigitYearDate(epochMs);
  return (
    `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`
  );
}
