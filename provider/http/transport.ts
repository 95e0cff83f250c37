/**
 * The signed-request transport on axios, shared by every cloud dialect:
 * keep-alive connections, bounded retries with exponential backoff and full
 * jitter, clock-skew correction, and limits on time and size.
 *
 * Limits, so that no server can hold or flood us:
 * - every attempt has a deadline for the whole exchange (connect, request,
 *   headers and the entire body), enforced with an abort timer, so a server
 *   that drips one byte at a time cannot keep an attempt alive;
 * - every {@link Transport.send} has a budget for all its attempts and the
 *   backoff sleeps between them;
 * - an optional `AbortSignal` stops an attempt in flight and a backoff sleep;
 * - a response body is read as a stream and cut off once it passes
 *   `maxResponseBytes`, counted after decompression, so a small gzip body
 *   cannot expand into gigabytes in memory.
 *
 * The transport knows nothing about a cloud's signature or error format: the
 * caller gives it a `prepare(now)` function that builds and signs a request
 * for a given clock, and a {@link ResponseClassifier} that reads the cloud's
 * error code. Requests are signed again on every attempt, so a retry after a
 * skew correction carries a fresh signature.
 *
 * What is retried: network failures and attempt timeouts (whatever the
 * method), HTTP 429/500/502/503/504, and `SlowDown` whatever the status. A PUT
 * that timed out may have landed; sending the same inventory body again is
 * harmless, and the attempt count and budget bound it like everything else.
 * (Those rules, the options and their defaults live in `./policy`; the
 * request and response shapes in `./messages`.)
 */
import axios, { AxiosError, AxiosInstance } from "axios";
import * as http from "http";
import * as https from "https";
import type { Readable } from "stream";
import { TransportError, TransportErrorCode, ValidationError } from "../core/errors";
import type { HttpRequest, HttpResponse, ResponseClassifier } from "./messages";
import {
  RETRYABLE_CODES,
  RETRYABLE_STATUSES,
  TRANSPORT_DEFAULTS,
  TransportOptions,
  backoffCeiling,
  checkTransportOptions,
  isClockSkewError,
  serverTimeFromDate,
  sleepReal,
} from "./policy";

// Re-exported so that the transport stays the one import for its callers.
export type { HttpRequest, HttpResponse, ResponseClassification, ResponseClassifier } from "./messages";
export {
  RETRYABLE_CODES,
  RETRYABLE_STATUSES,
  TRANSPORT_DEFAULTS,
  backoffCeiling,
  checkTransportOptions,
  isClockSkewError,
  serverTimeFromDate,
} from "./policy";
export type { TransportOptions } from "./policy";

/** Per-call context of {@link Transport.send}. */
export interface SendOptions {
  /**
   * What the call does, for errors, e.g. `GET inventory daily on examplebucket-1250000000`;
   * default the method and path.
   */
  operation?: string;
}

/** Whether `e` is a {@link TransportError} with code `code`, e.g. `EABORTED` for a cancelled call. */
export function isTransportError(e: unknown, code?: TransportErrorCode): e is TransportError {
  return e instanceof TransportError && (code === undefined || e.code === code);
}

/** Why an attempt was stopped from our side; internal to this module. */
class AttemptStopped {
  constructor(readonly why: "deadline" | "cancelled") {}
}

/** The body passed the size limit; internal to this module. */
class BodyTooLarge {
  constructor(readonly status: number) {}
}

/** One failed attempt, before it becomes a {@link TransportError}. */
interface Failure {
  code: string;
  /** What went wrong, without the operation and endpoint. */
  reason: string;
  /** Whether another attempt may help. */
  retryable: boolean;
}

/** Where a call goes, for its errors. */
interface Target {
  operation: string;
  endpoint: string;
}

/** Sends signed requests with retries, clock-skew correction, deadlines and a size cap. */
export class Transport {
  private readonly axios: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxResponseBytes: number;
  private readonly signal?: AbortSignal;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  /** Seconds to add to the local clock, learned from the server. */
  private clockOffsetSeconds = 0;

  /** @throws {@link ValidationError} when an option is zero, negative or not finite. */
  constructor(options: TransportOptions = {}) {
    const failures = checkTransportOptions(options);
    if (failures.length > 0) {
      throw new ValidationError(failures);
    }
    this.timeoutMs = options.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs;
    this.totalTimeoutMs = options.totalTimeoutMs ?? TRANSPORT_DEFAULTS.totalTimeoutMs;
    this.maxAttempts = options.maxAttempts ?? TRANSPORT_DEFAULTS.maxAttempts;
    this.baseDelayMs = options.baseDelayMs ?? TRANSPORT_DEFAULTS.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? TRANSPORT_DEFAULTS.maxDelayMs;
    this.maxResponseBytes = options.maxResponseBytes ?? TRANSPORT_DEFAULTS.maxResponseBytes;
    this.signal = options.signal;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? sleepReal;
    this.now = options.now ?? Date.now;
    this.axios = axios.create({
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      // Every status is an answer for the dialect to read, not an exception.
      validateStatus: () => true,
      maxRedirects: 0,
      // A stream, so the body is counted (after decompression) as it arrives
      // and cut off at the limit, instead of being buffered whole first.
      responseType: "stream",
      decompress: true,
      // Our own Content-Type/Length stay as signed; axios must not add others.
      transformRequest: [(data: unknown) => data],
      proxy: false,
    });
  }

  /** The clock used for signing: local time corrected by what the server told us. */
  signingTimeSeconds(): number {
    return Math.floor(this.now() / 1000) + this.clockOffsetSeconds;
  }

  /**
   * Sends the request `prepare` builds, retrying what is worth retrying
   * within `maxAttempts` and the `totalTimeoutMs` budget. Resolves with the
   * final response, whatever its status (when retries or the budget run out
   * on a retryable answer, that answer); rejects with a
   * {@link TransportError} naming the operation and endpoint when no usable
   * response arrived: `ETIMEDOUT`, `EBUDGET`, `EABORTED`,
   * `ERESPONSETOOLARGE`, or a network code such as `ECONNREFUSED`.
   */
  async send(
    prepare: (nowSeconds: number) => HttpRequest,
    classify: ResponseClassifier,
    options: SendOptions = {},
  ): Promise<HttpResponse> {
    const budgetEnd = this.now() + this.totalTimeoutMs;
    let skewCorrected = false;
    let retries = 0;
    let sent = 0;
    for (let attempt = 1; ; attempt++) {
      const request = prepare(this.signingTimeSeconds());
      const target = targetOf(request, options.operation);
      if (this.signal?.aborted) {
        throw this.error(target, cancelled(), sent);
      }
      const remaining = budgetEnd - this.now();
      if (remaining <= 0) {
        throw this.error(target, this.budgetSpent(sent), sent);
      }
      const cutByBudget = remaining < this.timeoutMs;
      let response: HttpResponse;
      sent++;
      try {
        response = await this.once(request, cutByBudget ? remaining : this.timeoutMs);
      } catch (err) {
        const failure = this.toFailure(err, cutByBudget, attempt, sent);
        if (!failure.retryable || attempt >= this.maxAttempts) {
          throw this.error(target, failure, sent);
        }
        if (!(await this.pause(retries++, budgetEnd, target, sent))) {
          const last = this.error(target, failure, sent);
          throw this.error(target, this.budgetSpent(sent, failure), sent, last);
        }
        continue;
      }
      response.attempts = sent;
      const c = classify(response);
      const retryableCode = c.code !== undefined && RETRYABLE_CODES.has(c.code);
      if (response.status < 300 && !retryableCode) {
        return response;
      }
      if (response.status >= 300 && isClockSkewError(c) && !skewCorrected) {
        const serverTime = c.serverTimeForSkew ?? serverTimeFromDate(response.headers);
        if (serverTime !== undefined) {
          // Retry once, immediately, with the server's clock; it costs no attempt.
          skewCorrected = true;
          this.clockOffsetSeconds = serverTime - Math.floor(this.now() / 1000);
          attempt--;
          continue;
        }
      }
      const retryable = RETRYABLE_STATUSES.has(response.status) || retryableCode;
      if (!retryable || attempt >= this.maxAttempts) {
        return response;
      }
      if (!(await this.pause(retries++, budgetEnd, target, sent))) {
        // No time for another attempt: the last answer says more than a budget error would.
        return response;
      }
    }
  }

  /**
   * Sleeps the jittered backoff before retry number `retry`; returns false,
   * without sleeping, when the budget would run out first.
   *
   * @throws {@link TransportError} `EABORTED` when the signal fires meanwhile.
   */
  private async pause(retry: number, budgetEnd: number, target: Target, sent: number): Promise<boolean> {
    const delay = Math.floor(this.random() * backoffCeiling(retry, this.baseDelayMs, this.maxDelayMs));
    if (this.now() + delay >= budgetEnd) {
      return false;
    }
    const signal = this.signal;
    if (signal === undefined) {
      await this.sleep(delay);
      return true;
    }
    if (signal.aborted) {
      throw this.error(target, cancelled(), sent);
    }
    // Raced against the signal, so a sleep that ignores it cannot delay cancellation.
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([this.sleep(delay, signal), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
    if (signal.aborted) {
      throw this.error(target, cancelled(), sent);
    }
    return true;
  }

  /** One attempt with its own deadline of `deadlineMs`, body read and capped. */
  private async once(request: HttpRequest, deadlineMs: number): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptStopped("deadline")), deadlineMs);
    const outer = this.signal;
    const onCancel = (): void => controller.abort(new AttemptStopped("cancelled"));
    outer?.addEventListener("abort", onCancel, { once: true });
    try {
      const r = await this.axios.request<Readable>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        signal: controller.signal,
      });
      const body = await readCapped(r.data, this.maxResponseBytes, controller.signal, r.status);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) {
        if (v !== undefined && v !== null) {
          headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
        }
      }
      return { status: r.status, headers, body };
    } catch (err) {
      // Whatever axios or the stream reported, our own abort is the real cause.
      const reason: unknown = controller.signal.reason;
      throw controller.signal.aborted && reason instanceof AttemptStopped ? reason : err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onCancel);
    }
  }

  /** What a failed attempt means, and whether to try again. */
  private toFailure(err: unknown, cutByBudget: boolean, attempt: number, sent: number): Failure {
    if (err instanceof AttemptStopped) {
      if (err.why === "cancelled") {
        return cancelled();
      }
      return cutByBudget
        ? this.budgetSpent(sent)
        : {
            code: "ETIMEDOUT",
            reason: `no complete answer within the ${this.timeoutMs} ms attempt deadline (attempt ${attempt} of ${this.maxAttempts})`,
            retryable: true,
          };
    }
    if (err instanceof BodyTooLarge) {
      return {
        code: "ERESPONSETOOLARGE",
        reason: `the HTTP ${err.status} response body is larger than the ${this.maxResponseBytes}-byte limit (counted after decompression); stopped reading it`,
        retryable: false,
      };
    }
    if (err instanceof AxiosError) {
      const code = err.code ?? "ERR_NETWORK";
      return { code, reason: `failed (${code}): ${err.message}`, retryable: true };
    }
    // Errors of the body stream (a reset mid-body, a corrupt gzip stream).
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const message = err instanceof Error ? err.message : String(err);
    return {
      code: typeof code === "string" ? code : "ERR_NETWORK",
      reason: `failed: ${message}`,
      retryable: true,
    };
  }

  /** The budget ran out after `attempts` attempts, optionally saying what the last one met. */
  private budgetSpent(attempts: number, last?: Failure): Failure {
    const tail = last ? `; the last attempt ${last.reason}` : "";
    return {
      code: "EBUDGET",
      reason: `gave up after ${attempts} attempt(s): the ${this.totalTimeoutMs} ms budget for this call ran out${tail}`,
      retryable: false,
    };
  }

  private error(target: Target, failure: Failure, attempts: number, cause?: TransportError): TransportError {
    return new TransportError(
      `${target.operation} at ${target.endpoint}: ${failure.reason}`,
      failure.code,
      target.endpoint,
      { operation: target.operation, attempts, cause },
    );
  }
}

function cancelled(): Failure {
  return { code: "EABORTED", reason: "cancelled", retryable: false };
}

/** The operation and endpoint of a request; the endpoint names no path, query or credential. */
function targetOf(request: HttpRequest, operation: string | undefined): Target {
  const url = new URL(request.url);
  return {
    operation: operation ?? `${request.method} ${url.pathname}`,
    endpoint: `${url.protocol}//${url.host}`,
  };
}

/**
 * Reads a body stream into one buffer, stopping (and destroying the stream,
 * which closes the connection) as soon as more than `limit` bytes arrived.
 *
 * @throws {@link BodyTooLarge} past the limit; the stream's own error, or the
 *   abort, otherwise.
 */
async function readCapped(
  stream: Readable,
  limit: number,
  signal: AbortSignal,
  status: number,
): Promise<Buffer> {
  // axios ends the stream on abort too; this does not depend on it.
  const onAbort = (): void => {
    stream.destroy(new Error("aborted"));
  };
  if (signal.aborted) onAbort();
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > limit) {
        // Leaving the loop destroys the stream.
        throw new BodyTooLarge(status);
      }
      chunks.push(bytes);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  return Buffer.concat(chunks, total);
}
