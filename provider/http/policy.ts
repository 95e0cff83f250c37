/**
 * The transport's policy, as pure values and functions: its options and
 * defaults, their validation, which answers are retried, the backoff ceiling,
 * and how a clock-skew complaint and the server's clock are read. Kept apart
 * from {@link Transport} (the I/O) so each rule can be read and tested alone.
 */
import { ValidationFailure } from "../core/errors";
import type { ResponseClassification } from "./messages";

/** Tuning for {@link Transport}; the defaults are in {@link TRANSPORT_DEFAULTS}. */
export interface TransportOptions {
  /**
   * Deadline of one attempt in milliseconds, for the whole exchange: connect,
   * send, headers and the entire body (not an idle timeout). Default 30,000.
   */
  timeoutMs?: number;
  /**
   * Budget of one call in milliseconds: every attempt and every backoff sleep
   * between them. Default 120,000.
   */
  totalTimeoutMs?: number;
  /** Attempts in all, including the first; default 5. */
  maxAttempts?: number;
  /** First backoff ceiling in milliseconds; default 200. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in milliseconds; default 5,000. */
  maxDelayMs?: number;
  /** Largest response body accepted, in bytes after decompression; default 8 MiB. */
  maxResponseBytes?: number;
  /**
   * Cancels everything this transport does: a request in flight is aborted
   * and a backoff sleep cut short, both failing with code `EABORTED`; once
   * aborted, no request is sent.
   */
  signal?: AbortSignal;
  /** Random source in [0, 1), for full jitter; default Math.random. */
  random?: () => number;
  /** Sleep; tests may replace it. It is given the abort signal, and is raced against it anyway. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Local clock in unix milliseconds, for signing and the budget; default Date.now. */
  now?: () => number;
}

/**
 * The defaults of {@link TransportOptions}.
 *
 * `maxResponseBytes` is 8 MiB: a typical inventory configuration is about
 * 0.6 KB and a list page of 100 about 60 KB, while the largest the services
 * allow (850- to 1,023-byte prefixes and ten 128/256-character tags, all of
 * characters XML escapes to five bytes) is about 29 KB, or 2.9 MB a page.
 * 8 MiB leaves room above that and still bounds memory.
 */
export const TRANSPORT_DEFAULTS = {
  timeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxResponseBytes: 8 * 1024 * 1024,
} as const;

/** HTTP statuses worth retrying: throttling and transient server errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Error codes worth retrying whatever the status. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(["SlowDown"]);

/**
 * The backoff ceiling before retry number `retry` (0-based): exponential,
 * capped. Full jitter picks uniformly below it.
 */
export function backoffCeiling(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
}

/** Whether a response is a clock-skew complaint (`RequestTimeTooSkewed`, or `AccessDenied` "Request has expired"). */
export function isClockSkewError(c: ResponseClassification): boolean {
  return (
    c.code === "RequestTimeTooSkewed" || (c.code === "AccessDenied" && c.message === "Request has expired")
  );
}

/** Reads the server time (unix seconds) from a `Date` header, if present and valid. */
export function serverTimeFromDate(headers: Record<string, string>): number | undefined {
  const date = headers["date"];
  if (!date) {
    return undefined;
  }
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * Checks {@link TransportOptions} values that would make a call unbounded or
 * meaningless (zero, negative, infinite, or not a number); returns the failures.
 */
export function checkTransportOptions(options: TransportOptions): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const positive = (
    name: "timeoutMs" | "totalTimeoutMs" | "maxAttempts" | "maxResponseBytes",
    integer: boolean,
  ): void => {
    const v = options[name];
    if (v === undefined) return;
    if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      failures.push({
        property: `transport.${name}`,
        reason: `${name} must be a finite ${integer ? "whole " : ""}number above 0, got ${String(v)}`,
      });
    }
  };
  positive("timeoutMs", false);
  positive("totalTimeoutMs", false);
  positive("maxAttempts", true);
  positive("maxResponseBytes", true);
  for (const name of ["baseDelayMs", "maxDelayMs"] as const) {
    const v = options[name];
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      failures.push({
        property: `transport.${name}`,
        reason: `${name} must be a finite number of 0 or more, got ${String(v)}`,
      });
    }
  }
  return failures;
}

/** The default sleep of {@link TransportOptions.sleep}: a timer that the signal clears early. */
export function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
