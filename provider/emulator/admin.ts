/**
 * The emulator's unsigned admin API under `/_emulator/` (served only when the
 * emulator runs with `admin: true` / `--admin`): the request log, fault
 * injection, reset, and a dump of the stored jobs. Admin requests are never
 * logged and never get faults.
 *
 * | request                    | answer                                                       |
 * |----------------------------|--------------------------------------------------------------|
 * | `GET /_emulator/requests`  | 200, JSON array of {@link RequestLogEntry}, oldest first     |
 * | `DELETE /_emulator/requests` | 204, clears the log                                        |
 * | `POST /_emulator/faults`   | 201, body {@link FaultSpec}; answers the queued {@link Fault} |
 * | `GET /_emulator/faults`    | 200, the faults still queued                                 |
 * | `DELETE /_emulator/faults` | 204, drops every queued fault                                |
 * | `POST /_emulator/reset`    | 204, clears jobs, log and faults (buckets and keys stay)     |
 * | `GET /_emulator/jobs`      | 200, `{ "<bucket>": [{dialect, id, updated, body}] }`        |
 * | `GET /_emulator/token-ttl` | 200, `{ "seconds": <cap or null>, "defaultSeconds": 3600 }`  |
 * | `PUT /_emulator/token-ttl` | 200, body `{ "seconds": <n or null> }`: caps the lifetime of temporary credentials issued from now on (tests) |
 * | `GET /_emulator/temporary-credentials` | 200, `[{cloud, id, issuedAt, expiresAt}]` (no secrets, no tokens) |
 * | `GET /_emulator/latency`   | 200, `{ "ms": <n>, "jitterMs": <n> }`: the standing latency of COS/OSS requests |
 * | `PUT /_emulator/latency`   | 200, body `{ "ms": <n>, "jitterMs": <n> }`: sets it (`latency.ts`; reset keeps it) |
 *
 * The API is unauthenticated, so it only answers what a local tool sends and a
 * web page cannot (see {@link checkAdminAccess}): a loopback `Host` (no DNS
 * rebinding), no foreign `Origin` or cross-site `Sec-Fetch-Site` (no browser
 * cross-origin requests), and `Content-Type: application/json` on every
 * request but GET and HEAD (which forces a browser's CORS preflight, never
 * granted). Refusals are 403 or 415 with a JSON `{ "error": … }`.
 */
import type * as http from "http";
import { isIP } from "net";
import type { InventoryOperation } from "./contract";
import { latencyAdminAnswer, type LatencyControl } from "./latency";
import type { InventoryStore } from "./store";
import { DEFAULT_TEMPORARY_TTL_SECONDS, type TemporaryCredentialStore } from "./temporary-credentials";

/** The most log entries kept; older ones are dropped first. */
export const MAX_LOG_ENTRIES = 10000;

/** One served request, as `GET /_emulator/requests` lists it. */
export interface RequestLogEntry {
  /** Upper-case HTTP method. */
  method: string;
  /** Bucket named by the request, or null. */
  bucket: string | null;
  /** The inventory operation. */
  operation: InventoryOperation;
  /** Job id in the URL, or null. */
  inventoryId: string | null;
  /** HTTP status sent; 0 when the connection was dropped by a fault. */
  status: number;
  /** When the request arrived (real clock, not skewed), ISO 8601. */
  time: string;
  /** The error code sent, when the answer was an error. */
  code?: string;
  /** The dialect that served it, e.g. `cos`. */
  dialect?: string;
  /** Id of the fault applied to it, if any. */
  fault?: number;
  /** True when a fault dropped the connection without an answer. */
  dropped?: boolean;
  /** For a credential service (STS, instance metadata): the action or path asked. */
  action?: string;
}

/** Which requests a fault applies to; every given field must match. */
export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Inventory operation. */
  operation?: InventoryOperation;
  /** Bucket name. */
  bucket?: string;
  /** Dialect name, e.g. `cos` or `oss`. */
  dialect?: string;
}

/**
 * The body of `POST /_emulator/faults`. The next `count` requests that match
 * get the fault; several faults form a queue (a request takes the first
 * pending fault it matches). Effects combine: `latencyMs` delays the request,
 * then `drop` closes the socket without an answer, or `status` (+ `code`,
 * `message`) answers an error in the request's dialect, or `clockSkewSeconds`
 * shifts the server clock for that request (signature time checks and the
 * `Date` header), which is then served normally.
 */
export interface FaultSpec {
  /** Which requests; omitted matches every (non-admin) request. */
  match?: FaultMatch;
  /** How many requests get it; default 1. */
  count?: number;
  /** HTTP status to answer with (100–599). */
  status?: number;
  /** Error code in the body; default derived from the status (e.g. 503 → `SlowDown`). */
  code?: string;
  /** Error message in the body. */
  message?: string;
  /** Delay before answering, in ms (0–600000). */
  latencyMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Server clock offset in seconds for the matched requests (may be negative). */
  clockSkewSeconds?: number;
}

/** A queued fault: its spec plus an id and how many uses remain. */
export interface Fault extends FaultSpec {
  /** Id, unique within the emulator's lifetime. */
  id: number;
  /** Requests it still applies to. */
  remaining: number;
}

/** Thrown by {@link parseFaultSpec} for an invalid body. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultSpecError";
  }
}

const OPERATIONS: readonly InventoryOperation[] = ["put", "get", "list", "delete", "post", "unknown"];

/** Validates a decoded JSON body as a {@link FaultSpec}. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FaultSpecError("the body must be a JSON object");
  }
  const v = value as Record<string, unknown>;
  const known = ["match", "count", "status", "code", "message", "latencyMs", "drop", "clockSkewSeconds"];
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) throw new FaultSpecError(`unknown field "${k}" (known: ${known.join(", ")})`);
  }
  const spec: FaultSpec = {};
  if (v.match !== undefined) {
    if (typeof v.match !== "object" || v.match === null || Array.isArray(v.match)) {
      throw new FaultSpecError("match must be an object");
    }
    const m = v.match as Record<string, unknown>;
    const match: FaultMatch = {};
    for (const k of Object.keys(m)) {
      if (!["method", "operation", "bucket", "dialect"].includes(k)) {
        throw new FaultSpecError(`unknown field "match.${k}" (known: method, operation, bucket, dialect)`);
      }
    }
    if (m.method !== undefined) {
      if (typeof m.method !== "string" || !m.method)
        throw new FaultSpecError("match.method must be a string");
      match.method = m.method.toUpperCase();
    }
    if (m.operation !== undefined) {
      if (!OPERATIONS.includes(m.operation as InventoryOperation)) {
        throw new FaultSpecError(`match.operation must be one of ${OPERATIONS.join(", ")}`);
      }
      match.operation = m.operation as InventoryOperation;
    }
    if (m.bucket !== undefined) {
      if (typeof m.bucket !== "string" || !m.bucket)
        throw new FaultSpecError("match.bucket must be a string");
      match.bucket = m.bucket;
    }
    if (m.dialect !== undefined) {
      if (typeof m.dialect !== "string" || !m.dialect)
        throw new FaultSpecError("match.dialect must be a string");
      match.dialect = m.dialect;
    }
    spec.match = match;
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const x = v[name];
    if (x === undefined) return undefined;
    if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) {
      throw new FaultSpecError(`${name} must be an integer from ${min} to ${max}`);
    }
    return x;
  };
  spec.count = int("count", 1, 1_000_000) ?? 1;
  const status = int("status", 100, 599);
  if (status !== undefined) spec.status = status;
  const latencyMs = int("latencyMs", 0, 600_000);
  if (latencyMs !== undefined) spec.latencyMs = latencyMs;
  const skew = int("clockSkewSeconds", -10 * 365 * 86400, 10 * 365 * 86400);
  if (skew !== undefined) spec.clockSkewSeconds = skew;
  for (const name of ["code", "message"] as const) {
    const x = v[name];
    if (x === undefined) continue;
    if (typeof x !== "string") throw new FaultSpecError(`${name} must be a string`);
    spec[name] = x;
  }
  if (v.drop !== undefined) {
    if (typeof v.drop !== "boolean") throw new FaultSpecError("drop must be a boolean");
    if (v.drop) spec.drop = true;
  }
  if ((spec.code !== undefined || spec.message !== undefined) && spec.status === undefined) {
    throw new FaultSpecError("code and message need a status");
  }
  if (spec.drop && spec.status !== undefined) throw new FaultSpecError("drop and status exclude each other");
  if (
    spec.status === undefined &&
    !spec.drop &&
    spec.latencyMs === undefined &&
    spec.clockSkewSeconds === undefined
  ) {
    throw new FaultSpecError("a fault needs at least one of status, drop, latencyMs, clockSkewSeconds");
  }
  return spec;
}

/** The admin state of one emulator: request log and fault queue. */
export class AdminControl {
  private log: RequestLogEntry[] = [];
  private faults: Fault[] = [];
  private nextId = 1;

  /** Appends a log entry (keeps the last {@link MAX_LOG_ENTRIES}). */
  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
  }

  /** The log, oldest first (a copy). */
  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  /** Clears the log. */
  clearRequests(): void {
    this.log = [];
  }

  /** Queues a fault; returns it with its id. */
  addFault(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId++, remaining: spec.count ?? 1 };
    this.faults.push(fault);
    return fault;
  }

  /** The faults still queued (copies). */
  pendingFaults(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Takes one use of the first queued fault matching the request, if any. */
  takeFault(request: {
    method: string;
    operation: InventoryOperation;
    bucket?: string;
    dialect?: string;
  }): Fault | undefined {
    const index = this.faults.findIndex((f) => {
      const m = f.match;
      if (!m) return true;
      if (m.method !== undefined && m.method !== request.method.toUpperCase()) return false;
      if (m.operation !== undefined && m.operation !== request.operation) return false;
      if (m.bucket !== undefined && m.bucket !== request.bucket) return false;
      if (m.dialect !== undefined && m.dialect !== request.dialect) return false;
      return true;
    });
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}

/** Why {@link checkAdminAccess} refused a request: the status and JSON error to answer. */
export interface AdminRefusal {
  /** 403 (wrong Host or a browser's cross-origin request) or 415 (not JSON). */
  status: 403 | 415;
  /** The `error` of the JSON body. */
  error: string;
}

/** The part of a request {@link checkAdminAccess} looks at. */
export interface AdminRequestHead {
  /** HTTP method, any case. */
  method?: string;
  /** Headers as Node gives them (lower-case names). */
  headers: http.IncomingHttpHeaders;
}

/** The host name of a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`), lower-case; undefined if malformed. */
function hostHeaderName(host: string): string | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/@]+))(?::(\d{1,5}))?$/.exec(host);
  if (!m) return undefined;
  return (m[1] ?? m[2]).toLowerCase();
}

/** Whether a host name is this machine's loopback: `localhost`, `127.0.0.0/8` or `::1`. */
function isLoopbackName(name: string): boolean {
  if (name === "localhost") return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  // The URL parser writes every spelling of ::1 (0:0:…:1, ::0001) the same way.
  return isIP(name) === 6 && new URL(`http://[${name}]/`).hostname === "[::1]";
}

/** The `media/type` of a Content-Type header, lower-case, without parameters. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * Whether an admin request may be served. Refused, in this order:
 * - a `Host` that is not loopback (`127.0.0.1`, `::1`, `localhost`, any port) → 403:
 *   a browser tricked by DNS rebinding sends the attacker's host name;
 * - an `Origin` other than the emulator's own (`http://<Host>`), or a
 *   `Sec-Fetch-Site` other than `same-origin`/`none` → 403: a web page's request;
 * - any method but GET/HEAD without `Content-Type: application/json` → 415: a
 *   page can send `text/plain` or no type without a CORS preflight, not JSON.
 *
 * @returns undefined when allowed, else what to answer.
 */
export function checkAdminAccess(req: AdminRequestHead): AdminRefusal | undefined {
  const host = req.headers.host ?? "";
  const name = hostHeaderName(host);
  if (name === undefined || !isLoopbackName(name)) {
    return {
      status: 403,
      error: "the admin API answers only a loopback Host (127.0.0.1, ::1 or localhost)",
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let same = false;
    try {
      same = new URL(origin).origin === new URL(`http://${host}`).origin;
    } catch {
      // "null" and other opaque or malformed origins are foreign.
    }
    if (!same) return { status: 403, error: "the admin API refuses cross-origin requests" };
  }
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return { status: 403, error: "the admin API refuses cross-origin requests" };
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (
    method !== "GET" &&
    method !== "HEAD" &&
    mediaType(req.headers["content-type"]) !== "application/json"
  ) {
    return {
      status: 415,
      error: `${method} requests to the admin API need Content-Type: application/json (even without a body)`,
    };
  }
  return undefined;
}

/** Writes a JSON (or empty, for 204) response. */
function reply(res: http.ServerResponse, status: number, value?: unknown): void {
  const body = value === undefined ? "" : JSON.stringify(value, null, 2) + "\n";
  const headers: Record<string, string> = {
    "Content-Length": String(Buffer.byteLength(body)),
    // Not to be cached or sniffed as anything but JSON.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
  if (body) headers["Content-Type"] = "application/json; charset=utf-8";
  res.writeHead(status, headers);
  res.end(body);
}

/** The temporary-credential routes: read or set the lifetime cap, list what was issued. */
function tokenRoute(
  res: http.ServerResponse,
  route: string,
  body: Buffer,
  temporary: TemporaryCredentialStore | undefined,
): void {
  if (!temporary) return reply(res, 404, { error: "this emulator issues no temporary credentials" });
  if (route === "GET /_emulator/temporary-credentials") return reply(res, 200, temporary.list());
  if (route === "PUT /_emulator/token-ttl") {
    let seconds: unknown;
    try {
      seconds = (JSON.parse(body.toString("utf8")) as { seconds?: unknown }).seconds;
    } catch {
      return reply(res, 400, { error: 'the body must be JSON: { "seconds": <whole number> | null }' });
    }
    if (seconds !== null && (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds <= 0)) {
      return reply(res, 400, { error: "seconds must be a positive whole number, or null to lift the cap" });
    }
    temporary.setTtlCap(seconds ?? undefined);
  }
  return reply(res, 200, {
    seconds: temporary.ttlCap() ?? null,
    defaultSeconds: DEFAULT_TEMPORARY_TTL_SECONDS,
  });
}

/**
 * Serves one admin request (the caller has checked the path prefix and that
 * admin is on), after {@link checkAdminAccess}.
 */
export async function handleAdminRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  state: {
    control: AdminControl;
    store: InventoryStore;
    temporary?: TemporaryCredentialStore;
    latency?: LatencyControl;
  },
): Promise<void> {
  const refusal = checkAdminAccess(req);
  if (refusal) return reply(res, refusal.status, { error: refusal.error });
  const url = req.url ?? "/";
  const path = url.split("?")[0].replace(/\/+$/, "");
  const method = (req.method ?? "GET").toUpperCase();
  const route = `${method} ${path}`;
  const { control, store } = state;
  switch (route) {
    case "GET /_emulator/requests":
      return reply(res, 200, control.requests());
    case "DELETE /_emulator/requests":
      control.clearRequests();
      return reply(res, 204);
    case "GET /_emulator/faults":
      return reply(res, 200, control.pendingFaults());
    case "DELETE /_emulator/faults":
      control.clearFaults();
      return reply(res, 204);
    case "POST /_emulator/faults": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return reply(res, 400, { error: "the body must be JSON" });
      }
      try {
        return reply(res, 201, control.addFault(parseFaultSpec(parsed)));
      } catch (err) {
        if (err instanceof FaultSpecError) return reply(res, 400, { error: err.message });
        throw err;
      }
    }
    case "POST /_emulator/reset":
      await store.clear();
      control.clearRequests();
      control.clearFaults();
      return reply(res, 204);
    case "GET /_emulator/jobs":
      return reply(res, 200, store.dump());
    case "GET /_emulator/token-ttl":
    case "PUT /_emulator/token-ttl":
    case "GET /_emulator/temporary-credentials":
      return tokenRoute(res, route, body, state.temporary);
    case "GET /_emulator/latency":
    case "PUT /_emulator/latency": {
      if (!state.latency) return reply(res, 404, { error: "this emulator has no standing latency" });
      const answer = latencyAdminAnswer(method, body, state.latency);
      return reply(res, answer.status, answer.value);
    }
    default: {
      const known = [
        "GET /_emulator/requests",
        "DELETE /_emulator/requests",
        "POST /_emulator/faults",
        "GET /_emulator/faults",
        "DELETE /_emulator/faults",
        "POST /_emulator/reset",
        "GET /_emulator/jobs",
        "GET /_emulator/token-ttl",
        "PUT /_emulator/token-ttl",
        "GET /_emulator/temporary-credentials",
        "GET /_emulator/latency",
        "PUT /_emulator/latency",
      ];
      return reply(res, 404, { error: `no admin route ${route}`, routes: known });
    }
  }
}
