/**
 * The request and response shapes the transport and the cloud clients
 * exchange, and the classifier through which a cloud tells the transport what
 * an answer means. Types only: both the transport and its policy read them.
 */

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
  /** Raw body, decompressed, at most `maxResponseBytes` long. */
  body: Buffer;
  /**
   * How many times the transport sent the request to get this answer (1
   * when it came from the first send; more after retries, when an earlier
   * send may have taken effect although no answer to it arrived). Unset on
   * answers that did not come through the transport.
   */
  attempts?: number;
}

/** What a cloud dialect says about a response. */
export interface ResponseClassification {
  /** The cloud's error code, when the response is an error (including a 2xx carrying an error document). */
  code?: string;
  /** The cloud's error message. */
  message?: string;
  /** The server's clock (unix seconds), when the response says our clock is off. */
  serverTimeForSkew?: number;
}

/** Reads a cloud's error code and clock-skew signal out of a response. */
export type ResponseClassifier = (response: HttpResponse) => ResponseClassification;
