/**
 * Cancellation of the provider process: a SIGINT or SIGTERM ends requests in
 * flight at once (with EABORTED) instead of letting them run to their
 * deadlines, so a Ctrl-C does not wait minutes on a slow server; and the
 * process then exits by itself once its calls have answered (the engine
 * sends SIGINT to its plugins at the end of every command).
 */
import { spawn } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

/** A server that takes requests and never answers; resolves `arrived` on the first one. */
async function silentServer(): Promise<{ url: string; arrived: Promise<void>; close: () => Promise<void> }> {
  let signal!: () => void;
  const arrived = new Promise<void>((resolve) => (signal = resolve));
  const server = http.createServer(() => signal());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  it(`${sig} aborts a request in flight at once, naming the operation`, async () => {
    const server = await silentServer();
    try {
      const child = spawn(
        process.execPath,
        [path.join(__dirname, "fixtures", "cancel-child.js"), server.url],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
      await server.arrived;
      child.kill(sig);
      await exited;
      const result = JSON.parse(out) as { code: string; message: string; ms: number };
      expect(result.code).toBe("EABORTED");
      expect(result.message).toContain("GET inventory daily on examplebucket-1250000000");
      // The attempt deadline is 60 s: ending well before it shows the signal, not a timeout, ended it.
      expect(result.ms).toBeLessThan(30_000);
    } finally {
      await server.close();
    }
  });
}

/** Starts the idle provider-like fixture (`busy`: with one tracked call in flight) and waits until it is ready. */
async function idleProvider(mode: "idle" | "busy") {
  const child = spawn(process.execPath, [path.join(__dirname, "fixtures", "idle-provider-child.js"), mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const ready = new Promise<void>((resolve) =>
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  await ready;
  return { child, exited, output: () => out };
}

for (const [sig, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  it(`${sig} ends a provider process that something else keeps alive, once its calls have answered`, async () => {
    const idle = await idleProvider("idle");
    idle.child.kill(sig);
    expect(await idle.exited).toBe(code);

    const busy = await idleProvider("busy");
    busy.child.kill(sig);
    expect(await busy.exited).toBe(code);
    expect(busy.output()).toContain("answered");
  });
}
