/**
 * The pure parts of the shared project scaffolding (tests/support/pulumi-project.ts)
 * that the e2e harness and the engine benchmark both rely on: the command
 * lines, the command environment and the files of a project.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  REPO_ROOT,
  commandEnv,
  engineArgs,
  stackInitArgs,
  stackRemoveArgs,
  writeProject,
} from "../support/pulumi-project";

describe("pulumi project scaffolding", () => {
  test("engine command lines: no prompt, no preview, the stack, then extras", () => {
    expect(engineArgs("up", "test", { json: true, extra: ["--target", "x"] })).toEqual([
      "up",
      "--yes",
      "--json",
      "--skip-preview",
      "--stack",
      "test",
      "--target",
      "x",
    ]);
    expect(engineArgs("destroy", "bench", { extra: ["--parallel", "4"] })).toEqual([
      "destroy",
      "--yes",
      "--skip-preview",
      "--stack",
      "bench",
      "--parallel",
      "4",
    ]);
    expect(stackInitArgs("s")).toEqual(["stack", "init", "s"]);
    expect(stackRemoveArgs("s")).toEqual(["stack", "rm", "--yes", "--force", "--stack", "s"]);
  });

  test("the command environment inherits, overrides, and drops undefined entries", () => {
    process.env.PULUMI_PROJECT_TEST_INHERITED = "kept";
    process.env.PULUMI_PROJECT_TEST_REMOVED = "gone";
    try {
      const env = commandEnv({ PULUMI_PROJECT_TEST_REMOVED: undefined, EXTRA: "1" });
      expect(env.PULUMI_PROJECT_TEST_INHERITED).toBe("kept");
      expect(env.EXTRA).toBe("1");
      expect("PULUMI_PROJECT_TEST_REMOVED" in env).toBe(false);
    } finally {
      delete process.env.PULUMI_PROJECT_TEST_INHERITED;
      delete process.env.PULUMI_PROJECT_TEST_REMOVED;
    }
  });

  test("a project gets Pulumi.yaml, its own package.json and a file backend", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-project-"));
    try {
      const env = writeProject(path.join(dir, "p"), { name: "demo", typescript: false, main: "index.js" });
      expect(env).toEqual({ PULUMI_BACKEND_URL: `file://${path.join(dir, "p", ".state")}` });
      expect(fs.statSync(path.join(dir, "p", ".state")).isDirectory()).toBe(true);
      expect(fs.readFileSync(path.join(dir, "p", "Pulumi.yaml"), "utf8")).toBe(
        "name: demo\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      );
      expect(JSON.parse(fs.readFileSync(path.join(dir, "p", "package.json"), "utf8"))).toEqual({
        name: "demo",
        private: true,
        main: "index.js",
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the repository root is this package's checkout", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      name: string;
    };
    expect(manifest.name).toBe("pulumi-bucket-inventory");
  });
});
