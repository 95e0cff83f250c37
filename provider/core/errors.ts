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

/** The request never got an HTTP answer: connection refused, reset, timeout. */
export class TransportError extends Error {
  /** The underlying error code, e.g. `ECONNREFUSED`, `ETIMEDOUT`. */
  readonly code: string;
  /** The endpoint we tried to reach (scheme, host and port only). */
  readonly endpoint: string;

  constructor(message: string, code: string, endpoint: string) {
    super(message);
    this.name = "TransportError";
    this.code = code;
    this.endpoint = endpoint;
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
