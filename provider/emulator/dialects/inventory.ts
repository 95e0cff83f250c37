/**
 * The bucket inventory API, served once for every dialect: the checks in the
 * order both clouds run them (signature, bucket, operation, then per
 * operation), the four operations against the store, and the `Dialect` the
 * server hosts. A dialect describes only what differs, in an
 * {@link InventoryDialectSpec}: its signature check, id parameter, codec,
 * rules, limits, error codes and messages, and error format.
 */
import type { ValidationFailure } from "../../core/errors";
import { XmlFormatError } from "../../xml";
import type { StoredJob } from "../store";
import type {
  Dialect,
  DialectContext,
  EmulatorRequest,
  EmulatorResponse,
  RequestDescription,
} from "../contract";
import {
  DialectReply,
  type DialectError,
  type JobPage,
  type Md5Codes,
  type ReplyStyle,
  checkContentMd5,
  failureText,
  okReply,
  pageAfter,
} from "./common";

/** A code and message a dialect answers a refusal with. */
export interface CodedMessage {
  /** Service error code. */
  code: string;
  /** Human-readable message. */
  message: string;
}

/** One page of configurations, as a dialect's list encoder takes it. */
export interface ConfigurationPage<C> {
  /** The configurations on this page, by id. */
  configurations: C[];
  /** Whether more follow. */
  isTruncated: boolean;
  /** The token this page was asked with, if any (COS echoes it; OSS does not). */
  continuationToken?: string;
  /** The token for the next page, when truncated. */
  nextContinuationToken?: string;
}

/** How a dialect reads and writes its configuration XML. */
export interface DialectCodec<C> {
  /** Reads a configuration; throws `XmlFormatError` for XML it cannot read. */
  decode(xml: string): C;
  /**
   * The elements of a configuration body the codec would not keep (unknown,
   * or single ones repeated), as slash paths; throws `XmlFormatError` for XML
   * it cannot read.
   */
  unknownElements(xml: string): string[];
  /**
   * Writes a configuration (what the store keeps and GET answers), in the
   * shape of `written`, the body it was put with, where the model leaves a
   * choice (COS: a lone prefix inside `<And>` or not).
   */
  encode(config: C, written: string): string;
  /** Writes a list page; `written[i]` is the stored body of configuration `i`, for its shape. */
  encodeList(page: ConfigurationPage<C>, written: readonly string[]): string;
}

/** What makes a {@link Dialect} of the inventory API: the parts that differ between clouds. */
export interface InventoryDialectSpec<C extends { id: string }> {
  /** Short name, also the store namespace of the dialect's jobs. */
  name: string;
  /** The query parameter carrying the job id (`id` on COS, `inventoryId` on OSS). */
  idParam: string;
  /** Whether a request is in this dialect (see {@link Dialect.recognise}). */
  recognise(req: EmulatorRequest): boolean;
  /** Checks the request's signature and time; throws a {@link DialectReply} on failure. */
  authenticate(req: EmulatorRequest, ctx: DialectContext): void;
  /** Renders an error in the dialect's format at server time `nowMs`. */
  errorReply(req: EmulatorRequest, error: DialectError, nowMs: number): EmulatorResponse;
  /** Request id header and `Server` of every response. */
  replies: ReplyStyle;
  /** The XML codec. */
  codec: DialectCodec<C>;
  /**
   * What is wrong with a PUT's configuration for URL id `id` (empty when
   * nothing); may throw a {@link DialectReply} of its own instead.
   */
  failures(config: C, id: string): ValidationFailure[];
  /** Content-MD5 error codes. */
  md5: Md5Codes;
  /** Most configurations a bucket holds, and how many a list page carries. */
  limits: { maxConfigurations: number; pageSize: number };
  /** The 404 `NoSuchBucket` messages: no bucket named, and a bucket that does not exist. */
  noSuchBucket: { unnamed: string; unknown: string };
  /** The message of a PUT body that is not XML of a configuration (400 `MalformedXML`). */
  malformedXml: string;
  /** The 404 for an unknown id; the message is followed by `: <id>`. */
  notFound: CodedMessage;
  /** The 400 for a new id when the bucket is full. */
  tooMany: CodedMessage;
  /** When given, a PUT must create: an existing id is refused with this (else it is overwritten). */
  alreadyExists?: (id: string) => DialectReply;
  /**
   * Methods on `?inventory` the dialect serves itself (COS's one-shot POST),
   * after the signature and bucket checks.
   */
  extraMethods?: Readonly<Record<string, (call: OperationCall<C>) => Promise<EmulatorResponse>>>;
  /** Other methods the cloud knows but the emulator does not serve, with the 501 message to answer. */
  notImplemented?: Readonly<Record<string, string>>;
}

/**
 * Which inventory operation a bucket-level `?inventory` request is, for the
 * request log and fault matching. `idParam` is the cloud's id parameter
 * (`id` on COS, `inventoryId` on OSS).
 */
function describeInventoryRequest(req: EmulatorRequest, idParam: string): RequestDescription {
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
    case "POST":
      return { operation: "post", ...withId };
    default:
      return { operation: "unknown", ...withId };
  }
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
function requestedPage(req: EmulatorRequest, all: readonly StoredJob[], size: number): JobPage {
  const page = pageAfter(all, req.query["continuation-token"], size);
  if (!page) {
    throw new DialectReply(400, "InvalidArgument", "continuation-token: the continuation token is not valid");
  }
  return page;
}

/** One inventory operation to serve: the dialect, the request, its context and its (existing) bucket. */
export interface OperationCall<C extends { id: string }> {
  /** The dialect. */
  spec: InventoryDialectSpec<C>;
  /** The request. */
  req: EmulatorRequest;
  /** The server's context. */
  ctx: DialectContext;
  /** The bucket, which exists. */
  bucket: string;
}

/** The 404 for an unknown inventory id. */
function notFound<C extends { id: string }>(spec: InventoryDialectSpec<C>, id: string): DialectReply {
  return new DialectReply(404, spec.notFound.code, `${spec.notFound.message}: ${id}`);
}

/** PUT /?inventory&<id>= : checks the body, then creates (or overwrites) the job. */
async function putConfiguration<C extends { id: string }>(call: OperationCall<C>): Promise<EmulatorResponse> {
  const { spec, req, ctx, bucket } = call;
  const id = requireIdParam(req, spec.idParam);
  checkContentMd5(req, spec.md5);
  const config = decodeRequestBody(req, (xml) => spec.codec.decode(xml), spec.malformedXml);
  // An element the codec does not keep is refused, never stored without it.
  const unknown = decodeRequestBody(req, (xml) => spec.codec.unknownElements(xml), spec.malformedXml);
  if (unknown.length > 0) {
    throw new DialectReply(
      400,
      "MalformedXML",
      `${spec.malformedXml}: the emulator does not model ${unknown.join(", ")}; remove it, or model it first`,
    );
  }
  const failures = spec.failures(config, id);
  if (failures.length > 0) {
    throw new DialectReply(
      400,
      "InvalidArgument",
      `Invalid inventory configuration: ${failureText(failures)}`,
    );
  }
  const outcome = await ctx.store.put(
    bucket,
    { dialect: spec.name, id, body: spec.codec.encode(config, req.body.toString("utf8")) },
    {
      maxJobs: spec.limits.maxConfigurations,
      now: new Date(ctx.now()),
      mustNotExist: spec.alreadyExists !== undefined,
    },
  );
  if (outcome === "exists" && spec.alreadyExists) throw spec.alreadyExists(id);
  if (outcome === "limit") throw new DialectReply(400, spec.tooMany.code, spec.tooMany.message);
  return okReply(spec.replies, 200, ctx.now());
}

/** GET /?inventory&<id>= : the stored XML. */
function getConfiguration<C extends { id: string }>(call: OperationCall<C>): EmulatorResponse {
  const { spec, req, ctx, bucket } = call;
  const id = req.query[spec.idParam] ?? "";
  const job = id === "" ? undefined : ctx.store.get(bucket, spec.name, id);
  if (!job) throw notFound(spec, id);
  return okReply(spec.replies, 200, ctx.now(), job.body);
}

/** DELETE /?inventory&<id>= : 204, or 404 for an unknown id. */
async function deleteConfiguration<C extends { id: string }>(
  call: OperationCall<C>,
): Promise<EmulatorResponse> {
  const { spec, req, ctx, bucket } = call;
  const id = requireIdParam(req, spec.idParam);
  if (!(await ctx.store.delete(bucket, spec.name, id))) throw notFound(spec, id);
  return okReply(spec.replies, 204, ctx.now());
}

/** GET /?inventory[&continuation-token=] : one page, by id. */
function listConfigurations<C extends { id: string }>(call: OperationCall<C>): EmulatorResponse {
  const { spec, req, ctx, bucket } = call;
  const token = req.query["continuation-token"];
  const page = requestedPage(req, ctx.store.list(bucket, spec.name), spec.limits.pageSize);
  const xml = spec.codec.encodeList(
    {
      configurations: page.jobs.map((j) => spec.codec.decode(j.body)),
      isTruncated: page.isTruncated,
      continuationToken: token !== undefined && token !== "" ? token : undefined,
      nextContinuationToken: page.nextToken,
    },
    page.jobs.map((j) => j.body),
  );
  return okReply(spec.replies, 200, ctx.now(), xml);
}

/**
 * Serves one request: signature, then bucket (none named or unknown → 404
 * `NoSuchBucket`), then the operation. A request outside the inventory API is
 * 501 `NotImplemented`, a method in `spec.notImplemented` 501 with its
 * message, any other method 405 `MethodNotAllowed`.
 */
async function serveInventory<C extends { id: string }>(
  spec: InventoryDialectSpec<C>,
  req: EmulatorRequest,
  ctx: DialectContext,
): Promise<EmulatorResponse> {
  spec.authenticate(req, ctx);
  const bucket = req.bucket;
  if (bucket === undefined) throw new DialectReply(404, "NoSuchBucket", spec.noSuchBucket.unnamed);
  if (!ctx.store.hasBucket(bucket)) throw new DialectReply(404, "NoSuchBucket", spec.noSuchBucket.unknown);
  if (!("inventory" in req.query) || req.key !== "/") {
    throw new DialectReply(
      501,
      "NotImplemented",
      "The emulator implements only the bucket inventory API (?inventory)",
    );
  }
  const call: OperationCall<C> = { spec, req, ctx, bucket };
  switch (req.method) {
    case "PUT":
      return putConfiguration(call);
    case "GET":
      return spec.idParam in req.query ? getConfiguration(call) : listConfigurations(call);
    case "DELETE":
      return deleteConfiguration(call);
  }
  const extra = spec.extraMethods?.[req.method];
  if (extra !== undefined) return extra(call);
  const notImplemented = spec.notImplemented?.[req.method];
  if (notImplemented !== undefined) {
    throw new DialectReply(501, "NotImplemented", notImplemented);
  }
  throw new DialectReply(405, "MethodNotAllowed", `The method ${req.method} is not allowed on ?inventory`);
}

/**
 * The {@link Dialect} of `spec`: requests are described by
 * {@link describeInventoryRequest}, and a {@link DialectReply} thrown while
 * serving is answered in the dialect's error format, as are injected faults.
 */
export function inventoryDialect<C extends { id: string }>(spec: InventoryDialectSpec<C>): Dialect {
  return {
    name: spec.name,

    recognise: (req) => spec.recognise(req),

    describe: (req) => describeInventoryRequest(req, spec.idParam),

    async handle(req, ctx) {
      try {
        return await serveInventory(spec, req, ctx);
      } catch (err) {
        // Anything else is a bug in the emulator, for the server to report.
        if (err instanceof DialectReply) return spec.errorReply(req, err, ctx.now());
        throw err;
      }
    },

    errorResponse: (req, error, ctx) => spec.errorReply(req, error, ctx.now()),
  };
}
