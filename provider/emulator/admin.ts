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
 */
import type * as http from "http";
import type { InventoryOperation } from "./server";
import type { InventoryStore } from "./store";

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

const OPERATIONS: readonly InventoryOperation[] = ["put", "get", "list", "delete", "unknown"];

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

/** Writes a JSON (or empty, for 204) response. */
function reply(res: http.ServerResponse, status: number, value?: unknown): void {
  const body = value === undefined ? "" : JSON.stringify(value, null, 2) + "\n";
  const headers: Record<string, string> = { "Content-Length": String(Buffer.byteLength(body)) };
  if (body) headers["Content-Type"] = "application/json; charset=utf-8";
  res.writeHead(status, headers);
  res.end(body);
}

/** Serves one admin request (the caller has checked the path prefix and that admin is on). */
export async function handleAdminRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  state: { control: AdminControl; store: InventoryStore },
): Promise<void> {
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
    default: {
      const known = [
        "GET /_emulator/requests",
        "DELETE /_emulator/requests",
        "POST /_emulator/faults",
        "GET /_emulator/faults",
        "DELETE /_emulator/faults",
        "POST /_emulator/reset",
        "GET /_emulator/jobs",
      ];
      return reply(res, 404, { error: `no admin route ${route}`, routes: known });
    }
  }
}
