/**
 * The transport against a local HTTP server this test starts: retries with
 * backoff, bounded attempts, network errors, timeouts, clock-skew correction,
 * and the limits: a deadline per attempt over the whole body, a budget per
 * call, cancellation by an AbortSignal, and a size cap after decompression.
 */
import * as http from "http";
import { AddressInfo } from "net";
import * as zlib from "zlib";
import { TransportError } from "../../provider/core/errors";
import {
  HttpRequest,
  HttpResponse,
  TRANSPORT_DEFAULTS,
  Transport,
  backoffCeiling,
} from "../../provider/http/transport";

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

  it("tells how many sends an answer took, so a 409 to a retry is told from one to the first send", async () => {
    handler = (_req, res) =>
      res.writeHead(409).end(errorXml("InventoryConfigurationAlreadyExists", "exists"));
    const { transport } = recordingTransport();
    expect((await transport.send(get(), classify)).attempts).toBe(1);
    hits = [];
    // The first send times out on our side (the server may well have acted on it); the retry meets the conflict.
    handler = (_req, res, n) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end(), 500);
      else res.writeHead(409).end(errorXml("InventoryConfigurationAlreadyExists", "exists"));
    };
    const slow = recordingTransport({ timeoutMs: 100 }).transport;
    const r = await slow.send(get(), classify);
    expect(r.status).toBe(409);
    expect(r.attempts).toBe(2);
    expect(hits).toHaveLength(2);
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

const OPERATION = "GET inventory daily on bucket-x";

/** The rejection of `p`, which must be a TransportError. */
async function transportFailure(p: Promise<unknown>): Promise<TransportError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TransportError);
  return e as TransportError;
}

/** Resolves when the server has received `n` requests in all. */
function requestsArrived(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (hits.length >= n) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
}

/** Writes `total` bytes in 64 KiB chunks, respecting backpressure; counts what was handed to the socket. */
function writeLarge(res: http.ServerResponse, total: number, written: { bytes: number }): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  const pump = (): void => {
    while (written.bytes < total && !res.destroyed) {
      written.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

describe("Transport limits", () => {
  it("fails a server that sends headers and then drips one byte at a time at the attempt deadline", async () => {
    let dripped = 0;
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Length": "100000" });
      const drip = setInterval(() => {
        dripped++;
        res.write("x");
      }, 20);
      res.on("close", () => clearInterval(drip));
    };
    const transport = new Transport({ timeoutMs: 500, maxAttempts: 1 });
    const started = Date.now();
    const e = await transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    // A generous bound: the old idle timeout never fired while bytes kept coming.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(dripped).toBeGreaterThan(0);
    expect(e.code).toBe("ETIMEDOUT");
    expect(e.operation).toBe(OPERATION);
    expect(e.endpoint).toBe(baseUrl);
    expect(e.attempts).toBe(1);
    expect(e.message).toBe(
      `${OPERATION} at ${baseUrl}: no complete answer within the 500 ms attempt deadline (attempt 1 of 1)`,
    );
  });

  it("stops retrying when the call's budget would run out, returning the last answer", async () => {
    handler = (_req, res) => res.writeHead(503).end(errorXml("ServiceUnavailable", "busy"));
    // A fake clock that only the backoff sleeps advance: the budget is counted on it.
    let clock = 0;
    const sleeps: number[] = [];
    const transport = new Transport({
      maxAttempts: 100,
      totalTimeoutMs: 3500,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
      random: () => 0.999,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    const r = await transport.send(get(), classify, { operation: OPERATION });
    expect(r.status).toBe(503);
    // Attempts at 0, 999, 1998 and 2997 ms; a fifth would start at 3996, past the budget.
    expect(hits).toHaveLength(4);
    expect(sleeps).toEqual([999, 999, 999]);
  });

  it("ends a network failure that outlasts the budget with EBUDGET naming the last failure", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    let clock = 0;
    const transport = new Transport({
      maxAttempts: 100,
      totalTimeoutMs: 2500,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
      random: () => 0.999,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const e = await transportFailure(
      transport.send(
        () => ({ method: "PUT", url: `http://127.0.0.1:${port}/b/?inventory=`, headers: {} }),
        classify,
        { operation: "PUT inventory daily on bucket-x" },
      ),
    );
    expect(e.code).toBe("EBUDGET");
    expect(e.attempts).toBe(3);
    expect(e.message).toMatch(
      new RegExp(
        `^PUT inventory daily on bucket-x at http://127\\.0\\.0\\.1:${port}: gave up after 3 attempt\\(s\\): ` +
          `the 2500 ms budget for this call ran out; the last attempt failed \\(ECONNREFUSED\\)`,
      ),
    );
    expect((e as Error & { cause?: unknown }).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("cuts the attempt that would outlast the budget short, with EBUDGET", async () => {
    handler = () => undefined; // never answer
    const transport = new Transport({
      timeoutMs: 300,
      totalTimeoutMs: 1000,
      maxAttempts: 50,
      baseDelayMs: 1,
    });
    const started = Date.now();
    const e = await transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(e.code).toBe("EBUDGET");
    expect(e.message).toContain(`${OPERATION} at ${baseUrl}: gave up after`);
    // Three full 300 ms attempts fit in 1000 ms, and a fourth is cut short.
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.length).toBeLessThanOrEqual(5);
  });

  it("aborts a request in flight as soon as the signal fires", async () => {
    handler = () => undefined; // hold the request
    const controller = new AbortController();
    const transport = new Transport({ timeoutMs: 60_000, signal: controller.signal });
    const pending = transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    await requestsArrived(1);
    const abortedAt = Date.now();
    controller.abort();
    const e = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(e.code).toBe("EABORTED");
    expect(e.message).toBe(`${OPERATION} at ${baseUrl}: cancelled`);
    expect(hits).toHaveLength(1);
  });

  it("aborts a backoff sleep as soon as the signal fires, and sends nothing more", async () => {
    handler = (_req, res) => res.writeHead(503).end(errorXml("ServiceUnavailable", "busy"));
    const controller = new AbortController();
    // The real sleep, about a minute long.
    const transport = new Transport({
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 0.99,
      signal: controller.signal,
    });
    const pending = transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    await requestsArrived(1);
    // Let the 503 arrive and the sleep begin.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abortedAt = Date.now();
    controller.abort();
    const e = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(e.code).toBe("EABORTED");
    expect(hits).toHaveLength(1);
  });

  it("sends nothing once the signal has fired", async () => {
    handler = (_req, res) => res.writeHead(200).end();
    const controller = new AbortController();
    controller.abort();
    const transport = new Transport({ signal: controller.signal });
    const e = await transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    expect(e.code).toBe("EABORTED");
    expect(hits).toHaveLength(0);
  });

  it("caps a gzip bomb after decompression, with bounded memory: 1 MB expanding to 1 GiB", async () => {
    // Gzip members may be concatenated; 1,024 members of 1 MiB of zeros each make 1 GiB.
    const member = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(bomb.length).toBeLessThan(1.5 * 1024 * 1024);
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Encoding": "gzip", "Content-Length": String(bomb.length) });
      res.end(bomb);
    };
    const transport = new Transport();
    // maxRSS is the process's high-water mark, so a peak that was freed again still counts.
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const e = await transportFailure(transport.send(get(), classify, { operation: OPERATION }));
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - peakBefore;
    expect(e.code).toBe("ERESPONSETOOLARGE");
    expect(e.message).toBe(
      `${OPERATION} at ${baseUrl}: the HTTP 200 response body is larger than the ` +
        `${TRANSPORT_DEFAULTS.maxResponseBytes}-byte limit (counted after decompression); stopped reading it`,
    );
    expect(peakGrowth).toBeLessThan(256 * 1024 * 1024);
    // Not retried: a server that sends too much once will again.
    expect(hits).toHaveLength(1);
  });

  it("caps a 50 MB body without reading all of it", async () => {
    const total = 50 * 1024 * 1024;
    const written = { bytes: 0 };
    let finished: () => void = () => undefined;
    const serverDone = new Promise<void>((resolve) => (finished = resolve));
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Length": String(total) });
      res.on("close", () => finished());
      writeLarge(res, total, written);
    };
    const e = await transportFailure(new Transport().send(get(), classify, { operation: OPERATION }));
    await serverDone;
    expect(e.code).toBe("ERESPONSETOOLARGE");
    // The client hung up: what the server got rid of is the limit plus socket buffers, far from 50 MB.
    expect(written.bytes).toBeLessThan(40 * 1024 * 1024);
  });

  it("accepts a body of exactly maxResponseBytes and refuses one byte more, chunked or not", async () => {
    const limit = 1000;
    let size = limit;
    let chunked = false;
    handler = (_req, res) => {
      const body = Buffer.alloc(size, "b");
      if (chunked) {
        res.writeHead(200);
        res.write(body.subarray(0, 10));
        res.end(body.subarray(10));
      } else {
        res.writeHead(200, { "Content-Length": String(size) });
        res.end(body);
      }
    };
    const transport = new Transport({ maxResponseBytes: limit, maxAttempts: 1 });
    for (chunked of [false, true]) {
      size = limit;
      expect((await transport.send(get(), classify)).body.length).toBe(limit);
      size = limit + 1;
      const e = await transportFailure(transport.send(get(), classify));
      expect(e.code).toBe("ERESPONSETOOLARGE");
      // Without an operation, the method and path stand in for it.
      expect(e.message).toMatch(/^GET \/bucket\/ at http:\/\/127\.0\.0\.1:\d+: the HTTP 200 response body/);
    }
  });

  it("retries a 2xx whose body is a SlowDown error, like any SlowDown", async () => {
    handler = (_req, res, n) =>
      n === 1
        ? res.writeHead(200).end(errorXml("SlowDown", "reduce your request rate"))
        : res.writeHead(200).end("ok");
    const { transport, sleeps } = recordingTransport();
    const r = await transport.send(get(), classify);
    expect(r.body.toString()).toBe("ok");
    expect(hits).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });
});

describe("backoffCeiling", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((r) => backoffCeiling(r, 200, 5000))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
});
