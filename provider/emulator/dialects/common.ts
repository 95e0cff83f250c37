/**
 * Pieces every emulator dialect shares: the client-error reply thrown inside a
 * handler and the `Dialect` built around a dialect's handler, success and
 * error responses with the dialect's headers, routing of the `?inventory`
 * operations, the id parameter and body checks, Content-MD5 checking, opaque
 * list tokens and paging. Wire formats (signatures, XML, error bodies, codes
 * and messages) stay in each dialect.
 */
import { createHash } from "crypto";
import type { ValidationFailure } from "../../core/errors";
import { XmlFormatError } from "../../xml";
import type { StoredJob } from "../store";
import type {
  Dialect,
  DialectContext,
  EmulatorErrorSpec,
  EmulatorRequest,
  EmulatorResponse,
  RequestDescription,
} from "../contract";

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

/**
 * Which inventory operation a bucket-level `?inventory` request is, for the
 * request log and fault matching. `idParam` is the cloud's id parameter
 * (`id` on COS, `inventoryId` on OSS).
 */
export function describeInventoryRequest(req: EmulatorRequest, idParam: string): RequestDescription {
  if (!("inventory" in req.query) || req.key !== "/") return { operation: "unknown" };
  const id = req.query[idParam];
  const withId = id !== undefined ? { inventoryId: id } : {};
  switch (req.method) {
    case "PUT":
      return { operation: "put", ...withId };
    case "GET":
      return { operation: id !== undefined ? "get" : "list", ...withId };
    case "DELETE":
      return { operation: "delete", ...withId };
    default:
      return { operation: "unknown", ...withId };
  }
}

/** An error a dialect renders: a {@link DialectReply} carries `extra` fields, an injected fault none. */
export type DialectError = EmulatorErrorSpec & { readonly extra?: Readonly<Record<string, string>> };

/** What makes a {@link Dialect} of the inventory API: the parts that differ between clouds. */
export interface InventoryDialectSpec {
  /** Short name, also the store namespace of the dialect's jobs. */
  name: string;
  /** The query parameter carrying the job id (`id` on COS, `inventoryId` on OSS). */
  idParam: string;
  /** Whether a request is in this dialect (see {@link Dialect.recognise}). */
  recognise(req: EmulatorRequest): boolean;
  /** Serves a request; client errors are thrown as {@link DialectReply}. */
  serve(req: EmulatorRequest, ctx: DialectContext): Promise<EmulatorResponse>;
  /** Renders an error in the dialect's format at server time `nowMs`. */
  errorReply(req: EmulatorRequest, error: DialectError, nowMs: number): EmulatorResponse;
}

/**
 * The {@link Dialect} of `spec`: requests are described by
 * {@link describeInventoryRequest}, and a {@link DialectReply} thrown while
 * serving is answered in the dialect's error format, as are injected faults.
 */
export function inventoryDialect(spec: InventoryDialectSpec): Dialect {
  return {
    name: spec.name,

    recognise: (req) => spec.recognise(req),

    describe: (req) => describeInventoryRequest(req, spec.idParam),

    async handle(req, ctx) {
      try {
        return await spec.serve(req, ctx);
      } catch (err) {
        // Anything else is a bug in the emulator, for the server to report.
        if (err instanceof DialectReply) return spec.errorReply(req, err, ctx.now());
        throw err;
      }
    },

    errorResponse: (req, error, ctx) => spec.errorReply(req, error, ctx.now()),
  };
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

/** A handler of one inventory operation on an existing bucket. */
export type InventoryHandler = (
  req: EmulatorRequest,
  ctx: DialectContext,
  bucket: string,
) => EmulatorResponse | Promise<EmulatorResponse>;

/** A dialect's handlers of the four inventory operations. */
export interface InventoryHandlers {
  /** `PUT /?inventory&<id>=`. */
  put: InventoryHandler;
  /** `GET /?inventory&<id>=`. */
  get: InventoryHandler;
  /** `GET /?inventory`, without an id. */
  list: InventoryHandler;
  /** `DELETE /?inventory&<id>=`. */
  delete: InventoryHandler;
  /** Other methods the cloud knows but the emulator does not serve, with the 501 message to answer. */
  notImplemented?: Readonly<Record<string, string>>;
}

/**
 * Hands a request for `bucket` to the handler of its inventory operation. A
 * request outside the inventory API is 501 `NotImplemented`, a method in
 * `handlers.notImplemented` 501 with its message, any other method 405
 * `MethodNotAllowed`.
 */
export async function routeInventoryRequest(
  req: EmulatorRequest,
  ctx: DialectContext,
  bucket: string,
  idParam: string,
  handlers: InventoryHandlers,
): Promise<EmulatorResponse> {
  if (!("inventory" in req.query) || req.key !== "/") {
    throw new DialectReply(
      501,
      "NotImplemented",
      "The emulator implements only the bucket inventory API (?inventory)",
    );
  }
  switch (req.method) {
    case "PUT":
      return handlers.put(req, ctx, bucket);
    case "GET":
      return idParam in req.query ? handlers.get(req, ctx, bucket) : handlers.list(req, ctx, bucket);
    case "DELETE":
      return handlers.delete(req, ctx, bucket);
  }
  const notImplemented = handlers.notImplemented?.[req.method];
  if (notImplemented !== undefined) {
    throw new DialectReply(501, "NotImplemented", notImplemented);
  }
  throw new DialectReply(405, "MethodNotAllowed", `The method ${req.method} is not allowed on ?inventory`);
}

/** The job id in query parameter `idParam`; a missing or empty one is 400 `InvalidArgument`. */
export function requireIdParam(req: EmulatorRequest, idParam: string): string {
  const id = req.query[idParam];
  if (id === undefined || id === "") {
    throw new DialectReply(
      400,
      "InvalidArgument",
      `${idParam}: the inventory id query parameter is required`,
    );
  }
  return id;
}

/**
 * The request body decoded by `decode`; a body it cannot read is 400
 * `MalformedXML`, with `message`, then the decoder's reason.
 */
export function decodeRequestBody<T>(req: EmulatorRequest, decode: (xml: string) => T, message: string): T {
  try {
    return decode(req.body.toString("utf8"));
  } catch (err) {
    if (err instanceof XmlFormatError) {
      throw new DialectReply(400, "MalformedXML", `${message}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * {@link pageAfter} for a list request: the page after the request's
 * `continuation-token`; a token this emulator did not issue is 400 `InvalidArgument`.
 */
export function requestedPage(req: EmulatorRequest, all: readonly StoredJob[], size: number): JobPage {
  const page = pageAfter(all, req.query["continuation-token"], size);
  if (!page) {
    throw new DialectReply(400, "InvalidArgument", "continuation-token: the continuation token is not valid");
  }
  return page;
}
