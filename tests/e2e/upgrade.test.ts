/**
 * Upgrade safety: jobs created by one installed version of the package are
 * refreshed, updated and deleted by the version installed later. The "old"
 * version is a copy of the built package whose shim is spelled differently
 * (so its serialized text in state is recognisable); it is deleted from disk
 * before the later commands run, so only the shim text kept in state and the
 * package installed now can take part.
 */
import * as fs from "fs";
import * as path from "path";
import { countByOperation } from "./emulator";
import { repoRoot, resourcesOfType } from "./harness";
import { emulatorSuite, program, summary } from "./support";

const OLD_MARKER = "/* shim of pulumi-bucket-inventory 0.0.1 */";

/** Copies the built package as version 0.0.1 with a recognisably different shim. */
function makeOldPackage(): string {
  // In a fresh clone no other suite may have made .e2e yet.
  fs.mkdirSync(path.join(repoRoot, ".e2e"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(repoRoot, ".e2e", "old-package-"));
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version: "0.0.1" }, null, 2));
  fs.cpSync(path.join(repoRoot, "dist"), path.join(dir, "dist"), { recursive: true });
  const shim = path.join(dir, "dist", "provider", "resource", "shim.js");
  const text = fs.readFileSync(shim, "utf8");
  const changed = text
    .split(`"exports.handler = () => ({"`)
    .join(`${JSON.stringify(OLD_MARKER)} + "exports.handler = () => ({"`);
  expect(changed).not.toBe(text);
  fs.writeFileSync(shim, changed);
  return dir;
}

function jobs(weekly: boolean): string {
  return program(`
const cosJob = new inventory.cos.BucketInventory("cos-job", {
  bucket: "examplebucket-1250000000", region: "ap-guangzhou", schedule: { frequency: "Daily" },
  destination: { bucket: "inventorybucket-1250000000" },
});
const ossJob = new inventory.oss.BucketInventory("oss-job", {
  bucket: "examplebucket", region: "cn-hangzhou", schedule: { frequency: ${weekly ? '"Weekly"' : '"Daily"'} },
  destination: { bucket: "destination-bucket", accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole" },
});
export const ids = [cosJob.id, ossJob.id];`);
}

describe("upgrade safety", () => {
  const suite = emulatorSuite({ resetEach: false });

  it("jobs created by an older installed version are refreshed, updated and deleted by the current one", async () => {
    const old = makeOldPackage();
    const p = await suite.project("upgrade", jobs(false), {}, { links: { "pulumi-bucket-inventory": old } });
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toEqual({ create: 3 });
    const created = (await p.exportStack()).deployment.resources ?? [];
    const providers = created.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(providers).toHaveLength(2);
    for (const r of providers) {
      expect(String(r.outputs?.__provider)).toContain(OLD_MARKER);
      expect(r.outputs?.schemaVersion).toBe(1);
    }

    // Upgrade: the old version is gone; the project now resolves the current package.
    fs.rmSync(path.join(p.dir, "node_modules", "pulumi-bucket-inventory"));
    fs.rmSync(old, { recursive: true, force: true });

    // Refresh runs each resource's provider from state (the old shim text), which loads the installed runtime.
    await suite.emu.clearLog();
    const refresh = await p.refresh("--expect-no-changes");
    expect(refresh.code).toBe(0);
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 2 });

    // An update under the current version; the COS job is unchanged and keeps its old shim in state.
    p.writeProgram(jobs(true));
    const update = await p.up();
    expect(update.code).toBe(0);
    expect(summary(update)).toEqual({ same: 2, update: 1 });
    const [cosState] = resourcesOfType(await p.exportStack(), "pulumi-nodejs:dynamic/cos:BucketInventory");
    expect(String(cosState.outputs?.__provider)).toContain(OLD_MARKER);
    const [ossState] = resourcesOfType(await p.exportStack(), "pulumi-nodejs:dynamic/oss:BucketInventory");
    expect(ossState.outputs?.schedule).toEqual({ frequency: "Weekly" });

    // Destroy deletes both, including the one whose state still holds the old shim.
    await suite.emu.clearLog();
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(countByOperation(await suite.emu.requests())).toEqual({ delete: 2 });
    const left = await suite.emu.jobs();
    expect(Object.values(left).flat()).toEqual([]);
  });
});

describe("upgrade safety: states written before the hand-written shim", () => {
  const suite = emulatorSuite({ resetEach: false });

  it("a job whose state holds the serialized-closure shim is refreshed and deleted by the current runtime", async () => {
    // The provider text versions before 0.2 kept in state (Pulumi's closure serializer output), verbatim.
    const closureShim = fs.readFileSync(
      path.join(__dirname, "fixtures", "serialized-closure-shim-cos.js"),
      "utf8",
    );
    expect(closureShim).toContain('with({ kind: "cos"');
    const p = await suite.project(
      "upgrade-closure",
      program(`new inventory.cos.BucketInventory("cos-job", {
  bucket: "examplebucket-1250000000", region: "ap-guangzhou", schedule: { frequency: "Daily" },
  destination: { bucket: "inventorybucket-1250000000" },
});`),
    );
    expect((await p.up()).code).toBe(0);
    const state = await p.exportStack();
    const [job] = resourcesOfType(state, "pulumi-nodejs:dynamic/cos:BucketInventory");
    job.inputs!.__provider = closureShim;
    job.outputs!.__provider = closureShim;
    await p.importStack(state);

    await suite.emu.clearLog();
    const refresh = await p.refresh("--expect-no-changes");
    expect(refresh.code).toBe(0);
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 1 });
    const [still] = resourcesOfType(await p.exportStack(), "pulumi-nodejs:dynamic/cos:BucketInventory");
    expect(still.outputs?.__provider).toBe(closureShim);

    await suite.emu.clearLog();
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(countByOperation(await suite.emu.requests())).toEqual({ delete: 1 });
  });
});
