/**
 * The contract between the emulator's server and the parts it hosts: the
 * request a dialect is handed, the answer it gives, the context it may use
 * and the operation names the request log and fault matcher share. It lives
 * apart from `server.ts` so that the server, the admin API and the dialects
 * all import it and none of them import each other the wrong way round.
 */
import type { InventoryStore } from "./store";
import type { TemporaryCredentialStore } from "./temporary-credentials";

/** Largest request body the emulator reads (inventory XML is a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The inventory operation a request asks for, as the request log names it. */
export type InventoryOperation = "put" | "get" | "list" | "delete" | "post" | "unknown";

/** A request as the dialects see it: fully read, addressing resolved. */
export interface EmulatorRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The request target as received, e.g. `/?inventory=&id=list1`. */
  rawUrl: string;
  /** The path exactly as received (still percent-encoded). */
  rawPath: string;
  /** The percent-decoded path (UTF-8), e.g. `/` or `/examplebucket-1250000000/`. */
  pathname: string;
  /** The raw query string without `?` (may be empty). */
  rawQuery: string;
  /** Decoded query parameters; valueless ones (`?inventory`) map to `""`; the first of repeated keys wins. */
  query: Record<string, string>;
  /** Lower-case header names; repeated values joined with `,`. */
  headers: Record<string, string>;
  /** The whole request body. */
  body: Buffer;
  /** Whether the body exceeded {@link MAX_BODY_BYTES} (then `body` is truncated). */
  bodyTooLarge: boolean;
  /** The bucket named by the Host header or the first path segment, if any. */
  bucket?: string;
  /** How the bucket was named. */
  addressing: "virtual-host" | "path" | "none";
  /** Decoded path inside the bucket: `/` for bucket-level calls. */
  key: string;
}

/** An HTTP answer built by a dialect. */
export interface EmulatorResponse {
  /** HTTP status. */
  status: number;
  /** Response headers (the server adds `Date` and `Content-Length`). */
  headers: Record<string, string>;
  /** Response body; empty when omitted. */
  body?: string | Buffer;
  /** Error code, for the request log. */
  errorCode?: string;
}

/** An error a dialect must render in its own format (used for injected faults, too). */
export interface EmulatorErrorSpec {
  /** HTTP status. */
  status: number;
  /** Service error code, e.g. `NoSuchBucket`. */
  code: string;
  /** Human-readable message. */
  message: string;
}

/** What the server gives a dialect to handle one request. */
export interface DialectContext {
  /** The job store. */
  store: InventoryStore;
  /** Accepted key pairs, by id. */
  credentials: ReadonlyMap<string, string>;
  /** The server clock for this request, epoch ms (includes an injected clock skew). */
  now(): number;
  /** Temporary credentials issued by the emulator's STS and metadata endpoints; none when omitted. */
  temporary?: TemporaryCredentialStore;
}

/** The inventory operation and job id a request is about, for logs and fault matching. */
export interface RequestDescription {
  /** The operation. */
  operation: InventoryOperation;
  /** The job id in the URL, if any. */
  inventoryId?: string;
}

/**
 * One cloud's wire dialect. The server asks each dialect in turn whether it
 * recognises a request (by its signature scheme, headers or parameters) and
 * hands it to the first that does (or to the first dialect as the fallback).
 */
export interface Dialect {
  /** Short name, e.g. `cos`; also the store's namespace for this dialect's jobs. */
  readonly name: string;
  /** Whether this request is in this dialect. */
  recognise(req: EmulatorRequest): boolean;
  /** Which operation and job the request is about (no side effects). */
  describe(req: EmulatorRequest): RequestDescription;
  /** Serves the request. Must not throw for client errors: answer them. */
  handle(req: EmulatorRequest, ctx: DialectContext): Promise<EmulatorResponse>;
  /** Renders an error in this dialect's format. */
  errorResponse(req: EmulatorRequest, error: EmulatorErrorSpec, ctx: DialectContext): EmulatorResponse;
}
