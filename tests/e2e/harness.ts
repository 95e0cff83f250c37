/**
 * End-to-end harness: real `pulumi` commands on throwaway projects and stacks.
 *
 * Each {@link TestProject} lives in its own folder under `<repo>/.e2e/` (git-
 * ignored, inside the repository so Node resolves `@pulumi/pulumi` from the
 * repository's node_modules) with its own local file backend. Commands run the
 * project's Pulumi CLI (put on PATH by tools/env.sh, which `npm run test:e2e`
 * sources) and `--json` output is parsed.
 */
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Repository root. */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** One engine step from `--json` output. */
export interface EngineStep {
  /** `create`, `update`, `same`, `delete`, `replace`, `refresh`, `read`, `import`, ... */
  op: string;
  /** The resource URN. */
  urn: string;
  /** Property names that differ, when the engine reports them. */
  diffReasons?: string[];
  /** Detailed diff, keyed by property path. */
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
  /** State before the step. */
  oldState?: {
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  };
  /** State after the step. */
  newState?: {
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  };
}

/** The JSON document `pulumi preview|up|refresh|destroy --json` prints. */
export interface EngineResult {
  /** Steps the engine took or would take. */
  steps?: EngineStep[];
  /** Counts per operation, e.g. `{ create: 2 }`. */
  changeSummary?: Record<string, number>;
  /** Diagnostics, when the engine reports them in JSON. */
  diagnostics?: { message: string; severity: string; urn?: string }[];
  /** Stack outputs after the operation. */
  outputs?: Record<string, unknown>;
}

/** What a command did. */
export interface CommandResult<T> {
  /** Process exit code. */
  code: number;
  /** Everything printed on stdout. */
  stdout: string;
  /** Everything printed on stderr. */
  stderr: string;
  /** Parsed stdout, when it was JSON. */
  json?: T;
}

/** Options for {@link TestProject.create}. */
export interface ProjectOptions {
  /** Project name (also the folder prefix). */
  name: string;
  /** The TypeScript program (`index.ts`). */
  program: string;
  /** Extra files, relative path → content. */
  files?: Record<string, string>;
  /** Stack name; default `test`. */
  stack?: string;
  /** Plain stack config. */
  config?: Record<string, string>;
  /** Secret stack config. */
  secretConfig?: Record<string, string>;
  /** Environment for every command (added to the inherited one). */
  env?: Record<string, string | undefined>;
  /** Packages to link into the project's node_modules: name → absolute folder. */
  links?: Record<string, string>;
  /** Folder to create the project folder in; default `<repo>/.e2e`. */
  parent?: string;
  /** Dependencies for the project's package.json (installed by the test, not here). */
  dependencies?: Record<string, string>;
}

/** A throwaway Pulumi project with one stack. */
export class TestProject {
  /** The project folder. */
  readonly dir: string;
  /** The stack name. */
  readonly stack: string;
  /** Extra environment for commands; tests may change it between commands. */
  env: Record<string, string | undefined>;

  private constructor(dir: string, stack: string, env: Record<string, string | undefined>) {
    this.dir = dir;
    this.stack = stack;
    this.env = env;
  }

  /** Writes the project, creates its backend and stack, and sets config. */
  static async create(opts: ProjectOptions): Promise<TestProject> {
    const base = opts.parent ?? path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `${opts.name}-`));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: ${opts.name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    // Its own package.json, so the run script does not take the repository's
    // package.json (and its `main`) as the program.
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify(
        { name: opts.name, private: true, main: "index.ts", dependencies: opts.dependencies },
        null,
        2,
      ),
    );
    fs.writeFileSync(path.join(dir, "index.ts"), opts.program);
    for (const [rel, content] of Object.entries(opts.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    for (const [name, target] of Object.entries(opts.links ?? {})) {
      const link = path.join(dir, "node_modules", name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(target, link, "dir");
    }
    const backend = path.join(dir, ".state");
    fs.mkdirSync(backend);
    const stack = opts.stack ?? "test";
    // The provider's journal (see provider/resource/journal.ts) is per project unless a test shares one,
    // as stacks on one machine do, by setting BUCKET_INVENTORY_JOURNAL_DIR itself.
    const project = new TestProject(dir, stack, {
      BUCKET_INVENTORY_JOURNAL_DIR: path.join(dir, ".journal"),
      ...opts.env,
      PULUMI_BACKEND_URL: `file://${backend}`,
    });
    await project.must(["stack", "init", stack]);
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      await project.must(["config", "set", k, v]);
    }
    for (const [k, v] of Object.entries(opts.secretConfig ?? {})) {
      await project.must(["config", "set", "--secret", k, v]);
    }
    return project;
  }

  /** Runs `pulumi <args>` in the project; never throws on a non-zero exit. */
  run<T = unknown>(args: string[]): Promise<CommandResult<T>> {
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", ["--non-interactive", ...args], {
        cwd: this.dir,
        env: cleanEnv({ ...process.env, ...this.env }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        resolve({ code: code ?? -1, stdout, stderr, json: parseJsonOutput(stdout) as T | undefined });
      });
    });
  }

  /** Starts `pulumi <args>` in the project without waiting, for tests that signal the CLI themselves. */
  start(args: string[]): ChildProcessWithoutNullStreams {
    return spawn("pulumi", ["--non-interactive", ...args], {
      cwd: this.dir,
      env: cleanEnv({ ...process.env, ...this.env }),
    });
  }

  /** Runs `pulumi <args>` and throws with the output when it fails. */
  async must<T = unknown>(args: string[]): Promise<CommandResult<T>> {
    const r = await this.run<T>(args);
    if (r.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
      );
    }
    return r;
  }

  /** `pulumi preview --json`. */
  preview(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.run<EngineResult>(["preview", "--json", "--stack", this.stack, ...extra]);
  }

  /** `pulumi up --yes --json`. */
  up(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.run<EngineResult>([
      "up",
      "--yes",
      "--json",
      "--skip-preview",
      "--stack",
      this.stack,
      ...extra,
    ]);
  }

  /** `pulumi refresh --yes --json`. */
  refresh(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.run<EngineResult>([
      "refresh",
      "--yes",
      "--json",
      "--skip-preview",
      "--stack",
      this.stack,
      ...extra,
    ]);
  }

  /** `pulumi destroy --yes --json`. */
  destroy(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.run<EngineResult>([
      "destroy",
      "--yes",
      "--json",
      "--skip-preview",
      "--stack",
      this.stack,
      ...extra,
    ]);
  }

  /** `pulumi stack export`, parsed; with `showSecrets`, secrets in plain text. */
  async exportStack(showSecrets = false): Promise<StackExport> {
    const args = ["stack", "export", "--stack", this.stack];
    if (showSecrets) {
      args.push("--show-secrets");
    }
    const r = await this.must<StackExport>(args);
    if (!r.json) {
      throw new Error(`stack export printed no JSON: ${r.stdout}`);
    }
    return r.json;
  }

  /** `pulumi stack import` of a (possibly edited) export. */
  async importStack(state: StackExport): Promise<void> {
    const file = path.join(this.dir, ".import.json");
    fs.writeFileSync(file, JSON.stringify(state));
    await this.must(["stack", "import", "--stack", this.stack, "--file", file]);
  }

  /** Replaces the program. */
  writeProgram(program: string): void {
    fs.writeFileSync(path.join(this.dir, "index.ts"), program);
  }

  /** Removes the stack (forcefully) and the folder. */
  async dispose(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force", "--stack", this.stack]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
  /** Export format version. */
  version: number;
  /** The checkpoint. */
  deployment: {
    /** CLI manifest. */
    manifest?: { version?: string };
    /** Resources in state. */
    resources?: {
      urn: string;
      type: string;
      id?: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }[];
  };
}

/**
 * `pulumi preview --json` prints one JSON document; `up`, `refresh` and
 * `destroy` with `--json --skip-preview` print engine events, one per line.
 * Both become an {@link EngineResult} (other commands' JSON is returned as is).
 */
export function parseJsonOutput(stdout: string): unknown {
  const trimmed = stdout.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
    return undefined;
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    // Not one document: an event stream.
  }
  const result: EngineResult = { steps: [], diagnostics: [] };
  for (const line of trimmed.split("\n")) {
    if (!line.startsWith("{")) {
      continue;
    }
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      continue;
    }
    const meta = event.resourcePreEvent?.metadata;
    if (meta) {
      result.steps!.push({
        op: meta.op,
        urn: meta.urn,
        diffReasons: meta.diffs,
        detailedDiff: meta.detailedDiff ?? null,
        oldState: meta.old ?? undefined,
        newState: meta.new ?? undefined,
      });
    }
    const diag = event.diagnosticEvent;
    if (diag && diag.severity !== "debug") {
      result.diagnostics!.push({ message: diag.message, severity: diag.severity, urn: diag.urn });
    }
    if (event.summaryEvent) {
      result.changeSummary = event.summaryEvent.resourceChanges;
    }
  }
  return result;
}

/** The engine events {@link parseJsonOutput} reads. */
interface EngineEvent {
  resourcePreEvent?: {
    metadata: {
      op: string;
      urn: string;
      diffs?: string[];
      detailedDiff?: EngineStep["detailedDiff"];
      old?: EngineStep["oldState"] | null;
      new?: EngineStep["newState"] | null;
    };
  };
  diagnosticEvent?: { message: string; severity: string; urn?: string };
  summaryEvent?: { resourceChanges: Record<string, number> };
}

/** Drops undefined values, which `spawn` would pass as the string "undefined". */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined) {
      out[k] = v;
    }
  }
  return out;
}

/** Resources of a given type in a stack export. */
export function resourcesOfType(
  state: StackExport,
  type: string,
): NonNullable<StackExport["deployment"]["resources"]> {
  return (state.deployment.resources ?? []).filter((r) => r.type === type);
}
