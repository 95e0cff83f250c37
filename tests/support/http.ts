/**
 * Plain HTTP helpers for tests that talk to the emulator (or a recorder in
 * front of it) without our client: raw requests, the unsigned admin API, and
 * a recording forwarder.
 */
import * as http from "http";
import type { AddressInfo } from "net";

/** An answer read in full. */
export interface Reply {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
}

/** A raw request for {@link send}. */
export interface RawRequest {
  /** HTTP method. */
  method: string;
  /** Request target, query included, sent as written. */
  path: string;
  /** Headers, sent as given. */
  headers?: Record<string, string>;
  /** Body, if any. */
  body?: string;
  /** `path` is an absolute-form target (`http://host/…`), sent to `base` as a proxy would receive it. */
  absoluteForm?: boolean;
}

/** One plain HTTP request on a fresh connection. */
export function send(base: string, req: RawRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    };
    const options: http.RequestOptions = { method: req.method, headers: req.headers, agent: false };
    const { hostname, port } = new URL(base);
    const r = req.absoluteForm
      ? http.request({ ...options, hostname, port, path: req.path }, onResponse)
      : http.request(`${base}${req.path}`, options, onResponse);
    r.on("error", reject);
    r.end(req.body);
  });
}

/** Where an emulator with the admin API listens. */
export interface AdminTarget {
  /** Base URL, e.g. `http://127.0.0.1:9100`. */
  url: string;
}

/** One unsigned admin API request; the body is sent as JSON. */
function adminRequest(
  emu: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // The admin API wants JSON on POST and DELETE, even without a body.
    const headers = { "Content-Type": "application/json" };
    const r = http.request(`${emu.url}${path}`, { method, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on("error", reject);
    r.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** One unsigned admin API call: its JSON answer, or a rejection naming the status when it is 300 or more. */
export async function adminCall(
  emu: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const { status, text } = await adminRequest(emu, method, path, body);
  if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** One unsigned admin API call, answering its status and JSON body whatever the status. */
export async function adminExchange(
  emu: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const { status, text } = await adminRequest(emu, method, path, body);
  return { status, json: text ? JSON.parse(text) : undefined };
}

/** One request/response pair as seen by {@link startRecorder}. */
export interface Exchange {
  /** Request method. */
  method: string;
  /** Request target as received. */
  url: string;
  /** Request headers as the client sent them (before any rewrite). */
  headers: http.IncomingHttpHeaders;
  /** Upstream status. */
  status: number;
  /** Upstream response headers. */
  responseHeaders: http.IncomingHttpHeaders;
}

/** A running {@link startRecorder}. */
export interface Recorder {
  /** Base URL to point a client at. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Every exchange so far, in the order the answers came back. */
  seen: Exchange[];
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Where the recorder forwards to. */
export interface Upstream {
  /** Host to connect to. */
  host: string;
  /** Port to connect to. */
  port: number;
}

/**
 * A plain HTTP forwarder in front of the emulator that records what the
 * client sent and what it got back; `rewrite` may change the request headers
 * on the way (after the client signed them).
 */
export async function startRecorder(
  upstreamAt: Upstream,
  rewrite?: (headers: http.IncomingHttpHeaders) => void,
): Promise<Recorder> {
  const seen: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    rewrite?.(headers);
    const upstream = http.request(
      {
        host: upstreamAt.host,
        port: upstreamAt.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (up) => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          status: up.statusCode ?? 0,
          responseHeaders: up.headers,
        });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
