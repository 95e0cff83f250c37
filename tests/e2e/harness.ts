/**
 * End-to-end harness: real `pulumi` commands on throwaway projects and stacks.
 *
 * Each {@link TestProject} lives in its own folder under `<repo>/.e2e/` (git-
 * ignored, inside the repository so Node resolves `@pulumi/pulumi` from the
 * repository's node_modules) with its own local file backend. Commands run the
 * project's Pulumi CLI (put on PATH by tools/env.sh, which `npm run test:e2e`
 * sources) and `--json` output is parsed. The project files, backend and
 * command lines come from `tests/support/pulumi-project.ts`, which the engine
 * benchmark uses too.
 */
import type { ChildProcessWithoutNullStreams } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  REPO_ROOT,
  type EngineOp,
  type EnvOverrides,
  engineArgs,
  runPulumi,
  stackInitArgs,
  stackRemoveArgs,
  startPulumi,
  writeProject,
} from "../support/pulumi-project";

/** Repository root. */
export const repoRoot = REPO_ROOT;

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
  env: EnvOverrides;

  private constructor(dir: string, stack: string, env: EnvOverrides) {
    this.dir = dir;
    this.stack = stack;
    this.env = env;
  }

  /** Writes the project, creates its backend and stack, and sets config. */
  static async create(opts: ProjectOptions): Promise<TestProject> {
    const base = opts.parent ?? path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `${opts.name}-`));
    const backend = writeProject(dir, {
      name: opts.name,
      typescript: true,
      main: "index.ts",
      dependencies: opts.dependencies,
    });
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
    const stack = opts.stack ?? "test";
    // The provider's journal (see provider/engine/journal.ts) is per project unless a test shares one,
    // as stacks on one machine do, by setting BUCKET_INVENTORY_JOURNAL_DIR itself.
    const project = new TestProject(dir, stack, {
      BUCKET_INVENTORY_JOURNAL_DIR: path.join(dir, ".journal"),
      ...opts.env,
      ...backend,
    });
    await project.must(stackInitArgs(stack));
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      await project.must(["config", "set", k, v]);
    }
    for (const [k, v] of Object.entries(opts.secretConfig ?? {})) {
      await project.must(["config", "set", "--secret", k, v]);
    }
    return project;
  }

  /** Runs `pulumi <args>` in the project; never throws on a non-zero exit. */
  async run<T = unknown>(args: string[]): Promise<CommandResult<T>> {
    const r = await runPulumi(this.dir, this.env, args);
    return { ...r, json: parseJsonOutput(r.stdout) as T | undefined };
  }

  /** Starts `pulumi <args>` in the project without waiting, for tests that signal the CLI themselves. */
  start(args: string[]): ChildProcessWithoutNullStreams {
    return startPulumi(this.dir, this.env, args);
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
    return this.engine("up", extra);
  }

  /** `pulumi refresh --yes --json`. */
  refresh(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.engine("refresh", extra);
  }

  /** `pulumi destroy --yes --json`. */
  destroy(...extra: string[]): Promise<CommandResult<EngineResult>> {
    return this.engine("destroy", extra);
  }

  /** `pulumi <op> --yes --json --skip-preview` on this stack. */
  private engine(op: EngineOp, extra: readonly string[]): Promise<CommandResult<EngineResult>> {
    return this.run<EngineResult>(engineArgs(op, this.stack, { json: true, extra }));
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
    await this.run(stackRemoveArgs(this.stack));
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

/** Resources of a given type in a stack export. */
export function resourcesOfType(
  state: StackExport,
  type: string,
): NonNullable<StackExport["deployment"]["resources"]> {
  return (state.deployment.resources ?? []).filter((r) => r.type === type);
}
