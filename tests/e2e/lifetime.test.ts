/**
 * Processes the engine starts must not outlive it: after `kill -9` of
 * `pulumi up` in the middle of a cloud call, the language host, the program it
 * runs and the dynamic-provider process all end on their own.
 *
 * Processes are found through Linux `/proc` (descendants of the CLI, recorded
 * before the kill, since orphans are re-parented away from it; see ./processes).
 */
import { E2eEmulator } from "./emulator";
import { Proc, descendants, isDynamicProvider, running, show, until } from "./processes";
import { ProjectPool, jobProgram } from "./support";

describe("process lifetime on the real engine", () => {
  let emu: E2eEmulator;
  const projects = new ProjectPool();
  // Everything the test saw below the CLI, so no stray survives a failure.
  const recorded: Proc[] = [];

  beforeAll(async () => {
    emu = await E2eEmulator.start();
  });

  afterAll(async () => {
    for (const p of recorded) {
      if (running(p)) {
        process.kill(p.pid, "SIGKILL");
      }
    }
    await projects.disposeAll();
    await emu.stop();
  });

  it("ends the language host, the program and the dynamic provider after kill -9 of pulumi up", async () => {
    const p = await projects.create(
      emu,
      "lifetime",
      jobProgram(
        "cos",
        `{ bucket: "examplebucket-1250000000", region: "ap-guangzhou", schedule: { frequency: "Daily" },
          destination: { bucket: "inventorybucket-1250000000" } }`,
      ),
    );
    // The create's PUT hangs, so the provider is busy in a cloud call when the
    // engine dies. Not longer: the emulator's delay timer holds jest at exit.
    await emu.fault({ match: { operation: "put" }, latencyMs: 30_000, count: 1 });

    const cli = p.start(["up", "--yes", "--skip-preview", "--stack", p.stack]);
    let printed = "";
    cli.stdout.on("data", (d: Buffer) => (printed += d.toString()));
    cli.stderr.on("data", (d: Buffer) => (printed += d.toString()));
    const exited = new Promise<void>((resolve) => cli.once("exit", () => resolve()));
    const pid = cli.pid!;

    // The fault leaves the queue when the PUT takes it (the request log only
    // has the PUT once it is answered).
    const reached = await until(
      async () => (await emu.pendingFaults()).length === 0 || cli.exitCode !== null,
      120_000,
    );
    expect({ reached, exitCode: cli.exitCode, printed }).toMatchObject({ reached: true, exitCode: null });

    recorded.push(...descendants(pid));
    const hosts = recorded.filter((x) => x.args.some((a) => /(^|\/)pulumi-language-nodejs$/.test(a)));
    const programs = recorded.filter((x) => x.args.some((a) => /[\\/]cmd[\\/]run$/.test(a)));
    const providers = recorded.filter(isDynamicProvider);
    const watched = [...hosts, ...programs, ...providers];
    expect({
      hosts: hosts.length,
      programs: programs.length,
      providers: providers.length,
    }).toEqual({ hosts: 1, programs: 1, providers: 1 });
    expect(watched.filter((x) => !running(x)).map(show)).toEqual([]);

    process.kill(pid, "SIGKILL");
    await exited;

    // Generous: the host checks every second, the provider every second and gives up after two misses.
    await until(() => watched.every((x) => !running(x)), 60_000);
    expect(watched.filter(running).map(show)).toEqual([]);
  });
});
