/**
 * Process helpers for the crash tests: the descendants of a process, found
 * through /proc, and killing them the way a crash would.
 */
import * as fs from "fs";

/** A running process: its PID and command line. */
export interface ProcessInfo {
  /** Process id. */
  pid: number;
  /** Command line, arguments joined by spaces. */
  cmdline: string;
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name (field 2) is in parentheses and may hold spaces; the parent follows the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Every live descendant of `root`. */
export function descendants(root: number): ProcessInfo[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push({ pid: child, cmdline: cmdlineOf(child) });
      queue.push(child);
    }
  }
  return out;
}

/** Whether a process is still running (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** The dynamic-provider processes (our provider runs in them) started under `root`. */
export function dynamicProviders(root: number): ProcessInfo[] {
  return descendants(root).filter((p) => p.cmdline.includes("dynamic-provider"));
}

/** Sends SIGKILL, ignoring processes that are already gone. */
export function kill9(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Polls `condition` every 100 ms until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with a child's exit code (or -1 when a signal ended it). */
export function exitOf(child: import("child_process").ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on("close", (code) => resolve(code ?? -1));
  });
}
