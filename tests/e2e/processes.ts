/**
 * Process helpers for the crash and lifetime tests, through Linux `/proc`:
 * the processes below a PID (recorded with their start time, so a reused PID
 * is never taken for the same process), whether a recorded one still runs,
 * and killing them the way a crash would.
 */
import type { ChildProcess } from "child_process";
import * as fs from "fs";

/** One process as `/proc` shows it. */
export interface Proc {
  /** Process id. */
  pid: number;
  /** Parent process id. */
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names the process even if the pid is reused. */
  start: string;
  /** `R`, `S`, `Z`, ...: a zombie has ended, it only waits for its new parent to reap it. */
  state: string;
  /** Command line. */
  args: string[];
}

/** One process, or undefined when it is gone. */
export function readProc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ... starttime(22nd field)"; comm may hold spaces.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return { pid, ppid: Number(rest[1]), start: rest[19], state: rest[0], args };
  } catch {
    return undefined;
  }
}

/** Every process below `root`. */
export function descendants(root: number): Proc[] {
  const all = fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined);
  const found: Proc[] = [];
  const parents = new Set([root]);
  // Parents before children is not guaranteed in /proc order: repeat until nothing new.
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Whether the very process recorded as `p` still runs. */
export function running(p: Proc): boolean {
  const now = readProc(p.pid);
  return now !== undefined && now.start === p.start && now.state !== "Z";
}

/** A process for messages: pid and command line. */
export function show(p: Proc): string {
  return `${p.pid} ${p.args.join(" ")}`;
}

/** Whether a process is `@pulumi/pulumi`'s dynamic-provider host (where our provider runs). */
export function isDynamicProvider(p: Proc): boolean {
  return p.args.some((a) => /[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(a));
}

/** Sends SIGKILL to each recorded process that still runs. */
export function kill9(procs: Proc[]): void {
  for (const p of procs) {
    if (running(p)) process.kill(p.pid, "SIGKILL");
  }
}

/** Polls `cond` every 250 ms until it holds or `timeoutMs` passes; resolves with its last answer. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return cond();
}

/** Like {@link until}, but fails naming `what` when the time runs out. */
export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  if (!(await until(cond, timeoutMs))) throw new Error(`timed out waiting for ${what}`);
}

/** Resolves with a child's exit code (or -1 when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on("close", (code) => resolve(code ?? -1));
  });
}
