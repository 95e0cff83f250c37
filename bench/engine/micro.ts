/**
 * The runtime micro-benchmark's driver: runs `bench/programs/micro.ts` (built)
 * in a separate Node process under a V8 CPU profile against the emulator, and
 * sorts the profile's self time by kind of code.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RunningEmulator } from "../../provider/emulator/server";
import { commandEnv } from "../../tests/support/pulumi-project";
import { BENCH_BUCKET, resetEmulator } from "../common";
import type { MicroResult } from "./model";
import { cosEmulatorEnv } from "./projects";

/** What kind of code a V8 profile node is, by its script and function. */
function codeKind(url: string, fn: string): string | undefined {
  if (fn === "(idle)") return undefined;
  if (fn === "(garbage collector)") return "garbage collection";
  if (/[/\\]axios[/\\]|^node:(_http|net|internal\/(http|net|streams|stream_base))/.test(url))
    return "HTTP (axios, Node http/net)";
  if (url === "" && /^write(v|Latin1String|Utf8String|Buffer)$/.test(fn))
    return "HTTP (axios, Node http/net)";
  if (/fast-xml-parser|[/\\]provider[/\\]xml[/\\]/.test(url)) return "XML";
  if (/[/\\]signer\.js$|^node:internal\/crypto/.test(url)) return "signing";
  return "other";
}

/** Self time by {@link codeKind}, as fractions of the non-idle total, from a `.cpuprofile` file. */
function profileShares(file: string): Record<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { url: string; functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const shares: Record<string, number> = {};
  let total = 0;
  for (const node of profile.nodes) {
    const kind = codeKind(node.callFrame.url, node.callFrame.functionName);
    const t = time.get(node.id) ?? 0;
    if (!kind || t <= 0) continue;
    shares[kind] = (shares[kind] ?? 0) + t;
    total += t;
  }
  for (const k of Object.keys(shares)) shares[k] /= total || 1;
  return shares;
}
/** Runs the micro-benchmark program with `count` jobs against the emulator (which it leaves empty). */
export async function microBench(count: number, emu: RunningEmulator): Promise<MicroResult> {
  await resetEmulator(emu);
  // Resolved through the package's own `exports` map, as an installed shim resolves it.
  const runtimePath = require.resolve("pulumi-bucket-inventory/runtime");
  const program = path.join(__dirname, "..", "programs", "micro.js");
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-engine-prof-"));
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--cpu-prof", "--cpu-prof-dir", profileDir, program, runtimePath, String(count)],
      { env: commandEnv(cosEmulatorEnv(emu.url)), stdio: ["ignore", "pipe", "inherit"] },
    );
    let text = "";
    child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`runtime micro-benchmark exited ${code}`)),
    );
  });
  const jobs = emu.store.count(BENCH_BUCKET, "cos");
  if (jobs !== 0) throw new Error(`the runtime micro-benchmark left ${jobs} jobs`);
  const result = JSON.parse(output) as MicroResult;
  try {
    const file = fs.readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
    if (file) result.profile = profileShares(path.join(profileDir, file));
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  return result;
}
