/**
 * How the emulator serves one HTTP request, as a pipeline of small steps:
 * read the body → admin route → decode (or answer `InvalidURI`) → a
 * credential service (STS, instance metadata: `services.ts`) → choose the
 * dialect → take a fault (clock skew, latency, drop) → wait half the standing
 * latency (`latency.ts`) → answer (injected error, oversized body or the
 * dialect's handler) → wait the other half → write → log. Each step is a
 * named function; the answer and log steps are pure.
 */
import type * as http from "http";
import { handleAdminRequest, type AdminControl, type Fault, type RequestLogEntry } from "./admin";
import {
  MAX_BODY_BYTES,
  type Dialect,
  type DialectContext,
  type EmulatorErrorSpec,
  type EmulatorRequest,
  type EmulatorResponse,
  type RequestDescription,
} from "./contract";
import { drawLatencyMs, splitLatency, type LatencyControl } from "./latency";
import { buildRequest, readBody, undecodableRequest, type ReadBody } from "./request";
import { serviceFor, type ServiceRoute } from "./services";
import type { InventoryStore } from "./store";
import type { ServiceState } from "./sts/common";

/** Path prefix of the admin API. */
export const ADMIN_PREFIX = "/_emulator/";

/** What every request of one running emulator is served with. */
export interface PipelineState {
  /** The job store. */
  store: InventoryStore;
  /** Accepted key pairs, by id. */
  credentials: ReadonlyMap<string, string>;
  /** The server clock, epoch ms. */
  clock: () => number;
  /** Dialects, tried in order; the first is the fallback. */
  dialects: readonly Dialect[];
  /** Request log and fault queue. */
  control: AdminControl;
  /** Whether the admin API is served. */
  admin: boolean;
  /** The credential services' state (temporary credentials among it). */
  services: ServiceState;
  /** The standing latency of COS and OSS requests. */
  latency: LatencyControl;
}

/** Whether a request target is in the admin API (`/_emulator` or below). */
export function isAdminPath(rawUrl: string): boolean {
  return rawUrl.startsWith(ADMIN_PREFIX) || rawUrl === ADMIN_PREFIX.slice(0, -1);
}

/** The dialect that recognises `request`, else the first (the fallback). */
export function chooseDialect(dialects: readonly Dialect[], request: EmulatorRequest): Dialect {
  return dialects.find((d) => d.recognise(request)) ?? dialects[0];
}

/** A generic error code for an injected status without a code. */
export function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return "InvalidRequest";
    case 403:
      return "AccessDenied";
    case 404:
      return "NoSuchResource";
    case 409:
      return "Conflict";
    case 429:
    case 503:
      return "SlowDown";
    case 500:
      return "InternalError";
    default:
      return status >= 500 ? "ServiceUnavailable" : "InvalidRequest";
  }
}

/**
 * The error the server answers itself before the dialect handles a request:
 * an injected fault's status, else a body over {@link MAX_BODY_BYTES}; none
 * when the dialect should serve it.
 */
export function serverError(
  request: EmulatorRequest,
  fault: Fault | undefined,
): EmulatorErrorSpec | undefined {
  if (fault?.status !== undefined) {
    return {
      status: fault.status,
      code: fault.code ?? defaultCode(fault.status),
      message: fault.message ?? "Injected fault (emulator admin API)",
    };
  }
  if (request.bodyTooLarge) {
    return { status: 400, code: "EntityTooLarge", message: `Request body exceeds ${MAX_BODY_BYTES} bytes` };
  }
  return undefined;
}

/** Builds a log entry of a served (or dropped, status 0) request. */
export function logEntry(
  request: EmulatorRequest,
  description: RequestDescription,
  dialect: Dialect,
  status: number,
  time: number,
  extra: { code?: string; fault?: Fault; dropped?: boolean } = {},
): RequestLogEntry {
  return {
    method: request.method,
    bucket: request.bucket ?? null,
    operation: description.operation,
    inventoryId: description.inventoryId ?? null,
    status,
    time: new Date(time).toISOString(),
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.dropped ? { dropped: true } : {}),
    dialect: dialect.name,
    ...(extra.fault ? { fault: extra.fault.id } : {}),
  };
}

/**
 * Resolves after `ms` milliseconds. The timer does not keep the process alive
 * by itself (the listening socket does while the emulator runs), so a long
 * latency fault left pending at `close()` never holds a test runner at exit.
 */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Writes a JSON response (admin API and non-dialect errors). */
export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = value === undefined ? "" : JSON.stringify(value, null, 2) + "\n";
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Sends a dialect's response, adding `Date` (the request's server clock) and `Content-Length`. */
function writeResponse(
  res: http.ServerResponse,
  request: EmulatorRequest,
  response: EmulatorResponse,
  ctx: DialectContext,
): void {
  const payload = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
  const headers: Record<string, string> = { ...response.headers, Date: new Date(ctx.now()).toUTCString() };
  // RFC 9110: no Content-Length (and no body) on 204 and 304.
  const bodyless = response.status === 204 || response.status === 304;
  if (!bodyless) headers["Content-Length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(request.method === "HEAD" || bodyless ? undefined : payload);
}

/** The admin step: the admin API when on, else 404 (admin requests are never logged). */
async function serveAdmin(
  state: PipelineState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
): Promise<void> {
  if (!state.admin) {
    sendJson(res, 404, { error: "the admin API is off; start the emulator with --admin" });
    return;
  }
  await handleAdminRequest(req, res, body, {
    control: state.control,
    store: state.store,
    temporary: state.services.temporary,
    latency: state.latency,
  });
}

/** The decode step's failure: undecodable percent-escapes, answered `InvalidURI` by the first dialect. */
function serveUndecodable(
  state: PipelineState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  read: ReadBody,
  started: number,
): void {
  const request = undecodableRequest(
    req.method ?? "GET",
    req.url ?? "/",
    String(req.headers.host ?? ""),
    read.body,
    read.tooLarge,
  );
  const dialect = state.dialects[0];
  const ctx: DialectContext = {
    store: state.store,
    credentials: state.credentials,
    now: state.clock,
    temporary: state.services.temporary,
  };
  const error = { status: 400, code: "InvalidURI", message: "Couldn't parse the specified URI" };
  writeResponse(res, request, dialect.errorResponse(request, error, ctx), ctx);
  state.control.record(
    logEntry(request, { operation: "unknown" }, dialect, 400, started, { code: "InvalidURI" }),
  );
}

/** The credential-service step: serves, writes and logs a request for STS or instance metadata. */
function serveService(
  state: PipelineState,
  route: ServiceRoute,
  request: EmulatorRequest,
  res: http.ServerResponse,
  started: number,
): void {
  const response = route.serve(request, state.services);
  const ctx: DialectContext = { store: state.store, credentials: state.credentials, now: state.clock };
  writeResponse(res, request, response, ctx);
  state.control.record({
    method: request.method,
    bucket: null,
    operation: "unknown",
    inventoryId: null,
    status: response.status,
    time: new Date(started).toISOString(),
    ...(response.errorCode ? { code: response.errorCode } : {}),
    dialect: route.name,
    action: route.action,
  });
}

/** The answer step: the server's own error (fault, oversized body) in the dialect's format, else the dialect's. */
async function answer(
  dialect: Dialect,
  request: EmulatorRequest,
  ctx: DialectContext,
  fault: Fault | undefined,
): Promise<EmulatorResponse> {
  const error = serverError(request, fault);
  return error ? dialect.errorResponse(request, error, ctx) : dialect.handle(request, ctx);
}

/** Serves one HTTP request through the pipeline described in the module comment. */
export async function serveRequest(
  state: PipelineState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const read = await readBody(req);
  if (isAdminPath(req.url ?? "/")) return serveAdmin(state, req, res, read.body);

  const request = buildRequest(req.method ?? "GET", req.url ?? "/", req.headers, read.body, read.tooLarge);
  const started = state.clock();
  if (!request) return serveUndecodable(state, req, res, read, started);
  const route = serviceFor(request);
  if (route) return serveService(state, route, request, res, started);

  const dialect = chooseDialect(state.dialects, request);
  const description = dialect.describe(request);
  const fault = state.control.takeFault({
    method: request.method,
    operation: description.operation,
    bucket: request.bucket,
    dialect: dialect.name,
  });
  const skewMs = (fault?.clockSkewSeconds ?? 0) * 1000;
  const ctx: DialectContext = {
    store: state.store,
    credentials: state.credentials,
    // The time the request arrived: a service judges signatures and tokens on receipt, so an injected
    // latency (a slow answer) never turns a request that arrived in time into an expired one.
    now: () => started + skewMs,
    temporary: state.services.temporary,
  };

  const standing = splitLatency(drawLatencyMs(state.latency.current()));
  const before = standing.beforeMs + (fault?.latencyMs ?? 0);
  if (before > 0) await delay(before);
  if (fault?.drop) {
    state.control.record(logEntry(request, description, dialect, 0, started, { dropped: true }));
    req.socket.destroy();
    return;
  }

  const response = await answer(dialect, request, ctx, fault);
  if (standing.afterMs > 0) await delay(standing.afterMs);
  writeResponse(res, request, response, ctx);
  state.control.record(
    logEntry(request, description, dialect, response.status, started, { code: response.errorCode, fault }),
  );
}
