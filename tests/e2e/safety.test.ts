/**
 * Data safety on the real engine: what happens to jobs on a rename, a
 * duplicate declaration, a race between stacks, and a provider killed in the
 * middle of creates and updates. Each scenario ends by checking the emulator,
 * not only what Pulumi says.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { E2eEmulator, LoggedRequest, countByOperation } from "./emulator";
import { TestProject, repoRoot, resourcesOfType } from "./harness";
import { descendants, exitOf, isDynamicProvider, kill9, waitFor } from "./processes";
import { emulatorSuite, jobProgram, output, program, summary } from "./support";

type Cloud = "cos" | "oss";

const CLOUDS: Record<
  Cloud,
  { bucket: string; region: string; args: (prefix: string, id: string) => string }
> = {
  cos: {
    bucket: "examplebucket-1250000000",
    region: "ap-guangzhou",
    args: (prefix, id) => `{ bucket: "examplebucket-1250000000", region: "ap-guangzhou", inventoryId: "${id}",
      schedule: { frequency: "Daily" }, destination: { bucket: "otherbucket-1250000000", prefix: "${prefix}" } }`,
  },
  oss: {
    bucket: "examplebucket",
    region: "cn-hangzhou",
    args: (prefix, id) => `{ bucket: "examplebucket", region: "cn-hangzhou", inventoryId: "${id}",
      schedule: { frequency: "Daily" }, destination: { bucket: "destination-bucket", accountId: "1000000000000000",
      roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole", prefix: "${prefix}" } }`,
  },
};

const typeOf = (cloud: Cloud) => `pulumi-nodejs:dynamic/${cloud}:BucketInventory`;

/** A program declaring `count` jobs `job0…`, all with destination prefix `prefix`. */
function manyJobs(cloud: Cloud, count: number, prefix: string): string {
  return program(`for (let i = 0; i < ${count}; i++) {
  new inventory.${cloud}.BucketInventory("job" + i, ${CLOUDS[cloud].args(prefix, '" + "job" + i + "')});
}`);
}

/** The jobs the emulator holds, by dialect and bucket: id → stored XML body. */
async function jobsIn(emu: E2eEmulator, cloud: Cloud): Promise<Map<string, string>> {
  const all = await emu.jobs();
  const out = new Map<string, string>();
  for (const j of all[CLOUDS[cloud].bucket] ?? []) {
    if (j.dialect === cloud) out.set(j.id, j.body);
  }
  return out;
}

/** `bucket-inventory journal` over a project's journal, as the installed bin runs it. */
function journalCommand(p: TestProject): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/provider/cli/main.js"), "journal"], {
    env: { ...process.env, BUCKET_INVENTORY_JOURNAL_DIR: p.env.BUCKET_INVENTORY_JOURNAL_DIR },
    encoding: "utf8",
  });
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Writes the emulator carried out; a PUT refused with 409 (OSS: the id is taken) changed nothing. */
const writes = (log: LoggedRequest[]) =>
  log.filter((r) => (r.operation === "put" || r.operation === "delete") && r.status < 300);

describe("data safety on the real engine", () => {
  const suite = emulatorSuite();

  for (const cloud of ["cos", "oss"] as const) {
    it(`${cloud}: renaming a resource keeps its job, with no write`, async () => {
      const args = CLOUDS[cloud].args("reports", "shared-id");
      const p = await suite.project(`${cloud}-rename`, jobProgram(cloud, args, "first"));
      expect((await p.up()).code).toBe(0);

      p.writeProgram(jobProgram(cloud, args, "second"));
      await suite.emu.clearLog();
      const renamed = await p.up();
      expect(renamed.code).toBe(0);
      expect(summary(renamed)).toMatchObject({ create: 1, delete: 1 });
      expect(output(renamed)).toContain("not deleted, because another resource");
      const log = await suite.emu.requests();
      expect(writes(log)).toEqual([]);
      // OSS: the new name's create is one PUT, refused (409) because the job exists, then one GET finds it its own.
      const expected = cloud === "oss" ? ["put 409", "get 200"] : ["get 200"];
      expect(log.map((r) => `${r.operation} ${r.status}`)).toEqual(expected);
      expect([...(await jobsIn(suite.emu, cloud)).keys()]).toEqual(["shared-id"]);

      // The new name owns it: a refresh finds it, and destroy deletes it once.
      const refreshed = await p.refresh();
      expect(refreshed.code).toBe(0);
      expect(resourcesOfType(await p.exportStack(), typeOf(cloud)).map((r) => r.urn)).toEqual([
        expect.stringMatching(/::second$/),
      ]);
      await suite.emu.clearLog();
      expect((await p.destroy()).code).toBe(0);
      expect(countByOperation(await suite.emu.requests())).toEqual({ delete: 1 });
      expect((await jobsIn(suite.emu, cloud)).size).toBe(0);
    });
  }

  it("refuses two resources that declare the same job, naming both, before any request", async () => {
    const args = CLOUDS.cos.args("reports", "same");
    const p = await suite.project(
      "cos-duplicate",
      program(`new inventory.cos.BucketInventory("one", ${args});
new inventory.cos.BucketInventory("two", ${args});`),
    );
    const preview = await p.preview();
    expect(preview.code).not.toBe(0);
    expect(output(preview)).toMatch(
      /cos\.BucketInventory "two" and "one" both declare the inventory job "same"/,
    );
    expect(await suite.emu.requests()).toEqual([]);
  });

  /** Two stacks declare the same COS job id with different configurations and run `up` at once. */
  async function race(sharedJournal: boolean): Promise<void> {
    const journal = path.join(repoRoot, ".e2e", `race-journal-${process.pid}-${Date.now()}`);
    const env = (own: string) => ({ BUCKET_INVENTORY_JOURNAL_DIR: sharedJournal ? journal : own });
    const a = await suite.project("race-a", jobProgram("cos", CLOUDS.cos.args("from-a", "contested"), "a"));
    a.env = { ...a.env, ...env(path.join(a.dir, ".journal")) };
    const b = await suite.project("race-b", jobProgram("cos", CLOUDS.cos.args("from-b", "contested"), "b"));
    b.env = { ...b.env, ...env(path.join(b.dir, ".journal")) };
    // Slow PUTs: both stacks' first GETs see the id free before either write lands. Not slower than the
    // engine's 5 s cap on the wait before the read back, so a second PUT that lands after the first is
    // always read back by the first stack.
    await suite.emu.fault({ match: { operation: "put" }, latencyMs: 4000, count: 2 });
    const [ra, rb] = await Promise.all([a.up(), b.up()]);
    const results = [ra, rb];
    expect(results.map((r) => r.code === 0).sort()).toEqual([false, true]);
    const winner = ra.code === 0 ? a : b;
    const loser = ra.code === 0 ? b : a;
    const lost = ra.code === 0 ? rb : ra;
    // Without a shared lock the loser is normally the stack whose job was overwritten (read back); if the
    // second program started more than one PUT later, it found the first's job at its GET instead.
    expect(output(lost)).toMatch(
      sharedJournal
        ? /already exists with a different configuration/
        : /overwritten with a different configuration by another writer|already exists with a different configuration/,
    );
    // The job holds the winner's configuration, the winner's state says so, and the loser recorded nothing.
    const body = (await jobsIn(suite.emu, "cos")).get("contested")!;
    expect(body).toContain(winner === a ? "from-a" : "from-b");
    expect(resourcesOfType(await loser.exportStack(), typeOf("cos"))).toHaveLength(0);
    const check = await winner.refresh();
    expect(check.code).toBe(0);
    expect(summary(check)).not.toHaveProperty("update");
    // Destroying the loser's stack leaves the winner's job alone.
    await suite.emu.clearLog();
    expect((await loser.destroy()).code).toBe(0);
    expect(writes(await suite.emu.requests())).toEqual([]);
    expect((await jobsIn(suite.emu, "cos")).has("contested")).toBe(true);
    fs.rmSync(journal, { recursive: true, force: true });
  }

  it("two stacks on one machine creating the same COS job: the second waits, then refuses", async () => {
    await race(true);
  });

  it("two stacks on different machines creating the same COS job: the overwritten one fails loudly", async () => {
    await race(false);
  });

  /**
   * Starts `up`, waits until `ready` (every slowed write in flight), kills the provider processes, and
   * waits for the CLI to give up.
   */
  async function killProviderDuringUp(p: TestProject, ready: () => Promise<boolean>): Promise<void> {
    const cli = p.start(["up", "--yes", "--skip-preview", "--stack", p.stack]);
    const exited = exitOf(cli);
    await waitFor("the requests to start", ready);
    const providers = descendants(cli.pid!).filter(isDynamicProvider);
    expect(providers.length).toBeGreaterThan(0);
    kill9(providers);
    expect(await exited).not.toBe(0);
  }

  it("a provider killed during OSS updates: the previous program's next up puts every job back", async () => {
    const p = await suite.project("oss-crash-update", manyJobs("oss", 4, "old"));
    expect((await p.up()).code).toBe(0);

    // An OSS update is GET, DELETE, PUT; slow DELETEs, and kill the provider while they are in flight.
    p.writeProgram(manyJobs("oss", 4, "new"));
    await suite.emu.clearLog();
    await suite.emu.fault({ match: { operation: "delete" }, latencyMs: 3000, count: 4 });
    await killProviderDuringUp(p, async () => (await suite.emu.pendingFaults()).length === 0);
    await waitFor(
      "the DELETEs to land",
      async () => countByOperation(await suite.emu.requests()).delete >= 4,
    );
    expect((await jobsIn(suite.emu, "oss")).size).toBe(0);

    // The state still says "old"; running the previous program again must notice and put them back.
    p.writeProgram(manyJobs("oss", 4, "old"));
    const again = await p.up();
    expect(again.code).toBe(0);
    expect(output(again)).toContain("was interrupted");
    const jobs = await jobsIn(suite.emu, "oss");
    expect([...jobs.keys()].sort()).toEqual(["job0", "job1", "job2", "job3"]);
    for (const body of jobs.values()) expect(body).toContain("<Prefix>old</Prefix>");
    // Settled: nothing more to do.
    await suite.emu.clearLog();
    const quiet = await p.preview();
    expect(summary(quiet)).toEqual({ same: 5 });
    expect(writes(await suite.emu.requests())).toEqual([]);
  });

  it("a provider killed during creates: destroy leaves the jobs, up adopts them, destroy removes them", async () => {
    const p = await suite.project("cos-crash-create", manyJobs("cos", 4, "reports"));
    await suite.emu.fault({ match: { operation: "put" }, latencyMs: 3000, count: 4 });
    await killProviderDuringUp(p, async () => (await suite.emu.pendingFaults()).length === 0);
    await waitFor("the PUTs to land", async () => countByOperation(await suite.emu.requests()).put >= 4);
    expect(resourcesOfType(await p.exportStack(), typeOf("cos"))).toHaveLength(0);

    // The engine knows nothing of them, so destroy cannot remove them ...
    expect((await p.destroy()).code).toBe(0);
    expect((await jobsIn(suite.emu, "cos")).size).toBe(4);
    // ... but the journal command names each, with the README's recovery: `up`.
    const listed = journalCommand(p);
    expect(
      listed.match(/^INTERRUPTED create of cos ap-guangzhou\/examplebucket-1250000000\/job\d/gm),
    ).toHaveLength(4);
    expect(listed).toContain("Run `pulumi up` in stack cos-crash-create/test");

    await suite.emu.clearLog();
    const recovered = await p.up();
    expect(recovered.code).toBe(0);
    // Four jobs and the stack itself, which the destroy removed.
    expect(summary(recovered)).toEqual({ create: 5 });
    expect(countByOperation(await suite.emu.requests())).toEqual({ get: 4 });
    expect(resourcesOfType(await p.exportStack(), typeOf("cos"))).toHaveLength(4);
    expect(journalCommand(p)).not.toContain("INTERRUPTED");

    expect((await p.destroy()).code).toBe(0);
    expect((await jobsIn(suite.emu, "cos")).size).toBe(0);
  });

  it("adopt: true keeps the configuration it replaced as an output, and says so", async () => {
    const p = await suite.project(
      "oss-adopt",
      jobProgram("oss", CLOUDS.oss.args("theirs", "legacy"), "legacy"),
    );
    expect((await p.up()).code).toBe(0);
    // Another stack now declares the same job differently and takes it over.
    const q = await suite.project(
      "oss-adopter",
      jobProgram(
        "oss",
        CLOUDS.oss.args("ours", "legacy").replace("inventoryId", "adopt: true, inventoryId"),
        "mine",
      ),
    );
    const adopted = await q.up();
    expect(adopted.code).toBe(0);
    expect(output(adopted)).toContain("adopt: true replaced the job's previous configuration");
    const [res] = resourcesOfType(await q.exportStack(), typeOf("oss"));
    expect(res.outputs?.adoptedConfiguration).toMatchObject({
      inventoryId: "legacy",
      destination: { prefix: "theirs" },
    });
    expect((await jobsIn(suite.emu, "oss")).get("legacy")).toContain("<Prefix>ours</Prefix>");
  });
});
