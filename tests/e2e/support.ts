/**
 * Helpers shared by the e2e suites: writing programs, reading engine results,
 * a pool of throwaway projects pointed at the test emulator, and
 * {@link emulatorSuite}, the emulator-and-projects setup of a describe block.
 */
import * as path from "path";
import { type EnvOverrides, type PulumiOutput, runProcess } from "../support/pulumi-project";
import { E2E_CREDENTIALS, E2eEmulator } from "./emulator";
import { EngineResult, ProjectOptions, TestProject, repoRoot } from "./harness";

/** A TypeScript program importing Pulumi and this package, then `body`. */
export function program(body: string): string {
  return `import * as pulumi from "@pulumi/pulumi";\nimport * as inventory from "pulumi-bucket-inventory";\n${body}\n`;
}

/** A program with one `inventory.<cloud>.BucketInventory` named `name`, exporting its id. */
export function jobProgram(cloud: "cos" | "oss", args: string, name = "daily", extra = ""): string {
  return program(`const job = new inventory.${cloud}.BucketInventory(${JSON.stringify(name)}, ${args});
export const id = job.id;
${extra}`);
}

/** The engine's change summary, e.g. `{ create: 2 }`. */
export function summary(r: { json?: EngineResult }): Record<string, number> {
  return r.json?.changeSummary ?? {};
}

/** Everything a command printed, diagnostics included, for message assertions. */
export function output(r: { stdout: string; stderr: string; json?: EngineResult }): string {
  return `${r.stdout}\n${r.stderr}\n${(r.json?.diagnostics ?? []).map((d) => d.message).join("\n")}`;
}

/** Environment pointing both clouds' credentials and endpoints at the e2e emulator. */
export function emulatorEnv(emu: E2eEmulator): Record<string, string> {
  return {
    TENCENTCLOUD_SECRET_ID: E2E_CREDENTIALS.id,
    TENCENTCLOUD_SECRET_KEY: E2E_CREDENTIALS.secret,
    BUCKET_INVENTORY_COS_ENDPOINT: emu.url,
    ALICLOUD_ACCESS_KEY: E2E_CREDENTIALS.id,
    ALICLOUD_SECRET_KEY: E2E_CREDENTIALS.secret,
    BUCKET_INVENTORY_OSS_ENDPOINT: emu.url,
  };
}

/** Projects created by a suite, disposed of together. */
export class ProjectPool {
  private readonly projects: TestProject[] = [];

  /**
   * Creates a project whose commands reach the emulator (`env` and `opts` add to or override that). The
   * project links this checkout as `pulumi-bucket-inventory`, so both the program and the provider process
   * (which resolves the package from the project folder) run this checkout's build even when its
   * node_modules is a symlink to another checkout's, where the package's self-link points there.
   */
  async create(
    emu: E2eEmulator,
    name: string,
    prog: string,
    env: Record<string, string | undefined> = {},
    opts: Partial<ProjectOptions> = {},
  ): Promise<TestProject> {
    const p = await TestProject.create({
      name,
      program: prog,
      ...opts,
      links: { "pulumi-bucket-inventory": repoRoot, ...opts.links },
      env: { ...emulatorEnv(emu), ...env },
    });
    this.projects.push(p);
    return p;
  }

  /** Disposes of every project. */
  async disposeAll(): Promise<void> {
    for (const p of this.projects.splice(0)) {
      await p.dispose();
    }
  }
}

/** What {@link emulatorSuite} gives a describe block. */
export interface EmulatorSuite {
  /** The suite's emulator; started in `beforeAll`, so read it inside tests and hooks only. */
  readonly emu: E2eEmulator;
  /** The suite's projects, disposed of in `afterAll`. */
  readonly projects: ProjectPool;
  /** Creates a project whose commands reach the emulator (see {@link ProjectPool.create}). */
  project(
    name: string,
    prog: string,
    env?: Record<string, string | undefined>,
    opts?: Partial<ProjectOptions>,
  ): Promise<TestProject>;
}

/**
 * Registers the hooks every e2e describe block repeated: start an emulator
 * before all tests, dispose of the projects and stop it after them, and (unless
 * `resetEach` is false) clear its jobs, log and faults before each test.
 */
export function emulatorSuite({ resetEach = true }: { resetEach?: boolean } = {}): EmulatorSuite {
  let started: E2eEmulator | undefined;
  const projects = new ProjectPool();
  const emu = (): E2eEmulator => {
    if (!started) throw new Error("the suite's emulator is started in beforeAll; use it inside tests");
    return started;
  };
  beforeAll(async () => {
    started = await E2eEmulator.start();
  });
  afterAll(async () => {
    await projects.disposeAll();
    await started?.stop();
  });
  if (resetEach) {
    beforeEach(async () => {
      await emu().reset();
    });
  }
  return {
    get emu() {
      return emu();
    },
    projects,
    project: (name, prog, env = {}, opts = {}) => projects.create(emu(), name, prog, env, opts),
  };
}

/**
 * Runs the built `bucket-inventory` command (`dist/provider/cli/main.js`) in
 * `cwd` with `env` added, without blocking: the suites' emulator answers from
 * this process, so a synchronous spawn would deadlock.
 */
export function runBucketInventory(
  args: readonly string[],
  cwd: string,
  env: EnvOverrides,
): Promise<PulumiOutput> {
  return runProcess(process.execPath, [path.join(repoRoot, "dist/provider/cli/main.js"), ...args], cwd, env);
}
