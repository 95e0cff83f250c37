/**
 * The local inventory emulator's HTTP server: one Node `http` server, a
 * {@link InventoryStore}, and a list of {@link Dialect}s (COS and OSS)
 * chosen per request. Cloud-specific work (signatures, XML, error bodies) lives
 * in the dialect modules; this file only routes, resolves the bucket, applies
 * injected faults and records the request log.
 */
import * as http from "http";
import { isIP, type Socket } from "net";
import { AdminControl, handleAdminRequest, type RequestLogEntry } from "./admin";
import { cosDialect } from "./dialects/cos";
import { ossDialect } from "./dialects/oss";
import {
  MAX_BODY_BYTES,
  type Dialect,
  type DialectContext,
  type EmulatorRequest,
  type EmulatorResponse,
  type RequestDescription,
} from "./contract";
import { InventoryStore } from "./store";

/** Default listen address. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default listen port. */
export const DEFAULT_PORT = 9100;
/** Path prefix of the admin API. */
export const ADMIN_PREFIX = "/_emulator/";

/**
 * Connection time limits of the emulator's HTTP server, in milliseconds, so
 * that silent or trickling clients cannot hold connections open for ever.
 */
export interface EmulatorTimeouts {
  /** Most time to receive a request's headers (Node `headersTimeout`); at most `requestMs`. */
  headersMs?: number;
  /** Most time to receive a whole request, headers and body (Node `requestTimeout`). */
  requestMs?: number;
  /** How long a keep-alive connection stays open after an answer (Node `keepAliveTimeout`; Node adds ~1 s grace). */
  keepAliveMs?: number;
  /**
   * How long a connection may stay silent while no answer is being prepared:
   * bounds connections that never send a byte. A request being served (e.g.
   * held by a latency fault) is not cut short.
   */
  idleMs?: number;
}

/** The defaults of {@link EmulatorTimeouts}. */
export const DEFAULT_TIMEOUTS: Readonly<Required<EmulatorTimeouts>> = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleMs: 15_000,
};

/** A key pair the emulator accepts. */
export interface EmulatorCredential {
  /** Access key id (COS SecretId / OSS AccessKeyId). */
  id: string;
  /** Secret key. */
  secret: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Listen address; default {@link DEFAULT_HOST}. */
  host?: string;
  /** Listen port; default {@link DEFAULT_PORT}; 0 picks a free port. */
  port?: number;
  /** Directory for persistent state; omitted means in memory. */
  dataDir?: string;
  /** Buckets that exist (full names, e.g. `examplebucket-1250000000`). */
  buckets: string[];
  /** Key pairs that are accepted. */
  credentials: EmulatorCredential[];
  /** Serve the unsigned admin API under `/_emulator/`; default false. */
  admin?: boolean;
  /** The server clock in epoch milliseconds (tests); default `Date.now`. */
  now?: () => number;
  /** Dialects to serve, tried in order; the first is the fallback. Default: COS, then OSS. */
  dialects?: Dialect[];
  /** Connection time limits; each omitted one takes its {@link DEFAULT_TIMEOUTS} value. */
  timeouts?: EmulatorTimeouts;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:9100`. */
  url: string;
  /** The address it listens on. */
  host: string;
  /** The port it listens on (the real one when 0 was asked). */
  port: number;
  /** The job store (for tests and tools). */
  store: InventoryStore;
  /** Stops listening, closes open connections and waits for pending writes. */
  close(): Promise<void>;
}

/** Formats `http://host:port`, bracketing IPv6 literals. */
export function formatUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Splits a Host header value into host name and port, handling `[v6]:port`. */
function hostName(hostHeader: string): string {
  const v6 = /^\[([^\]]*)\]/.exec(hostHeader);
  if (v6) return v6[1];
  const colon = hostHeader.lastIndexOf(":");
  return (colon >= 0 ? hostHeader.slice(0, colon) : hostHeader).toLowerCase();
}

/** Decodes percent-escapes, or returns undefined when they are malformed. */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Parses a query string; `+` stays `+` (SDKs encode spaces as %20). */
function parseQuery(rawQuery: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (!rawQuery) return out;
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    const v = eq >= 0 ? safeDecode(part.slice(eq + 1)) : "";
    if (k === undefined || v === undefined) return undefined;
    if (!(k in out)) out[k] = v;
  }
  return out;
}

/** Builds an {@link EmulatorRequest} from what Node parsed; undefined for an undecodable URL. */
export function buildRequest(
  method: string,
  rawUrl: string,
  rawHeaders: http.IncomingHttpHeaders,
  body: Buffer,
  bodyTooLarge: boolean,
): EmulatorRequest | undefined {
  const q = rawUrl.indexOf("?");
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : "";
  const pathname = safeDecode(rawPath);
  const query = parseQuery(rawQuery);
  if (pathname === undefined || query === undefined || !pathname.startsWith("/")) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  let bucket: string | undefined;
  let addressing: EmulatorRequest["addressing"] = "none";
  let key = pathname;
  if (pathname !== "/") {
    const slash = pathname.indexOf("/", 1);
    bucket = slash >= 0 ? pathname.slice(1, slash) : pathname.slice(1);
    key = slash >= 0 ? pathname.slice(slash) : "/";
    addressing = "path";
  } else {
    const name = hostName(headers.host ?? "");
    if (name && isIP(name) === 0 && name.includes(".")) {
      bucket = name.slice(0, name.indexOf("."));
      addressing = "virtual-host";
    }
  }
  return {
    method: method.toUpperCase(),
    rawUrl,
    rawPath,
    pathname,
    rawQuery,
    query,
    headers,
    body,
    bodyTooLarge,
    bucket: bucket || undefined,
    addressing: bucket ? addressing : "none",
    key,
  };
}

/** Reads a request body up to {@link MAX_BODY_BYTES}; keeps draining past it. */
function readBody(req: http.IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
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

/**
 * The timeouts to use: `given` over {@link DEFAULT_TIMEOUTS}.
 *
 * @throws RangeError for a value that is not a positive integer, or headers longer than the request.
 */
export function resolveTimeouts(given: EmulatorTimeouts = {}): Required<EmulatorTimeouts> {
  const out = { ...DEFAULT_TIMEOUTS };
  for (const name of Object.keys(DEFAULT_TIMEOUTS) as (keyof EmulatorTimeouts)[]) {
    const value = given[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`timeouts.${name} must be a positive whole number of milliseconds, got ${value}`);
    }
    out[name] = value;
  }
  if (out.headersMs > out.requestMs) {
    throw new RangeError(
      `timeouts.headersMs (${out.headersMs}) must not exceed timeouts.requestMs (${out.requestMs})`,
    );
  }
  return out;
}

/**
 * Starts the emulator and resolves once it listens.
 *
 * @throws RangeError for invalid {@link EmulatorOptions.timeouts}; an error when the store
 *   cannot be opened or the address is in use.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const timeouts = resolveTimeouts(options.timeouts);
  const clock = options.now ?? Date.now;
  const dialects =
    options.dialects && options.dialects.length > 0 ? options.dialects : [cosDialect, ossDialect];
  const credentials = new Map<string, string>();
  for (const c of options.credentials) credentials.set(c.id, c.secret);
  const store = await InventoryStore.open({ buckets: options.buckets, dataDir: options.dataDir });
  const control = new AdminControl();

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? "/";
    if (rawUrl.startsWith(ADMIN_PREFIX) || rawUrl === ADMIN_PREFIX.slice(0, -1)) {
      const { body } = await readBody(req);
      if (!options.admin) {
        sendJson(res, 404, { error: "the admin API is off; start the emulator with --admin" });
        return;
      }
      await handleAdminRequest(req, res, body, { control, store });
      return;
    }

    const { body, tooLarge } = await readBody(req);
    const request = buildRequest(req.method ?? "GET", rawUrl, req.headers, body, tooLarge);
    const started = clock();
    if (!request) {
      // Undecodable percent-escapes: answer in the first dialect's format.
      const q = rawUrl.indexOf("?");
      const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
      const fallback: EmulatorRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        rawUrl,
        rawPath,
        pathname: rawPath,
        rawQuery: "",
        query: {},
        headers: { host: String(req.headers.host ?? "") },
        body,
        bodyTooLarge: tooLarge,
        addressing: "none",
        key: rawPath,
      };
      const ctx: DialectContext = { store, credentials, now: clock };
      const error = { status: 400, code: "InvalidURI", message: "Couldn't parse the specified URI" };
      writeResponse(res, fallback, dialects[0].errorResponse(fallback, error, ctx), ctx);
      control.record({
        ...logEntry(fallback, { operation: "unknown" }, 400, started, "InvalidURI"),
        dialect: dialects[0].name,
      });
      return;
    }
    const dialect = dialects.find((d) => d.recognise(request)) ?? dialects[0];
    const description = dialect.describe(request);
    const fault = control.takeFault({
      method: request.method,
      operation: description.operation,
      bucket: request.bucket,
      dialect: dialect.name,
    });
    const skewMs = (fault?.clockSkewSeconds ?? 0) * 1000;
    const ctx: DialectContext = { store, credentials, now: () => clock() + skewMs };

    if (fault?.latencyMs) await delay(fault.latencyMs);
    if (fault?.drop) {
      control.record({ ...logEntry(request, description, 0, started), dropped: true, dialect: dialect.name });
      req.socket.destroy();
      return;
    }

    let response: EmulatorResponse;
    if (fault?.status !== undefined) {
      response = dialect.errorResponse(
        request,
        {
          status: fault.status,
          code: fault.code ?? defaultCode(fault.status),
          message: fault.message ?? "Injected fault (emulator admin API)",
        },
        ctx,
      );
    } else if (request.bodyTooLarge) {
      response = dialect.errorResponse(
        request,
        { status: 400, code: "EntityTooLarge", message: `Request body exceeds ${MAX_BODY_BYTES} bytes` },
        ctx,
      );
    } else {
      response = await dialect.handle(request, ctx);
    }

    writeResponse(res, request, response, ctx);
    control.record({
      ...logEntry(request, description, response.status, started, response.errorCode),
      dialect: dialect.name,
      ...(fault ? { fault: fault.id } : {}),
    });
  };

  // Requests fully received and not yet answered, per connection: the idle
  // timeout spares these (a latency fault may hold an answer for minutes).
  const answering = new WeakMap<Socket, number>();
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // Node checks the two limits above on this interval (default 30 s, which would
      // stretch short limits); a check per second at most costs nothing here.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts.headersMs / 2))),
    },
    (req, res) => {
      const socket = req.socket;
      let counted = false;
      let answered = false;
      req.once("end", () => {
        if (answered) return;
        counted = true;
        answering.set(socket, (answering.get(socket) ?? 0) + 1);
      });
      res.once("close", () => {
        answered = true;
        if (counted) answering.set(socket, Math.max(0, (answering.get(socket) ?? 1) - 1));
      });
      handle(req, res);
    },
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // Node's socket inactivity timer: armed at connect (a client that never sends a byte
  // is dropped, whatever the headers check does), re-armed by any traffic; after an
  // answer Node swaps in the keep-alive timeout, which fires this same listener.
  server.setTimeout(timeouts.idleMs, (socket: Socket) => {
    if ((answering.get(socket) ?? 0) > 0) return;
    socket.destroy();
  });

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    serve(req, res).catch((err: unknown) => {
      // The client went away or a timeout cut it off mid-request: nobody to answer, nothing to report.
      if (req.destroyed) {
        res.destroy();
        return;
      }
      if (!res.headersSent) {
        sendJson(res, 500, { error: "internal emulator error", detail: String(err) });
      } else {
        res.destroy();
      }
      process.emitWarning(
        `bucket-inventory emulator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;

  let closing: Promise<void> | undefined;
  return {
    url: formatUrl(host, actualPort),
    host,
    port: actualPort,
    store,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => store.flush());
      return closing;
    },
  };
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

/** A generic error code for an injected status without a code. */
function defaultCode(status: number): string {
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

/** Builds the common part of a log entry. */
function logEntry(
  request: EmulatorRequest | undefined,
  description: RequestDescription,
  status: number,
  time: number,
  code?: string,
): RequestLogEntry {
  return {
    method: request?.method ?? "",
    bucket: request?.bucket ?? null,
    operation: description.operation,
    inventoryId: description.inventoryId ?? null,
    status,
    time: new Date(time).toISOString(),
    ...(code ? { code } : {}),
  };
}
