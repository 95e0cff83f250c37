/**
 * The transport against a local HTTP server this test starts: retries with
 * backoff, bounded attempts, network errors, timeouts, clock-skew correction.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { TransportError } from "../../provider/core/errors";
import { HttpRequest, HttpResponse, Transport, backoffCeiling } from "../../provider/http/transport";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

let server: http.Server;
let baseUrl: string;
let handler: Handler;
let hits: { url: string; auth: string | undefined }[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", auth: req.headers["authorization"] });
    handler(req, res, hits.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = [];
});

function errorXml(code: string, message: string): string {
  return `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

// Reads the <Code>/<Message> out of the tiny bodies above.
const classify = (r: HttpResponse) => {
  const body = r.body.toString();
  return {
    code: /<Code>(.*?)<\/Code>/.exec(body)?.[1],
    message: /<Message>(.*?)<\/Message>/.exec(body)?.[1],
  };
};

function recordingTransport(extra: ConstructorParameters<typeof Transport>[0] = {}) {
  const sleeps: number[] = [];
  const transport = new Transport({
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { transport, sleeps };
}

const get =
  (secret = "s3cr3t") =>
  (now: number): HttpRequest => ({
    method: "GET",
    url: `${baseUrl}/bucket/?inventory=`,
    headers: { Authorization: `signed-at-${now}-with-${secret.length}` },
  });

describe("Transport", () => {
  it("retries 503 three times with growing jittered backoff, then succeeds", async () => {
    handler = (_req, res, n) => {
      if (n <= 3) {
        res.writeHead(503).end(errorXml("ServiceUnavailable", "busy"));
      } else {
        res.writeHead(200).end("ok");
      }
    };
    const { transport, sleeps } = recordingTransport();
    const r = await transport.send(get(), classify);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe("ok");
    expect(hits).toHaveLength(4);
    // Full jitter with random()=0.5: half of 200, 400, 800.
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it.each([429, 500, 502, 504])("retries HTTP %i", async (status) => {
    handler = (_req, res, n) => res.writeHead(n === 1 ? status : 200).end();
    const { transport } = recordingTransport();
    expect((await transport.send(get(), classify)).status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it("retries SlowDown whatever the status", async () => {
    handler = (_req, res, n) =>
      n === 1
        ? res.writeHead(400).end(errorXml("SlowDown", "reduce your request rate"))
        : res.writeHead(200).end();
    const { transport } = recordingTransport();
    expect((await transport.send(get(), classify)).status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it("gives up after 5 attempts and returns the last answer", async () => {
    handler = (_req, res) => res.writeHead(500).end(errorXml("InternalError", "boom"));
    const { transport, sleeps } = recordingTransport();
    const r = await transport.send(get(), classify);
    expect(r.status).toBe(500);
    expect(hits).toHaveLength(5);
    expect(sleeps).toHaveLength(4);
  });

  it("does not retry client errors", async () => {
    handler = (_req, res) => res.writeHead(403).end(errorXml("SignatureDoesNotMatch", "no"));
    const { transport } = recordingTransport();
    expect((await transport.send(get(), classify)).status).toBe(403);
    expect(hits).toHaveLength(1);
  });

  it("corrects clock skew from the Date header and retries once with a fresh signature", async () => {
    const serverTime = Date.UTC(2030, 0, 1) / 1000;
    handler = (_req, res, n) => {
      res.setHeader("Date", new Date(serverTime * 1000).toUTCString());
      if (n === 1) {
        res.writeHead(403).end(errorXml("RequestTimeTooSkewed", "too skewed"));
      } else {
        res.writeHead(200).end();
      }
    };
    const { transport, sleeps } = recordingTransport();
    expect((await transport.send(get(), classify)).status).toBe(200);
    expect(hits).toHaveLength(2);
    expect(sleeps).toEqual([]);
    expect(hits[1].auth).toBe(`signed-at-${serverTime}-with-6`);
    // Later requests keep the corrected clock.
    expect(Math.abs(transport.signingTimeSeconds() - serverTime)).toBeLessThan(5);
  });

  it('treats AccessDenied "Request has expired" as skew, but only once', async () => {
    handler = (_req, res) => {
      res.setHeader("Date", new Date(Date.UTC(2001, 0, 1)).toUTCString());
      res.writeHead(403).end(errorXml("AccessDenied", "Request has expired"));
    };
    const { transport } = recordingTransport();
    expect((await transport.send(get(), classify)).status).toBe(403);
    expect(hits).toHaveLength(2);
  });

  it("retries network errors and then throws a TransportError without secrets", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { transport, sleeps } = recordingTransport({ maxAttempts: 3 });
    const secret = "TOP-SECRET-KEY";
    const err = await transport
      .send(
        () => ({
          method: "GET",
          url: `http://127.0.0.1:${port}/b/?inventory=`,
          headers: { Authorization: secret },
        }),
        classify,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe("ECONNREFUSED");
    expect((err as TransportError).endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(sleeps).toHaveLength(2);
    expect(JSON.stringify(err) + String(err) + (err as Error).stack).not.toContain(secret);
  });

  it("times out a request that hangs, per attempt", async () => {
    handler = (_req, res, n) => {
      if (n === 1) {
        return; // never answer
      }
      res.writeHead(200).end();
    };
    const { transport } = recordingTransport({ timeoutMs: 200 });
    expect((await transport.send(get(), classify)).status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it("keeps connections alive between requests", async () => {
    const sockets = new Set<unknown>();
    handler = (req, res) => {
      sockets.add(req.socket);
      res.writeHead(200).end();
    };
    const { transport } = recordingTransport();
    for (let i = 0; i < 5; i++) {
      await transport.send(get(), classify);
    }
    expect(sockets.size).toBe(1);
  });
});

describe("backoffCeiling", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((r) => backoffCeiling(r, 200, 5000))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
});
