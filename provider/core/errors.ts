/**
 * Typed errors shared by every layer. Cloud errors carry what the service said
 * (code, HTTP status, request id, message) and never any credential.
 */

/** Which cloud dialect an error or request belongs to. */
export type CloudName = "cos" | "oss";

/** Fields common to every error a cloud returns. */
export interface CloudErrorDetails {
  /** The cloud that answered. */
  cloud: CloudName;
  /** The service's error code, e.g. `NoSuchBucket`; empty when the body had none. */
  code: string;
  /** HTTP status of the response. */
  statusCode: number;
  /** The service's request id (`x-cos-request-id` / `x-oss-request-id` or the body's RequestId). */
  requestId?: string;
  /** The service's message. */
  message: string;
  /** HTTP method and resource, for context (no query secrets, no headers). */
  operation?: string;
  /** How many sends it took to get this answer (see {@link CloudError.attempts}). */
  attempts?: number;
}

/** An error response from a cloud service. */
export class CloudError extends Error {
  /** The cloud that answered. */
  readonly cloud: CloudName;
  /** The service's error code. */
  readonly code: string;
  /** HTTP status of the response. */
  readonly statusCode: number;
  /** The service's request id, when it sent one. */
  readonly requestId?: string;
  /** What we were doing, e.g. `GET inventory daily on examplebucket-1250000000`. */
  readonly operation?: string;
  /**
   * How many times the request was sent before this answer: 1 when it
   * answered the first send; more when it answered a retry, so an earlier
   * send may have taken effect (a create refused as existing may be our own
   * create that landed). Unset when not known.
   */
  readonly attempts?: number;

  constructor(details: CloudErrorDetails) {
    const where = details.operation ? `${details.operation}: ` : "";
    const rid = details.requestId ? ` (request id ${details.requestId})` : "";
    super(
      `${where}${details.cloud.toUpperCase()} ${details.statusCode} ${details.code || "error"}: ${details.message}${rid}`,
    );
    this.name = "CloudError";
    this.cloud = details.cloud;
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    this.operation = details.operation;
    this.attempts = details.attempts;
  }
}

/**
 * The job (or bucket) does not exist. Recognised from the HTTP status (404),
 * not from one code string: COS does not document its code for a missing job.
 */
export class NotFoundError extends CloudError {
  constructor(details: CloudErrorDetails) {
    super(details);
    this.name = "NotFoundError";
  }
}

/** The code of every {@link MalformedResponseError}. */
export const MALFORMED_RESPONSE_CODE = "MalformedResponse";

/**
 * A response that arrived but cannot be what it claims: a success answer whose
 * body is not valid UTF-8, not well-formed XML, or not the document the
 * operation expects. Its code is always {@link MALFORMED_RESPONSE_CODE}; the
 * status is the one the server really sent, and the message names the
 * operation (bucket and job) and the request id, so the answer can be traced.
 */
export class MalformedResponseError extends CloudError {
  constructor(details: Omit<CloudErrorDetails, "code">, options?: { cause?: unknown }) {
    super({ ...details, code: MALFORMED_RESPONSE_CODE });
    this.name = "MalformedResponseError";
    if (details.requestId === undefined) {
      // Say so, rather than leave the reader wondering whether it was dropped.
      this.message += " (no request id)";
    }
    if (options?.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, configurable: true });
    }
  }
}

/**
 * The codes a {@link TransportError} of our own making carries; any other code
 * is the network's (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, …).
 *
 * - `ETIMEDOUT`: one attempt got no complete answer (headers and the whole
 *   body) within its deadline, `timeoutMs`. Retried while attempts and budget last.
 * - `EBUDGET`: the overall budget of one call (`totalTimeoutMs`, all attempts
 *   and backoff sleeps together) ran out. Final.
 * - `EABORTED`: the caller's `AbortSignal` fired. Final.
 * - `ERESPONSETOOLARGE`: the body passed `maxResponseBytes`, counted after
 *   decompression. Final: a server that sends too much once will again.
 */
export type TransportErrorCode = "ETIMEDOUT" | "EBUDGET" | "EABORTED" | "ERESPONSETOOLARGE";

/** Context a {@link TransportError} may carry besides its code and endpoint. */
export interface TransportErrorContext {
  /** What we were doing, e.g. `GET inventory daily on examplebucket-1250000000`. */
  operation?: string;
  /** Attempts made, the failing one included. */
  attempts?: number;
  /** The underlying failure. */
  cause?: unknown;
}

/**
 * The request never got a usable HTTP answer: connection refused or reset, a
 * deadline or budget ran out, the caller cancelled, or the body was too large.
 */
export class TransportError extends Error {
  /** A {@link TransportErrorCode}, or the network's code, e.g. `ECONNREFUSED`. */
  readonly code: TransportErrorCode | (string & {});
  /** The endpoint we tried to reach (scheme, host and port only). */
  readonly endpoint: string;
  /** What we were doing, when the caller said. */
  readonly operation?: string;
  /** Attempts made, the failing one included, when known. */
  readonly attempts?: number;

  constructor(message: string, code: string, endpoint: string, context: TransportErrorContext = {}) {
    super(message);
    this.name = "TransportError";
    this.code = code;
    this.endpoint = endpoint;
    this.operation = context.operation;
    this.attempts = context.attempts;
    if (context.cause !== undefined) {
      // Not enumerable: JSON.stringify of the error stays small and free of request details.
      Object.defineProperty(this, "cause", { value: context.cause, enumerable: false, configurable: true });
    }
  }
}

/** One problem with user input, located by a property path such as `filter.period.startTime`. */
export interface ValidationFailure {
  /** Dotted property path, e.g. `destination.bucket`. */
  property: string;
  /** What is wrong and how to fix it. */
  reason: string;
}

/** Input was rejected before any request was sent. */
export class ValidationError extends Error {
  /** Every problem found, not only the first. */
  readonly failures: ValidationFailure[];

  constructor(failures: ValidationFailure[]) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    this.name = "ValidationError";
    this.failures = failures;
  }
}

/**
 * Throws a {@link ValidationError} carrying `failures` when there are any, so
 * a caller can gather every problem first and refuse once, before a request.
 */
export function throwIfInvalid(failures: ValidationFailure[]): void {
  if (failures.length > 0) {
    throw new ValidationError(failures);
  }
}
