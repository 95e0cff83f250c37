/**
 * Helpers shared by the e2e suites: writing programs, reading engine results,
 * and a pool of throwaway projects pointed at the test emulator.
 */
import { E2E_CREDENTIALS, E2eEmulator } from "./emulator";
import { EngineResult, ProjectOptions, TestProject } from "./harness";

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

  /** Creates a project whose commands reach the emulator (`env` and `opts` add to or override that). */
  async create(
    emu: E2eEmulator,
    name: string,
    prog: string,
    env: Record<string, string> = {},
    opts: Partial<ProjectOptions> = {},
  ): Promise<TestProject> {
    const p = await TestProject.create({
      name,
      program: prog,
      ...opts,
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
