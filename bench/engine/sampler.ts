/**
 * Watching a pulumi command's process tree through Linux `/proc`: which
 * processes it started (engine, program, dynamic provider), each one's peak
 * resident memory (`VmHWM`) and CPU ticks.
 */
import * as fs from "fs";

/** How often the process tree is sampled, in ms. */
export const SAMPLE_MS = 100;

/** Kinds of process in a pulumi command's tree. */
export type ProcKind = "engine" | "program" | "provider" | "other";

/** What the sampler learnt about one process. */
export interface ProcInfo {
  /** What the process is, by its arguments. */
  kind: ProcKind;
  /** Its command line, space-separated (for `--keep`'s process list). */
  argv: string;
  /** Last seen `VmHWM` (peak RSS), KiB. */
  hwmKiB: number;
  /** Last seen user + system CPU, clock ticks. */
  cpuTicks: number;
}

/**
 * Classifies a process of the tree by its arguments. The provider is the Node
 * process running `@pulumi/pulumi/cmd/dynamic-provider`; its launcher (the
 * `pulumi-resource-pulumi-nodejs` shell script, and the `node -e` that
 * resolves the script's path) counts as `other`.
 */
function classify(pid: number, root: number, argv: readonly string[]): ProcKind {
  if (pid === root) return "engine";
  if (argv.includes("-e")) return "other";
  if (argv.some((a) => /[/\\]cmd[/\\]dynamic-provider([/\\]index\.js)?$/.test(a))) return "provider";
  if (argv.some((a) => /pulumi-language-nodejs$|[/\\]cmd[/\\]run([/\\]index\.js)?$/.test(a)))
    return "program";
  return "other";
}

/** Reads `/proc/<pid>/stat`: parent pid and user + system CPU ticks. */
function readStat(pid: string): { ppid: number; cpuTicks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

/** Reads `VmHWM` from `/proc/<pid>/status`, KiB (undefined once the process is gone or a zombie). */
function readHwm(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One sample: finds the descendants of `root` and updates their peaks and CPU. */
export function sampleTree(root: number, procs: Map<number, ProcInfo>): void {
  const children = new Map<number, number[]>();
  const stats = new Map<number, { ppid: number; cpuTicks: number }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(name);
    if (!s) continue;
    const pid = Number(name);
    stats.set(pid, s);
    const list = children.get(s.ppid);
    if (list) list.push(pid);
    else children.set(s.ppid, [pid]);
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    const s = stats.get(pid);
    if (s) {
      let info = procs.get(pid);
      if (!info) {
        let argv: string[] = [];
        try {
          argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        } catch {
          // Gone already.
        }
        info = { kind: classify(pid, root, argv), argv: argv.join(" "), hwmKiB: 0, cpuTicks: 0 };
        procs.set(pid, info);
      }
      info.cpuTicks = Math.max(info.cpuTicks, s.cpuTicks);
      const hwm = readHwm(pid);
      if (hwm !== undefined) info.hwmKiB = Math.max(info.hwmKiB, hwm);
    }
    queue.push(...(children.get(pid) ?? []));
  }
}
