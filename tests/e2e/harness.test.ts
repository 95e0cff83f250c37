/**
 * Proves the e2e harness and the offline toolchain on the real engine: a
 * throwaway program with a small dynamic resource defined here goes through
 * preview → up → preview (no changes) → refresh → stack export → destroy.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineResult, TestProject, repoRoot, resourcesOfType } from "./harness";

// The dynamic resource writes a marker file, so the test can see that the
// engine really called create and delete in the provider process.
const program = (marker: string, greeting: string) => `
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

interface NoteInputs { path: string; text: string }

const provider: pulumi.dynamic.ResourceProvider<NoteInputs, NoteInputs> = {
  async create(inputs) {
    fs.writeFileSync(inputs.path, inputs.text);
    return { id: "note-" + inputs.text.length, outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: olds.text !== news.text || olds.path !== news.path };
  },
  async update(_id, _olds, news) {
    fs.writeFileSync(news.path, news.text);
    return { outs: news };
  },
  async delete(_id, props) {
    fs.rmSync(props.path, { force: true });
  },
};

class Note extends pulumi.dynamic.Resource {
  public readonly text!: pulumi.Output<string>;
  constructor(name: string, args: { path: string; text: string }) {
    super(provider, name, { text: undefined, ...args });
  }
}

const note = new Note("note", { path: ${JSON.stringify(marker)}, text: ${JSON.stringify(greeting)} });
export const text = note.text;
`;

function pulumiVersion(): string {
  const pkg = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json");
  return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

function countOps(result: EngineResult | undefined): Record<string, number> {
  return result?.changeSummary ?? {};
}

describe("e2e harness on the real Pulumi CLI", () => {
  let project: TestProject;
  let marker: string;

  beforeAll(async () => {
    project = await TestProject.create({ name: "harness", program: "" });
    marker = `${project.dir}/marker.txt`;
    project.writeProgram(program(marker, "hello"));
  });

  afterAll(async () => {
    await project?.dispose();
  });

  it("uses the pinned CLI version", () => {
    const pinned = pulumiVersion();
    expect(execFileSync("pulumi", ["version"]).toString().trim()).toBe(`v${pinned}`);
  });

  it("previews a create without touching anything", async () => {
    const r = await project.preview();
    expect(r.code).toBe(0);
    expect(countOps(r.json)).toEqual({ create: 2 });
    expect(r.json?.steps?.some((s) => s.op === "create" && s.urn.endsWith(`${DYNAMIC}::note`))).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("creates on up, then previews no changes", async () => {
    const up = await project.up();
    expect(up.code).toBe(0);
    expect(countOps(up.json)).toEqual({ create: 2 });
    expect(fs.readFileSync(marker, "utf8")).toBe("hello");

    const again = await project.preview("--expect-no-changes");
    expect(again.code).toBe(0);
    expect(countOps(again.json)).toEqual({ same: 2 });
  });

  it("updates in place when an input changes", async () => {
    project.writeProgram(program(marker, "hello again"));
    const up = await project.up();
    expect(up.code).toBe(0);
    expect(countOps(up.json)).toEqual({ same: 1, update: 1 });
    expect(fs.readFileSync(marker, "utf8")).toBe("hello again");
  });

  it("refreshes and exports state with the dynamic resource", async () => {
    const refresh = await project.refresh();
    expect(refresh.code).toBe(0);
    const state = await project.exportStack();
    expect(state.deployment.manifest?.version).toBe(`v${pulumiVersion()}`);
    const notes = resourcesOfType(state, DYNAMIC);
    expect(notes).toHaveLength(1);
    expect(notes[0].outputs?.text).toBe("hello again");
    expect(typeof notes[0].outputs?.__provider).toBe("string");
  });

  it("destroys everything", async () => {
    const r = await project.destroy();
    expect(r.code).toBe(0);
    expect(countOps(r.json)).toEqual({ delete: 2 });
    expect(fs.existsSync(marker)).toBe(false);
    const state = await project.exportStack();
    expect(resourcesOfType(state, DYNAMIC)).toHaveLength(0);
  });
});
