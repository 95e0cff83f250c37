/**
 * The package as its users get it, not as this repository links it:
 *
 * - `npm pack` of this checkout, installed from the tarball into a fresh
 *   Pulumi project outside the repository whose own `@pulumi/pulumi` is the
 *   oldest version our range allows; npm must keep one copy of the SDK, and
 *   preview / up / a change / refresh / destroy run with the repository's
 *   Pulumi CLI against the emulator started from the installed package's bin;
 * - `npm install git+file://<this clone>`, which must build `dist/` itself
 *   (the `prepare` script), so the package imports and its bin runs.
 *
 * The installs come from the npm registry through the user's npm cache (one
 * cache for every install here, so a warm run fetches nothing). The git
 * install takes the clone's committed HEAD, not uncommitted work.
 */
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { EMULATOR_DEFAULT_CREDENTIAL } from "../../provider/emulator/credentials";
import { TestProject, repoRoot, resourcesOfType } from "./harness";
import { output, summary } from "./support";

const run = promisify(execFile);
const TYPE = "pulumi-nodejs:dynamic/cos:BucketInventory";
const REGION = "ap-guangzhou";
const BUCKET = "examplebucket-1250000000";

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as PackageJson;

/**
 * The floor of our `@pulumi/pulumi` range (`^3.216.0` → `3.216.0`): what the user project pins.
 * BI_PACKAGE_TEST_SDK=<version> runs the test against another SDK version, to find or move the floor.
 */
const SDK_FLOOR =
  process.env.BI_PACKAGE_TEST_SDK ?? /^\^(\d+\.\d+\.\d+)$/.exec(pkg.dependencies["@pulumi/pulumi"])?.[1];

/**
 * The environment for npm: the caller's, without the `npm_*` variables `npm run test:e2e` sets for
 * this repository (npm would take them as settings for the user project's install too).
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.toLowerCase().startsWith("npm_")) env[k] = v;
  }
  return env;
}

async function npm(cwd: string, args: string[]): Promise<string> {
  try {
    const r = await run("npm", [...args, "--no-audit", "--no-fund"], {
      cwd,
      env: npmEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return r.stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `npm ${args.join(" ")} failed in ${cwd}: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`,
      { cause: err },
    );
  }
}

/** Every installed copy of `@scope/name` under `dir`'s node_modules (nested ones too), as `<path>@<version>`. */
function copies(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const folders = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((n) => path.join(modules, entry, n))
        : [path.join(modules, entry)];
      for (const folder of folders) {
        const manifest = path.join(folder, "package.json");
        if (!fs.existsSync(manifest)) continue;
        const { name: n, version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as PackageJson;
        if (n === name) found.push(`${path.relative(dir, folder)}@${version}`);
        walk(path.join(folder, "node_modules"));
      }
    }
  };
  walk(path.join(dir, "node_modules"));
  return found;
}

/** The installed package's bin, started like a user would: `bucket-inventory emulator`. */
async function startInstalledEmulator(projectDir: string): Promise<{ url: string; child: ChildProcess }> {
  const bin = path.join(projectDir, "node_modules", ".bin", "bucket-inventory");
  const child = spawn(bin, ["emulator", "--port", "0", "--admin"], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (\S+)/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
  });
  return { url, child };
}

/** The jobs the emulator holds, as `<bucket>/<id>` with whether the stored configuration is enabled. */
async function jobs(url: string): Promise<{ job: string; enabled: boolean }[]> {
  const r = await fetch(`${url}/_emulator/jobs`);
  const byBucket = (await r.json()) as Record<string, { id: string; body: string }[]>;
  return Object.entries(byBucket).flatMap(([bucket, list]) =>
    list.map((j) => ({ job: `${bucket}/${j.id}`, enabled: /<IsEnabled>true<\/IsEnabled>/.test(j.body) })),
  );
}

const PROGRAM = (enabled: boolean) => `import * as inventory from "pulumi-bucket-inventory";

// No region argument: it comes from stack config tencentcloud:region.
const job = new inventory.cos.BucketInventory("daily", {
  bucket: "${BUCKET}",
  enabled: ${enabled},
  schedule: { frequency: "Daily" },
  optionalFields: ["Size", "ETag"],
  destination: { bucket: "inventorybucket-1250000000", prefix: "reports" },
});
export const id = job.id;
`;

describe("the packed package in a fresh project outside the repository", () => {
  let work: string;
  let tarball: string;
  let project: TestProject | undefined;
  let emulator: ChildProcess | undefined;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-inventory-package-"));
    const packed = JSON.parse(await npm(repoRoot, ["pack", "--json", "--pack-destination", work])) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, path.basename(packed[0].filename));
  });

  afterAll(async () => {
    if (emulator && emulator.exitCode === null) emulator.kill("SIGTERM");
    await project?.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("ships the build with types and TSDoc, LICENSE, and no source maps", async () => {
    const list = (await run("tar", ["-tzf", tarball])).stdout.split("\n").filter(Boolean);
    expect(list).toEqual(
      expect.arrayContaining([
        "package/package.json",
        "package/LICENSE",
        "package/README.md",
        "package/dist/provider/index.js",
        "package/dist/provider/index.d.ts",
        "package/dist/provider/cli/main.js",
        "package/dist/provider/engine/runtime.js",
      ]),
    );
    expect(list.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(list.filter((f) => !f.startsWith("package/dist/provider/") && f.includes("/provider/"))).toEqual(
      [],
    );
    const license = (await run("tar", ["-xzOf", tarball, "package/LICENSE"])).stdout;
    expect(license).toContain("Apache License");
    expect(license).toContain("Version 2.0, January 2004");
    const main = (await run("tar", ["-xzOf", tarball, "package/dist/provider/cli/main.js"])).stdout;
    expect(main).not.toMatch(/sourceMappingURL/);
    const types = (await run("tar", ["-xzOf", tarball, "package/dist/provider/resource/cos.d.ts"])).stdout;
    // TSDoc survives into the declarations users' editors read.
    expect(types).toMatch(/\/\*\*[^]*Declares an inventory job on a COS bucket/);
    expect(types).toContain("x-cos-meta-${string}");
  });

  it("installs next to the user's @pulumi/pulumi at our floor with one copy, and runs preview, up, a change, refresh and destroy", async () => {
    expect(SDK_FLOOR).toMatch(/^3\.\d+\.\d+$/);
    project = await TestProject.create({
      name: "installed-package",
      parent: work,
      program: PROGRAM(true),
      dependencies: {
        "pulumi-bucket-inventory": `file:${tarball}`,
        "@pulumi/pulumi": SDK_FLOOR!,
        typescript: pkg.devDependencies.typescript,
        "@types/node": pkg.devDependencies["@types/node"],
      },
      files: {
        "tsconfig.json": JSON.stringify({
          compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node" },
          files: ["index.ts"],
        }),
      },
      // Region and endpoint from stack config, keys as secrets: the commands the README gives.
      config: { "tencentcloud:region": REGION },
      env: { BUCKET_INVENTORY_JOURNAL_DIR: path.join(work, "journal") },
    });
    expect(path.relative(repoRoot, project.dir).startsWith("..")).toBe(true);
    await npm(project.dir, ["install"]);

    // One copy on disk, which npm ls reports as the user's, ours deduped onto it.
    expect(copies(project.dir, "@pulumi/pulumi")).toEqual([`node_modules/@pulumi/pulumi@${SDK_FLOOR}`]);
    const ls = await npm(project.dir, ["ls", "--all", "@pulumi/pulumi"]);
    expect(ls).toMatch(
      new RegExp(`pulumi-bucket-inventory@${pkg.version}[^]*@pulumi/pulumi@${SDK_FLOOR} deduped`),
    );
    expect(ls.match(/@pulumi\/pulumi@\S+(?! deduped)$/gm)).toHaveLength(1);
    const installed = JSON.parse(
      fs.readFileSync(
        path.join(project.dir, "node_modules", "pulumi-bucket-inventory", "package.json"),
        "utf8",
      ),
    ) as PackageJson;
    expect(installed.version).toBe(pkg.version);

    // The bin: --version, then the emulator the rest of the test talks to.
    const bin = path.join(project.dir, "node_modules", ".bin", "bucket-inventory");
    expect((await run(bin, ["--version"])).stdout.trim()).toBe(pkg.version);
    const emu = await startInstalledEmulator(project.dir);
    emulator = emu.child;
    await project.must(["config", "set", "bucket-inventory:cosEndpoint", emu.url, "--stack", project.stack]);
    await project.must([
      "config",
      "set",
      "--secret",
      "tencentcloud:secretId",
      EMULATOR_DEFAULT_CREDENTIAL.id,
      "--stack",
      project.stack,
    ]);
    await project.must([
      "config",
      "set",
      "--secret",
      "tencentcloud:secretKey",
      EMULATOR_DEFAULT_CREDENTIAL.secret,
      "--stack",
      project.stack,
    ]);

    const preview = await project.preview();
    expect(output(preview)).not.toMatch(/error/i);
    expect(preview.code).toBe(0);
    expect(summary(preview)).toEqual({ create: 2 });

    const up = await project.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 2 });
    const [res] = resourcesOfType(await project.exportStack(), TYPE);
    expect(res.id).toBe(`${REGION}/${BUCKET}/daily`);
    expect(res.outputs).toMatchObject({ enabled: true, optionalFields: ["ETag", "Size"] });
    // The state names the installed package, which must stay installed to manage the stack.
    expect(String(res.outputs?.__provider)).toContain('require("pulumi-bucket-inventory/runtime")');
    expect(await jobs(emu.url)).toEqual([{ job: `${BUCKET}/daily`, enabled: true }]);

    project.writeProgram(PROGRAM(false));
    const change = await project.up();
    expect(change.code).toBe(0);
    expect(summary(change)).toEqual({ same: 1, update: 1 });
    expect(await jobs(emu.url)).toEqual([{ job: `${BUCKET}/daily`, enabled: false }]);

    const refresh = await project.refresh("--expect-no-changes");
    expect(output(refresh)).not.toMatch(/error/i);
    expect(refresh.code).toBe(0);

    const destroy = await project.destroy();
    expect(destroy.code).toBe(0);
    expect(summary(destroy)).toEqual({ delete: 2 });
    expect(await jobs(emu.url)).toEqual([]);
  });
});

describe("an install from a git URL of this clone", () => {
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-inventory-git-"));
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("builds the package on install, so it imports and its bin runs", async () => {
    fs.writeFileSync(path.join(work, "package.json"), JSON.stringify({ name: "git-user", private: true }));
    await npm(work, ["install", `git+file://${repoRoot}`]);
    const installed = path.join(work, "node_modules", "pulumi-bucket-inventory");
    expect(fs.existsSync(path.join(installed, "dist", "provider", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "LICENSE"))).toBe(true);

    const imported = await run(
      process.execPath,
      [
        "-e",
        'const m = require("pulumi-bucket-inventory"); console.log(typeof m.cos.BucketInventory, typeof m.oss.BucketInventory)',
      ],
      { cwd: work },
    );
    expect(imported.stdout.trim()).toBe("function function");
    const version = await run(path.join(work, "node_modules", ".bin", "bucket-inventory"), ["--version"]);
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
