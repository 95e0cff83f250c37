/**
 * The signed-request transport on axios, shared by every cloud dialect:
 * keep-alive connections, a per-request timeout, bounded retries with
 * exponential backoff and full jitter, and clock-skew correction.
 *
 * The transport knows nothing about a cloud's signature or error format: the
 * caller gives it a `prepare(now)` function that builds and signs a request
 * for a given clock, and a {@link ResponseClassifier} that reads the cloud's
 * error code. Requests are signed again on every attempt, so a retry after a
 * skew correction carries a fresh signature.
 */
import axios, { AxiosError, AxiosInstance } from "axios";
import * as http from "http";
import * as https from "https";
import { TransportError } from "../core/errors";

/** A request ready to send. */
export interface HttpRequest {
  /** HTTP method. */
  method: string;
  /** Absolute URL (scheme, host, path and query). */
  url: string;
  /** Headers to send, including `Authorization` and, when needed, `Host`. */
  headers: Record<string, string>;
  /** Body, if any. */
  body?: Buffer;
}

/** A response, whatever its status. */
export interface HttpResponse {
  /** HTTP status. */
  status: number;
  /** Response headers, names lowercased. */
  headers: Record<string, string>;
  /** Raw body. */
  body: Buffer;
}

/** What a cloud dialect says about a response. */
export interface ResponseClassification {
  /** The cloud's error code, when the response is an error. */
  code?: string;
  /** The cloud's error message. */
  message?: string;
  /** The server's clock (unix seconds), when the response says our clock is off. */
  serverTimeForSkew?: number;
}

/** Reads a cloud's error code and clock-skew signal out of a response. */
export type ResponseClassifier = (response: HttpResponse) => ResponseClassification;

/** Tuning for {@link Transport}. */
export interface TransportOptions {
  /** Per-attempt timeout in milliseconds; default 30,000. */
  timeoutMs?: number;
  /** Attempts in all, including the first; default 5. */
  maxAttempts?: number;
  /** First backoff ceiling in milliseconds; default 200. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in milliseconds; default 5,000. */
  maxDelayMs?: number;
  /** Random source in [0, 1), for full jitter; default Math.random. */
  random?: () => number;
  /** Sleep; tests may replace it. */
  sleep?: (ms: number) => Promise<void>;
  /** Local clock in unix milliseconds; default Date.now. */
  now?: () => number;
}

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

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends signed requests with retries and clock-skew correction. */
export class Transport {
  private readonly axios: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Seconds to add to the local clock, learned from the server. */
  private clockOffsetSeconds = 0;

  constructor(options: TransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? sleepReal;
    this.now = options.now ?? Date.now;
    this.axios = axios.create({
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      // Every status is an answer for the dialect to read, not an exception.
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: "arraybuffer",
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
   * Sends the request `prepare` builds, retrying what is worth retrying.
   * Resolves with the final response, whatever its status; rejects with a
   * {@link TransportError} only when no response ever arrived.
   */
  async send(
    prepare: (nowSeconds: number) => HttpRequest,
    classify: ResponseClassifier,
  ): Promise<HttpResponse> {
    let skewCorrected = false;
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      const request = prepare(this.signingTimeSeconds());
      let response: HttpResponse;
      try {
        response = await this.once(request);
      } catch (err) {
        const failure = toTransportError(err, request);
        if (attempt >= this.maxAttempts) {
          throw failure;
        }
        await this.backoff(retries++);
        continue;
      }
      if (response.status < 300) {
        return response;
      }
      const c = classify(response);
      if (isClockSkewError(c) && !skewCorrected) {
        const serverTime = c.serverTimeForSkew ?? serverTimeFromDate(response.headers);
        if (serverTime !== undefined) {
          // Retry once, immediately, with the server's clock.
          skewCorrected = true;
          this.clockOffsetSeconds = serverTime - Math.floor(this.now() / 1000);
          attempt--;
          continue;
        }
      }
      const retryable =
        RETRYABLE_STATUSES.has(response.status) || (c.code !== undefined && RETRYABLE_CODES.has(c.code));
      if (!retryable || attempt >= this.maxAttempts) {
        return response;
      }
      await this.backoff(retries++);
    }
  }

  private async backoff(retry: number): Promise<void> {
    const ceiling = backoffCeiling(retry, this.baseDelayMs, this.maxDelayMs);
    await this.sleep(Math.floor(this.random() * ceiling));
  }

  private async once(request: HttpRequest): Promise<HttpResponse> {
    const r = await this.axios.request<ArrayBuffer>({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      timeout: this.timeoutMs,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (v !== undefined && v !== null) {
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
      }
    }
    return { status: r.status, headers, body: Buffer.from(r.data ?? new ArrayBuffer(0)) };
  }
}

/** Turns an axios/network failure into a TransportError that names no secret. */
function toTransportError(err: unknown, request: HttpRequest): TransportError {
  const url = new URL(request.url);
  const endpoint = `${url.protocol}//${url.host}`;
  if (err instanceof AxiosError) {
    const code = err.code ?? "ERR_NETWORK";
    const what = code === "ECONNABORTED" || code === "ETIMEDOUT" ? "timed out" : `failed (${code})`;
    return new TransportError(`${request.method} ${endpoint} ${what}: ${err.message}`, code, endpoint);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError(`${request.method} ${endpoint} failed: ${message}`, "ERR_NETWORK", endpoint);
}
