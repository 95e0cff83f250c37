/**
 * A tiny local HTTP server whose answers a test scripts, for what the
 * emulator will not send: a 200 carrying an `<Error>`, malformed XML, bytes
 * that are not UTF-8. It checks no signature and records what it was asked.
 */
import * as http from "http";
import type { AddressInfo } from "net";

/** One scripted answer. */
export interface ScriptedAnswer {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers?: Record<string, string>;
  /** Body: text is sent as UTF-8, a Buffer byte for byte. */
  body?: string | Buffer;
}

/** A request the server received. */
export interface ScriptedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query. */
  url: string;
  /** Request headers (names lowercase, as Node gives them). */
  headers: Record<string, string | string[] | undefined>;
}

/** A running {@link startScriptedServer}. */
export interface ScriptedServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received, in order. */
  seen: ScriptedRequest[];
  /** Decides each answer; replace it per test. */
  respond: (req: ScriptedRequest) => ScriptedAnswer;
  /** Stops the server, closing open connections. */
  close(): Promise<void>;
}

/** Starts a {@link ScriptedServer} on a free loopback port; it answers 200 with no body until told otherwise. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const state: ScriptedServer = {
    url: "",
    seen: [],
    respond: () => ({ status: 200 }),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers };
    state.seen.push(request);
    // Drain the request body before answering, as a real service would.
    req.resume();
    req.on("end", () => {
      const answer = state.respond(request);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
