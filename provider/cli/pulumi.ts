/**
 * The Pulumi CLI as the discovery commands use it: `pulumi stack export` (to
 * see what a stack manages), `pulumi config --json --show-secrets` (only when
 * the user asks for a stack's credentials; values are never printed) and
 * `pulumi import --file` (for `import --run`). `pulumi` is found on PATH.
 */
import { spawn } from "child_process";
import type { ConfigSource } from "../engine/settings";
import { type ManagedJob, managedJobs } from "../discovery/state";

/** What a finished `pulumi` command printed. */
export interface PulumiRun {
  /** Exit code (-1 when a signal ended it). */
  code: number;
  /** stdout. */
  stdout: string;
  /** stderr. */
  stderr: string;
}

/** Runs `pulumi --non-interactive <args>` in `cwd`, collecting its output. */
export function runPulumiCli(args: readonly string[], cwd: string): Promise<PulumiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", ["--non-interactive", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new Error("the Pulumi CLI (`pulumi`) is not on PATH; install it or add it to PATH")
          : e,
      ),
    );
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The last lines of a failed command's output, for an error message. */
function tail(r: PulumiRun): string {
  return (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-5).join("\n");
}

/** The inventory jobs stack `stack` of the project in `cwd` manages (`pulumi stack export`). */
export async function stackJobs(stack: string, cwd: string): Promise<ManagedJob[]> {
  const r = await runPulumiCli(["stack", "export", "--stack", stack], cwd);
  if (r.code !== 0) {
    throw new Error(
      `\`pulumi stack export --stack ${stack}\` in ${cwd} failed (exit ${r.code}): ${tail(r)}\n` +
        `Check the stack name (\`pulumi stack ls\`), pass the project folder with --cwd, and log in to its backend.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    throw new Error(`\`pulumi stack export --stack ${stack}\` printed no JSON`);
  }
  return managedJobs(parsed, stack);
}

/**
 * Stack `stack`'s config as a {@link ConfigSource}, secrets decrypted
 * (`pulumi config --json --show-secrets`). Only called when the user asks
 * for it (`--stack-credentials`); the values stay in this process.
 */
export async function stackConfig(stack: string, cwd: string): Promise<ConfigSource> {
  const r = await runPulumiCli(["config", "--json", "--show-secrets", "--stack", stack], cwd);
  if (r.code !== 0) {
    throw new Error(
      `\`pulumi config --stack ${stack}\` in ${cwd} failed (exit ${r.code}): ${tail(r)}\n` +
        `Check the stack name and --cwd; a passphrase stack needs PULUMI_CONFIG_PASSPHRASE.`,
    );
  }
  const values = new Map<string, string>();
  const doc = JSON.parse(r.stdout) as Record<string, { value?: unknown }>;
  for (const [key, entry] of Object.entries(doc)) {
    if (typeof entry?.value === "string") values.set(key, entry.value);
  }
  return { get: (key) => values.get(key) };
}

/** The `pulumi import` arguments for `file` (absolute) into `stack`, as `import --run` runs and prints them. */
export function pulumiImportArgs(file: string, stack: string | undefined, yes: boolean): string[] {
  return [
    "import",
    "--file",
    file,
    // The dynamic provider has no schema, so code generation fails after the import was written.
    "--generate-code=false",
    // A protected resource cannot be destroyed until unprotected.
    "--protect=false",
    ...(stack ? ["--stack", stack] : []),
    ...(yes ? ["--yes"] : []),
  ];
}
