/**
 * Throwaway Pulumi projects, shared by the e2e harness (`tests/e2e/harness.ts`)
 * and the engine benchmark (`bench/engine.ts`): the project files, one local
 * file backend per project, the environment of its commands, the command
 * lines, and running the `pulumi` CLI. One definition, so the benchmark
 * measures projects made the way the tests check them.
 *
 * The CLI on PATH, PULUMI_HOME, the passphrase and the offline switches come
 * from the environment `tools/with-env.sh` sets (`tools/env.sh`); this module
 * adds only what is per project. It uses no jest, so the benchmark's build
 * (`tsconfig.bench.json`) compiles it too.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The package whose checkout this is; its package.json marks the repository root. */
const PACKAGE_NAME = "pulumi-bucket-inventory";

/** The nearest folder at or above `from` holding this package's package.json. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
  }
}

/**
 * The repository root. Found by walking up rather than by a fixed `..`, because
 * this file runs both from `tests/support/` (jest) and from
 * `dist/tests/support/` (the compiled benchmark).
 */
export const REPO_ROOT = findRepoRoot(__dirname);

/** Environment entries for a command; an undefined entry removes an inherited variable. */
export type EnvOverrides = Record<string, string | undefined>;

/** What {@link writeProject} writes. */
export interface ProjectSpec {
  /** Project name, in `Pulumi.yaml` and `package.json`. */
  name: string;
  /** Whether Pulumi runs the program through TypeScript (`true`) or as plain JavaScript. */
  typescript: boolean;
  /** The program's entry file, relative to the project folder (`package.json` `main`). */
  main: string;
  /** Dependencies for `package.json` (installed by the caller, if at all). */
  dependencies?: Record<string, string>;
}

/**
 * Writes `Pulumi.yaml` and `package.json` into `dir` and creates the project's
 * own file backend, `<dir>/.state`; returns the environment entry that points
 * commands at that backend.
 */
export function writeProject(dir: string, spec: ProjectSpec): { PULUMI_BACKEND_URL: string } {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${spec.name}\nruntime:\n  name: nodejs\n  options:\n    typescript: ${spec.typescript}\n`,
  );
  // Its own package.json, so the run script does not take the repository's
  // package.json (and its `main`) as the program. `@pulumi/pulumi` and
  // `pulumi-bucket-inventory` (a self-link) resolve from the repository's
  // node_modules, above the project folder.
  const manifest = { name: spec.name, private: true, main: spec.main, dependencies: spec.dependencies };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  const backend = path.join(dir, ".state");
  fs.mkdirSync(backend, { recursive: true });
  return { PULUMI_BACKEND_URL: `file://${backend}` };
}

/** The inherited environment with `overrides` on top; undefined entries are dropped (spawn would pass "undefined"). */
export function commandEnv(overrides: EnvOverrides): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...overrides })) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The engine operations that change a stack. */
export type EngineOp = "up" | "refresh" | "destroy";

/** Options of {@link engineArgs}. */
export interface EngineArgsOptions {
  /** Print engine events as JSON lines (`--json`). */
  json?: boolean;
  /** Further arguments, after the stack. */
  extra?: readonly string[];
}

/** The arguments of `pulumi <op>` on `stack`: no prompt, no preview first. */
export function engineArgs(op: EngineOp, stack: string, options: EngineArgsOptions = {}): string[] {
  const json = options.json ? ["--json"] : [];
  return [op, "--yes", ...json, "--skip-preview", "--stack", stack, ...(options.extra ?? [])];
}

/** The arguments of `pulumi stack init <stack>`. */
export function stackInitArgs(stack: string): string[] {
  return ["stack", "init", stack];
}

/** The arguments that remove `stack` whatever it still holds. */
export function stackRemoveArgs(stack: string): string[] {
  return ["stack", "rm", "--yes", "--force", "--stack", stack];
}

/** The CLI's arguments: never prompt, whatever the terminal. */
function cliArgs(args: readonly string[]): string[] {
  return ["--non-interactive", ...args];
}

/** Starts `pulumi <args>` in `cwd` without waiting; stdin, stdout and stderr are pipes. */
export function startPulumi(
  cwd: string,
  env: EnvOverrides,
  args: readonly string[],
): ChildProcessWithoutNullStreams {
  return spawn("pulumi", cliArgs(args), { cwd, env: commandEnv(env) });
}

/**
 * Starts `pulumi <args>` in `cwd` with stdout and stderr written to the open
 * file `fd` (interleaved, as a terminal shows them), so long outputs do not
 * pass through this process.
 */
export function startPulumiLogged(
  cwd: string,
  env: EnvOverrides,
  args: readonly string[],
  fd: number,
): ChildProcess {
  return spawn("pulumi", cliArgs(args), { cwd, env: commandEnv(env), stdio: ["ignore", fd, fd] });
}

/** What a finished command printed. */
export interface PulumiOutput {
  /** Exit code; -1 when a signal ended it. */
  code: number;
  /** Everything printed on stdout. */
  stdout: string;
  /** Everything printed on stderr. */
  stderr: string;
}

/** Runs `file <args>` in `cwd` with `env` added, to its end; never rejects on a non-zero exit. */
export function runProcess(
  file: string,
  args: readonly string[],
  cwd: string,
  env: EnvOverrides,
): Promise<PulumiOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: commandEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `pulumi <args>` in `cwd` to its end; never rejects on a non-zero exit. */
export function runPulumi(cwd: string, env: EnvOverrides, args: readonly string[]): Promise<PulumiOutput> {
  return runProcess("pulumi", cliArgs(args), cwd, env);
}
