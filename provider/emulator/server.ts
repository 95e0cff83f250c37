/**
 * The local inventory emulator's HTTP server: one Node `http` server, a
 * {@link InventoryStore}, and a list of {@link Dialect}s (COS and OSS)
 * chosen per request. This file owns the listening socket: options, connection
 * time limits, start and close. Each request goes through `pipeline.ts` (admin
 * route, faults, dispatch, log); cloud-specific work (signatures, XML, error
 * bodies) lives in the dialect modules.
 */
import * as http from "http";
import { isIP, type Socket } from "net";
import { AdminControl } from "./admin";
import { LatencyControl, type LatencySetting } from "./latency";
import type { Dialect } from "./contract";
import { cosDialect } from "./dialects/cos";
import { ossDialect } from "./dialects/oss";
import { sendJson, serveRequest, type PipelineState } from "./pipeline";
import { InventoryStore } from "./store";
import { newServiceState } from "./sts/common";
import { TemporaryCredentialStore } from "./temporary-credentials";

/** Default listen address. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default listen port. */
export const DEFAULT_PORT = 9100;

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
  /** The most a temporary credential (STS, instance metadata) lives, seconds; default uncapped (tests shorten it). */
  tokenTtlSeconds?: number;
  /** The role name the instance metadata services report; default `emulator-instance-role`. */
  instanceRole?: string;
  /** The standing latency of every COS and OSS request (`latency.ts`); default none. */
  latency?: LatencySetting;
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
 * Answers a request whose serving threw: a 500 (or a cut connection once the
 * answer has begun) and a process warning, since the throw is an emulator bug.
 */
function answerFailure(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
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
}

/**
 * A Node HTTP server that calls `handle` per request and enforces `timeouts`:
 * the headers and request limits, keep-alive, and an idle limit that spares a
 * connection while one of its requests is being answered.
 */
function createHttpServer(
  timeouts: Required<EmulatorTimeouts>,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): http.Server {
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
  return server;
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
  const credentials = new Map<string, string>();
  for (const c of options.credentials) credentials.set(c.id, c.secret);
  const clock = options.now ?? Date.now;
  const temporary = new TemporaryCredentialStore(clock, options.tokenTtlSeconds);
  const store = await InventoryStore.open({ buckets: options.buckets, dataDir: options.dataDir });
  const pipeline: PipelineState = {
    store,
    credentials,
    clock,
    dialects: options.dialects && options.dialects.length > 0 ? options.dialects : [cosDialect, ossDialect],
    control: new AdminControl(),
    admin: options.admin ?? false,
    services: newServiceState(credentials, temporary, clock, options.instanceRole),
    latency: new LatencyControl(options.latency),
  };

  const server = createHttpServer(timeouts, (req, res) => {
    serveRequest(pipeline, req, res).catch((err: unknown) => answerFailure(req, res, err));
  });

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
