/**
 * The emulator's standing network latency: a delay with jitter given to every
 * COS and OSS request (not to the admin API or the credential services), so
 * tests and benchmarks can model an endpoint tens of milliseconds away, where
 * the number of requests rather than CPU decides how long a deployment takes.
 * Set at start-up (`--latency`, `--latency-jitter`) and through
 * `GET`/`PUT /_emulator/latency`; `POST /_emulator/reset` keeps it (it is
 * configuration, like the token lifetime cap).
 *
 * Each request draws its delay uniformly from `ms ± jitterMs` and waits half
 * of it before it is handled and half before its answer is written, as a
 * round trip would: the service acts in the middle, so the window between a
 * client's read and its write grows as it would against a real endpoint.
 * Injected `latencyMs` faults add to it.
 */

/** The most standing latency (or jitter) the emulator accepts, in ms. */
export const MAX_LATENCY_MS = 60_000;

/** A standing latency: every COS/OSS request waits `ms ± jitterMs` (uniform). */
export interface LatencySetting {
  /** Mean round-trip delay in ms (0 = none). */
  ms: number;
  /** Half-width of the uniform jitter in ms; at most `ms`, so no delay is negative. */
  jitterMs: number;
}

/** No added latency (the default). */
export const NO_LATENCY: LatencySetting = { ms: 0, jitterMs: 0 };

/** Thrown by {@link parseLatencySetting} for an invalid setting. */
export class LatencySettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LatencySettingError";
  }
}

/**
 * Validates a latency setting (the body of `PUT /_emulator/latency`, or the
 * CLI flags): whole milliseconds from 0 to {@link MAX_LATENCY_MS}, jitter
 * omitted (0) or at most `ms`.
 */
export function parseLatencySetting(value: unknown): LatencySetting {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LatencySettingError('the body must be a JSON object: { "ms": <n>, "jitterMs": <n> }');
  }
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (k !== "ms" && k !== "jitterMs")
      throw new LatencySettingError(`unknown field "${k}" (known: ms, jitterMs)`);
  }
  const whole = (name: string, x: unknown): number => {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > MAX_LATENCY_MS) {
      throw new LatencySettingError(`${name} must be a whole number of ms from 0 to ${MAX_LATENCY_MS}`);
    }
    return x;
  };
  const ms = whole("ms", v.ms);
  const jitterMs = v.jitterMs === undefined ? 0 : whole("jitterMs", v.jitterMs);
  if (jitterMs > ms) throw new LatencySettingError(`jitterMs (${jitterMs}) must not exceed ms (${ms})`);
  return { ms, jitterMs };
}

/**
 * One request's delay in whole ms: uniform in `[ms - jitterMs, ms + jitterMs]`.
 * `random` returns a number in `[0, 1)` (default `Math.random`; tests pin it).
 */
export function drawLatencyMs(setting: LatencySetting, random: () => number = Math.random): number {
  if (setting.ms === 0) return 0;
  const offset = (2 * random() - 1) * setting.jitterMs;
  return Math.max(0, Math.round(setting.ms + offset));
}

/** How a drawn delay is split around the handling of a request: before it, and before the answer is written. */
export function splitLatency(totalMs: number): { beforeMs: number; afterMs: number } {
  const beforeMs = Math.floor(totalMs / 2);
  return { beforeMs, afterMs: totalMs - beforeMs };
}

/** The current standing latency of one emulator. */
export class LatencyControl {
  private setting: LatencySetting;

  constructor(initial: LatencySetting = NO_LATENCY) {
    this.setting = parseLatencySetting(initial);
  }

  /** The current setting (a copy). */
  current(): LatencySetting {
    return { ...this.setting };
  }

  /** Replaces the setting (already validated by {@link parseLatencySetting}). */
  set(setting: LatencySetting): void {
    this.setting = { ...setting };
  }
}

/**
 * The admin routes `GET /_emulator/latency` (200, the setting) and
 * `PUT /_emulator/latency` (body `{ "ms": <n>, "jitterMs": <n> }`; 200 with
 * the new setting, 400 with `{ error }` when invalid).
 */
export function latencyAdminAnswer(
  method: string,
  body: Buffer,
  control: LatencyControl,
): { status: number; value: unknown } {
  if (method === "PUT") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return { status: 400, value: { error: 'the body must be JSON: { "ms": <n>, "jitterMs": <n> }' } };
    }
    try {
      control.set(parseLatencySetting(parsed));
    } catch (err) {
      if (err instanceof LatencySettingError) return { status: 400, value: { error: err.message } };
      throw err;
    }
  }
  return { status: 200, value: control.current() };
}
