/**
 * The one HTTP exchange the credential clients make: a request to STS or a
 * metadata service, its JSON answer parsed, with a deadline. Request and
 * answer bodies carry secrets, so errors quote only codes and messages the
 * service sent, never bodies or headers.
 */
import { CredentialsError, type SourceContext } from "./types";

/** How long one STS or metadata call may take. */
export const CREDENTIALS_CALL_TIMEOUT_MS = 10_000;

/** A JSON (or text) answer. */
export interface CredentialsAnswer {
  /** HTTP status. */
  status: number;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Sends one request and reads its answer.
 *
 * @param what the call, for messages, e.g. `Tencent STS AssumeRole at https://…`.
 * @throws CredentialsError when the service cannot be reached or does not answer in time.
 */
export async function exchange(
  ctx: SourceContext,
  what: string,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  signal?: AbortSignal,
): Promise<CredentialsAnswer> {
  const timeout = AbortSignal.timeout(CREDENTIALS_CALL_TIMEOUT_MS);
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      ...init,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CredentialsError(`${what}: no answer (${reason})`, { cause: err });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** A string at `path` inside a parsed JSON value, or undefined. */
export function jsonString(value: unknown, ...path: string[]): string | undefined {
  let v: unknown = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/** An expiry (ISO 8601 text or epoch seconds) as epoch milliseconds, or undefined. */
export function expiryMs(iso: string | undefined, epochSeconds?: string): number | undefined {
  if (iso !== undefined) {
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t;
  }
  if (epochSeconds !== undefined && /^\d+$/.test(epochSeconds)) return Number(epochSeconds) * 1000;
  return undefined;
}
