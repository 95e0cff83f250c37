/**
 * Small pieces every emulator dialect uses: the client-error reply thrown
 * inside a handler, success and error responses with the dialect's headers,
 * the key lookup of a signature check, Content-MD5 checking, the text of
 * validation failures, opaque list tokens and paging. The inventory operations
 * themselves are served once, in `inventory.ts`; wire formats (signatures,
 * XML, error bodies, codes and messages) stay in each dialect.
 */
import { createHash } from "crypto";
import type { ValidationFailure } from "../../core/errors";
import type { StoredJob } from "../store";
import type { DialectContext, EmulatorErrorSpec, EmulatorRequest, EmulatorResponse } from "../contract";

/** A client error to answer, thrown inside a dialect's handler and rendered once in its format. */
export class DialectReply extends Error {
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** Service error code. */
    readonly code: string,
    message: string,
    /** Extra error-body fields (e.g. OSS `EC`). */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "DialectReply";
  }
}

/** An error a dialect renders: a {@link DialectReply} carries `extra` fields, an injected fault none. */
export type DialectError = EmulatorErrorSpec & { readonly extra?: Readonly<Record<string, string>> };

/**
 * The secret of the key a signature names; an unknown key is 403
 * `InvalidAccessKeyId` with the cloud's `message`.
 */
export function secretOf(ctx: DialectContext, keyId: string, message: string): string {
  const secret = ctx.credentials.get(keyId);
  if (secret === undefined) throw new DialectReply(403, "InvalidAccessKeyId", message);
  return secret;
}

/** Error codes a dialect answers Content-MD5 problems with. */
export interface Md5Codes {
  /** Header absent; `undefined` means a missing header is accepted. */
  missing?: string;
  /** Not base64 of 16 bytes. */
  invalid: string;
  /** Not the MD5 of the body. */
  mismatch: string;
}

/** Checks Content-MD5 against the body; throws a {@link DialectReply} on failure. */
export function checkContentMd5(req: EmulatorRequest, codes: Md5Codes): void {
  const given = req.headers["content-md5"];
  if (given === undefined || given.trim() === "") {
    if (codes.missing === undefined) return;
    throw new DialectReply(400, codes.missing, "Missing required header for this request: Content-MD5");
  }
  const value = given.trim();
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) {
    throw new DialectReply(
      400,
      codes.invalid,
      "The Content-MD5 you specified is not valid (base64 of 16 bytes)",
    );
  }
  const actual = createHash("md5").update(req.body).digest("base64");
  if (actual !== value) {
    throw new DialectReply(
      400,
      codes.mismatch,
      "The Content-MD5 you specified did not match what we received",
    );
  }
}

/** Joins validation failures into one message, each naming its property once. */
export function failureText(failures: readonly ValidationFailure[]): string {
  // The rules' reasons often start with the property path already.
  return failures
    .map((f) => (f.reason.startsWith(f.property) ? f.reason : `${f.property}: ${f.reason}`))
    .join("; ");
}

/** Opaque list token: base64url of `v1:<last id of the previous page>`. */
export function encodeToken(lastId: string): string {
  return Buffer.from(`v1:${lastId}`, "utf8").toString("base64url");
}

/** Inverse of {@link encodeToken}; undefined for a token this emulator did not issue. */
export function decodeToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const text = Buffer.from(token, "base64url").toString("utf8");
  if (!text.startsWith("v1:") || encodeToken(text.slice(3)) !== token) return undefined;
  return text.slice(3);
}

/** One page of jobs (sorted by id) after the job a token names. */
export interface JobPage {
  /** The jobs on this page. */
  jobs: StoredJob[];
  /** Whether more follow. */
  isTruncated: boolean;
  /** The token for the next page, when truncated. */
  nextToken?: string;
}

/**
 * Pages `all` (sorted by id) by `size` after the job `token` names.
 *
 * @returns undefined when the token was not issued by this emulator.
 */
export function pageAfter(
  all: readonly StoredJob[],
  token: string | undefined,
  size: number,
): JobPage | undefined {
  let after: string | undefined;
  if (token !== undefined && token !== "") {
    after = decodeToken(token);
    if (after === undefined) return undefined;
  }
  const remaining = after === undefined ? all : all.filter((j) => j.id > after);
  const jobs = remaining.slice(0, size);
  const isTruncated = remaining.length > jobs.length;
  return { jobs, isTruncated, nextToken: isTruncated ? encodeToken(jobs[jobs.length - 1].id) : undefined };
}

/** How a dialect marks every response. */
export interface ReplyStyle {
  /** The header carrying the request id, e.g. `x-cos-request-id`. */
  requestIdHeader: string;
  /** The `Server` header's value. */
  server: string;
  /** A new request id in the cloud's format, at server time `nowMs`. */
  newRequestId(nowMs: number): string;
}

/** A success response: a new request id, `Server`, and for a body its XML type. */
export function okReply(style: ReplyStyle, status: number, nowMs: number, xml?: string): EmulatorResponse {
  const headers: Record<string, string> = {
    [style.requestIdHeader]: style.newRequestId(nowMs),
    Server: style.server,
  };
  if (xml !== undefined) headers["Content-Type"] = "application/xml";
  return { status, headers, body: xml };
}

/**
 * An error response: `xml` is the error body built by `body` around a new
 * request id, which the request id header repeats.
 */
export function xmlErrorReply(
  style: ReplyStyle,
  error: EmulatorErrorSpec,
  nowMs: number,
  body: (requestId: string) => string,
): EmulatorResponse & { body: string } {
  const requestId = style.newRequestId(nowMs);
  return {
    status: error.status,
    headers: { "Content-Type": "application/xml", [style.requestIdHeader]: requestId, Server: style.server },
    body: body(requestId),
    errorCode: error.code,
  };
}
