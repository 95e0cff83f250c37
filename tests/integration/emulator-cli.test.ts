// The emulator's persistent store and its command line: 1,000 jobs paged by
// continuation token, the per-bucket limit, overwrite, a restart on the same
// data directory, acknowledged writes surviving SIGKILL, and the
// `bucket-inventory` CLI in process and as a child process.
import { spawn, execFile, type ChildProcess } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { createInterface } from "readline";
import { decodeListPage, encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import type { CliIo } from "../../provider/cli/args";
import { parseEmulatorArgs } from "../../provider/cli/emulator";
import { main } from "../../provider/cli/main";
import { EMULATOR_DEFAULT_CREDENTIAL } from "../../provider/emulator/credentials";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import { forEachLimited } from "../support/concurrency";
import { AK, BUCKET, SK, config, del, expectCosError, get, list, put } from "../support/cos-emulator";
import { md5 } from "../support/emulator-suite";
import { send } from "../support/http";

const ROOT = path.resolve(__dirname, "..", "..");

describe("paging, limits and overwrite (persistent store)", () => {
  let dataDir: string;
  let emu: RunningEmulator;
  const ids = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, "0")}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "bi-emu-paging-"));
    emu = await startEmulator({ port: 0, dataDir, buckets: [BUCKET], credentials: [{ id: AK, secret: SK }] });
    // Shuffled order: listing must sort by id.
    const shuffled = [...ids].sort((a, b) => (md5(a) < md5(b) ? -1 : 1));
    const statuses: number[] = [];
    await forEachLimited(shuffled, 8, async (id) => {
      statuses.push((await put(emu, id)).status);
    });
    expect(new Set(statuses)).toEqual(new Set([200]));
  }, 120_000);
  afterAll(async () => {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function listAll(
    target: RunningEmulator,
  ): Promise<{ pages: number; ids: string[]; tokens: string[] }> {
    const seen: string[] = [];
    const tokens: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const r = await list(target, token);
      expect(r.status).toBe(200);
      const page = decodeListPage(r.body);
      pages++;
      expect(page.continuationToken).toBe(token);
      seen.push(...page.configurations.map((c) => c.id));
      if (!page.isTruncated) {
        expect(page.nextContinuationToken).toBeUndefined();
        break;
      }
      expect(page.configurations).toHaveLength(100);
      token = page.nextContinuationToken;
      expect(token).toEqual(expect.any(String));
      tokens.push(String(token));
      expect(pages).toBeLessThan(20);
    }
    return { pages, ids: seen, tokens };
  }

  test("1,000 jobs list as 10 pages of 100, in id order, via opaque continuation tokens", async () => {
    const { pages, ids: listed, tokens } = await listAll(emu);
    expect(pages).toBe(10);
    expect(listed).toEqual(ids);
    for (const t of tokens) expect(ids.some((id) => t.includes(id))).toBe(false);
  });

  test("a 1,001st new id gives 400 TooManyConfigurations; an existing id is overwritten", async () => {
    expectCosError(await put(emu, "job-1000"), 400, "TooManyConfigurations");
    expectCosError(await get(emu, "job-1000"), 404, "NoSuchInventoryConfiguration");

    const changed = encodeInventoryConfiguration(
      config("job-0500", { isEnabled: false, schedule: { frequency: "Weekly" }, optionalFields: ["Size"] }),
    );
    expect((await put(emu, "job-0500", changed)).status).toBe(200);
    const g = await get(emu, "job-0500");
    expect(g.body).toBe(changed);
    expect(emu.store.count(BUCKET, "cos")).toBe(1000);
  });

  test("a restarted emulator on the same data directory serves the same 1,000 jobs", async () => {
    const again = await startEmulator({
      port: 0,
      dataDir,
      buckets: [BUCKET],
      credentials: [{ id: AK, secret: SK }],
    });
    try {
      const { pages, ids: listed } = await listAll(again);
      expect(pages).toBe(10);
      expect(listed).toEqual(ids);
      expect((await get(again, "job-0500")).body).toBe((await get(emu, "job-0500")).body);
    } finally {
      await again.close();
    }
  });
});

describe("bucket-inventory CLI", () => {
  function capture(): CliIo & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
  }

  test("--version prints the version in package.json", async () => {
    const { version } = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      version: string;
    };
    const io = capture();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.stdout).toEqual([version]);
    expect(io.stderr).toEqual([]);
  });

  test("--help prints usage; bad flags and commands give clear errors and status 2", async () => {
    let io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/Usage: bucket-inventory <command>/);
    io = capture();
    expect(await main(["emulator", "--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/--credentials <id>:<secret>/);

    const cases: [string[], RegExp][] = [
      [[], /Usage/],
      [["serve"], /unknown command "serve"/],
      [["emulator", "--prot", "1"], /unknown option "--prot"/],
      [["emulator", "--port"], /--port needs a value/],
      [["emulator", "--port", "http"], /--port must be a whole number/],
      [["emulator", "--port", "70000"], /--port must be a whole number/],
      [["emulator", "--credentials", "nocolon"], /--credentials must be <id>:<secret>/],
      [["emulator", "--bucket", "a/b"], /--bucket needs a bucket name/],
      [["emulator", "--admin=yes"], /--admin takes no value/],
      [["emulator", "stray"], /unexpected argument "stray"/],
    ];
    for (const [argv, message] of cases) {
      io = capture();
      expect({ argv, code: await main(argv, io) }).toEqual({ argv, code: 2 });
      expect(io.stderr.join("\n")).toMatch(message);
    }
    // A malformed pair may still hold a secret: the error does not repeat it.
    for (const value of [":top-secret-value", "top-secret-value", "id-only:"]) {
      io = capture();
      expect(await main(["emulator", "--credentials", value], io)).toBe(2);
      expect(io.stderr.join("\n")).toMatch(/--credentials must be <id>:<secret>/);
      expect(io.stderr.join("\n")).not.toContain(value.replace(/:$/, ""));
    }
  });

  test("defaults, and --flag=value forms", () => {
    expect(parseEmulatorArgs([])).toEqual({
      host: "127.0.0.1",
      port: 9100,
      // COS buckets (name-appid) and OSS buckets (bare names), so the quick start's jobs on both clouds work.
      buckets: [
        "examplebucket-1250000000",
        "inventorybucket-1250000000",
        "examplebucket",
        "destination-bucket",
      ],
      credentials: [EMULATOR_DEFAULT_CREDENTIAL],
      admin: false,
    });
    expect(
      parseEmulatorArgs([
        "--port=0",
        "--bucket=a-1",
        "--bucket",
        "b-2",
        "--credentials=k:s:with:colons",
        "--admin",
      ]),
    ).toMatchObject({
      port: 0,
      buckets: ["a-1", "b-2"],
      credentials: [{ id: "k", secret: "s:with:colons" }],
      admin: true,
    });
  });

  test("in-process main: prints the listening line first, then stops cleanly on shutdown", async () => {
    let stop: (signal: string) => void = () => undefined;
    const io = {
      ...capture(),
      waitForShutdown: () => new Promise<string>((resolve) => (stop = resolve)),
    };
    const lines: string[] = [];
    const listening = new Promise<string>((resolve) => {
      io.out = (l) => {
        lines.push(l);
        if (lines.length === 1) resolve(l);
      };
    });
    const done = main(["emulator", "--port", "0", "--credentials", `${AK}:${SK}`], io);
    const first = await listening;
    expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.slice("listening on ".length);
    const r = await send(url, { method: "GET", path: "/_emulator/requests" });
    expect(r.status).toBe(404);
    stop("SIGTERM");
    expect(await done).toBe(0);
    expect(lines).toContain(`credentials: ${AK} (key ids only; secrets are not printed)`);
    expect(lines.filter((l) => l.includes(SK))).toEqual([]);
    expect(lines).toContain(
      "buckets: examplebucket-1250000000, inventorybucket-1250000000, examplebucket, destination-bucket",
    );
  });

  describe("as a child process (node dist/provider/cli/main.js)", () => {
    const cli = path.join(ROOT, "dist", "provider", "cli", "main.js");
    const children: ChildProcess[] = [];
    let dataDir: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "bi-emu-cli-"));
      // Build (incremental). Type errors elsewhere in the tree still emit JS; the
      // typecheck step reports them, so only a missing output fails here.
      await new Promise<void>((resolve) => {
        execFile("bash", ["tools/with-env.sh", "tsc", "-p", "tsconfig.build.json"], { cwd: ROOT }, () =>
          resolve(),
        );
      });
      expect(existsSync(cli)).toBe(true);
    }, 240_000);
    afterAll(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Starts the CLI and waits for its first stdout line. */
    async function startCli(
      args: string[],
    ): Promise<{ child: ChildProcess; url: string; lines: string[]; emu: RunningEmulator }> {
      const child = spawn(process.execPath, [cli, "emulator", ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      const lines: string[] = [];
      const stderr: string[] = [];
      child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
      const first = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.on("line", (l) => {
          lines.push(l);
          if (lines.length === 1) resolve(l);
        });
        child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${stderr.join("")}`)));
      });
      expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = first.slice("listening on ".length);
      const port = Number(new URL(url).port);
      // Just enough of RunningEmulator for the request helpers.
      const emu: RunningEmulator = {
        url,
        host: "127.0.0.1",
        port,
        store: undefined as never,
        close: async () => undefined,
      };
      return { child, url, lines, emu };
    }

    const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
          resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once("exit", (code, signal) => resolve({ code, signal }));
      });

    test("--help prints usage and exits 0", async () => {
      const child = spawn(process.execPath, [cli, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      expect(await exited(child)).toEqual({ code: 0, signal: null });
      expect(out).toMatch(/^Usage: bucket-inventory/);
    });

    test("acknowledged writes survive SIGKILL; a restarted emulator serves the same jobs; admin is off by default", async () => {
      const args = ["--port", "0", "--data", dataDir, "--bucket", BUCKET, "--credentials", `${AK}:${SK}`];
      const a = await startCli(args);
      expect(a.lines[0]).toBe(`listening on ${a.url}`);
      expect((await send(a.url, { method: "GET", path: "/_emulator/requests" })).status).toBe(404);

      const ids = Array.from({ length: 30 }, (_, i) => `persist-${i}`);
      const statuses = await Promise.all(ids.map(async (id) => (await put(a.emu, id)).status));
      expect(new Set(statuses)).toEqual(new Set([200]));
      const changed = encodeInventoryConfiguration(config("persist-0", { isEnabled: false }));
      expect((await put(a.emu, "persist-0", changed)).status).toBe(200);
      expect((await del(a.emu, "persist-29")).status).toBe(204);
      a.child.kill("SIGKILL");
      expect(await exited(a.child)).toEqual({ code: null, signal: "SIGKILL" });

      const b = await startCli([...args, "--admin"]);
      const page = decodeListPage((await list(b.emu)).body);
      expect(page.configurations.map((c) => c.id).sort()).toEqual(ids.slice(0, 29).sort());
      expect((await get(b.emu, "persist-0")).body).toBe(changed);
      expect((await get(b.emu, "persist-7")).body).toBe(encodeInventoryConfiguration(config("persist-7")));
      expect((await get(b.emu, "persist-29")).status).toBe(404);
      expect((await send(b.url, { method: "GET", path: "/_emulator/requests" })).status).toBe(200);

      b.child.kill("SIGTERM");
      expect(await exited(b.child)).toEqual({ code: 0, signal: null });
      expect(b.lines).toContain("SIGTERM: stopping");
    }, 60_000);

    test("secrets never appear in its output, the request log, error bodies or admin dumps", async () => {
      const other = { id: "AKIDSECONDKEY", secret: "second-Secret-Value" };
      const c = await startCli([
        "--port",
        "0",
        "--bucket",
        BUCKET,
        "--credentials",
        `${AK}:${SK}`,
        "--credentials",
        `${other.id}:${other.secret}`,
        "--admin",
      ]);
      let stderr = "";
      c.child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      const seen: string[] = [];
      expect((await put(c.emu, "cli-secret")).status).toBe(200);
      // Failures echo what the client sent (signature, resource), never the key it should have used.
      const wrong = await list(c.emu, undefined, { secretId: other.id, secretKey: SK });
      expectCosError(wrong, 403, "SignatureDoesNotMatch");
      seen.push(wrong.body, JSON.stringify(wrong.headers));
      for (const p of ["/_emulator/requests", "/_emulator/jobs", "/_emulator/faults"]) {
        const r = await send(c.url, { method: "GET", path: p });
        expect(r.status).toBe(200);
        seen.push(r.body);
      }
      c.child.kill("SIGTERM");
      expect(await exited(c.child)).toEqual({ code: 0, signal: null });
      expect(c.lines).toContain(`credentials: ${AK}, ${other.id} (key ids only; secrets are not printed)`);
      seen.push(...c.lines, stderr);
      for (const secret of [SK, other.secret]) {
        expect(seen.filter((text) => text.includes(secret))).toEqual([]);
      }
    }, 30_000);

    test("an address in use is reported with exit status 1", async () => {
      const blocker = await startEmulator({ port: 0, buckets: [BUCKET], credentials: [] });
      try {
        const child = spawn(process.execPath, [cli, "emulator", "--port", String(blocker.port)], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        expect(await exited(child)).toEqual({ code: 1, signal: null });
        expect(err).toMatch(/already in use/);
      } finally {
        await blocker.close();
      }
    });
  });
});
