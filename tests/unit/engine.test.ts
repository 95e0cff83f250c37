/**
 * The resource engine's safety rules over a fake cloud and an in-memory
 * journal: who may take over an existing job (`adopt`, the `import` option),
 * what a delete may remove, how interrupted changes are finished, and what
 * `get` reads.
 */
import { spawnSync } from "child_process";
import { CloudError, NotFoundError, TransportError } from "../../provider/core/errors";
import {
  ADOPTED_KEY,
  CLAIM_KEY,
  InventoryApi,
  InventoryDialect,
  JobAddress,
  STACK_KEY,
  inventoryProvider,
  settleDelayMs,
} from "../../provider/engine/engine";
import { GET_KEY, IMPORT_KEY } from "../../provider/engine/contract";
import { MemoryJournal, pendingNow } from "../../provider/engine/journal";

type Job = JobAddress & { prefix: string };

const ADDRESS: JobAddress = { region: "r1", bucket: "b1", inventoryId: "daily" };
const job = (prefix: string): Job & Record<string, unknown> => ({ ...ADDRESS, prefix });

/** A cloud holding jobs in memory, recording every write, with hooks to play another writer. */
class FakeCloud {
  readonly jobs = new Map<string, Job>();
  readonly writes: string[] = [];
  /** Every GET and listing asked for: `get <id>`, `list`. */
  readonly reads: string[] = [];
  afterCreate?: () => void;
  failNext?: Error;
  exclusive = false;

  api(): InventoryApi<Job> {
    const fail = () => {
      const e = this.failNext;
      this.failNext = undefined;
      if (e) throw e;
    };
    return {
      get: async (_b, id) => {
        this.reads.push(`get ${id}`);
        const j = this.jobs.get(id);
        if (!j)
          throw new NotFoundError({
            cloud: "cos",
            code: "NoSuchInventory",
            statusCode: 404,
            message: "gone",
          });
        return { ...j };
      },
      create: async (_b, m) => {
        this.writes.push(`create ${m.inventoryId}`);
        fail();
        if (this.exclusive && this.jobs.has(m.inventoryId)) {
          throw new CloudError({
            cloud: "oss",
            code: "InventoryConfigurationAlreadyExists",
            statusCode: 409,
            message: "exists",
            attempts: 1,
          });
        }
        this.jobs.set(m.inventoryId, { ...m });
        this.afterCreate?.();
      },
      update: async (_b, m) => {
        this.writes.push(`update ${m.inventoryId}`);
        fail();
        this.jobs.set(m.inventoryId, { ...m });
      },
      delete: async (_b, id) => {
        this.writes.push(`delete ${id}`);
        fail();
        if (!this.jobs.delete(id)) {
          throw new NotFoundError({
            cloud: "cos",
            code: "NoSuchInventory",
            statusCode: 404,
            message: "gone",
          });
        }
      },
      list: async () => {
        this.reads.push("list");
        return [...this.jobs.values()].map((j) => ({ id: j.inventoryId, model: { ...j } }));
      },
    };
  }
}

function setup() {
  const cloud = new FakeCloud();
  const journal = new MemoryJournal();
  const warnings: string[] = [];
  const dialect: InventoryDialect<Job, Job> = {
    typeName: "fake.BucketInventory",
    cloud: "cos",
    get exclusiveCreate() {
      return cloud.exclusive;
    },
    listing: { maxPages: 3, pageSize: 2 },
    endpointId: () => "default",
    replaceProperties: ["region", "bucket", "inventoryId"],
    controlProperties: ["adopt"],
    check: (news) => ({ inputs: { ...news }, failures: [] }),
    toModel: (i) => ({ ...i }),
    fromModel: (m) => ({ ...m }),
    api: () => cloud.api(),
  };
  const provider = inventoryProvider(dialect, {
    journal: () => journal,
    warn: (m) => warnings.push(m),
    sleep: async () => undefined,
  });
  const jaddr = { cloud: "cos", endpoint: "default", ...ADDRESS };
  return { cloud, journal, warnings, provider, jaddr };
}

const inputs = (prefix: string, stack = "proj/dev", extra: Record<string, unknown> = {}) => ({
  ...job(prefix),
  [STACK_KEY]: stack,
  ...extra,
});

const deadPid = () => spawnSync("true").pid!;

describe("create", () => {
  it("creates a free id, reads it back, and records who manages it", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    expect(cloud.writes).toEqual(["create daily"]);
    expect(r.outs[CLAIM_KEY]).toEqual(expect.any(String));
    expect(journal.get(jaddr)).toMatchObject({ stack: "proj/dev", claim: r.outs[CLAIM_KEY] });
    expect(journal.get(jaddr)?.pending).toBeUndefined();
  });

  it("fails loudly when another writer overwrites the new job before the read back, and records nothing", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.afterCreate = () => cloud.jobs.set("daily", job("theirs"));
    await expect(provider.create!(inputs("a"))).rejects.toThrow(
      /overwritten with a different configuration by another writer right after this resource created it/,
    );
    expect(journal.get(jaddr)).toBeUndefined();
    expect(cloud.jobs.get("daily")?.prefix).toBe("theirs");
  });

  it("skips the read back where the cloud itself refuses an existing id", async () => {
    const { cloud, provider } = setup();
    cloud.exclusive = true;
    cloud.afterCreate = () => cloud.jobs.set("daily", job("theirs"));
    await expect(provider.create!(inputs("a"))).resolves.toBeDefined();
  });

  it("creates with one PUT where the cloud refuses taken ids, and reads nothing", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.exclusive = true;
    const r = await provider.create!(inputs("a"));
    expect(cloud.writes).toEqual(["create daily"]);
    expect(cloud.reads).toEqual([]);
    expect(journal.get(jaddr)).toMatchObject({ stack: "proj/dev", claim: r.outs[CLAIM_KEY] });
  });

  it("on a 409 to the first send, judges the job found like one a GET found: refused, or its own", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.exclusive = true;
    cloud.jobs.set("daily", job("a"));
    await expect(provider.create!(inputs("a"))).rejects.toThrow(
      /already exists, and this resource will not take over/,
    );
    expect(cloud.reads).toEqual(["get daily"]);
    expect(journal.get(jaddr)).toBeUndefined();
    expect(cloud.jobs.get("daily")?.prefix).toBe("a");

    // The stack's own job (made on this machine, e.g. a resource renamed in the program): kept, no write.
    cloud.jobs.clear();
    await provider.create!(inputs("a"));
    cloud.writes.length = 0;
    await expect(provider.create!(inputs("a"))).resolves.toBeDefined();
    expect(cloud.writes).toEqual(["create daily"]);
  });

  it("a create cut off mid-PUT is not taken for its own when the id held somebody else's job", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.exclusive = true;
    cloud.jobs.set("daily", job("theirs"));
    // The process died during its PUT (which the cloud refused): the journal still announces the create.
    journal.put({
      version: 1,
      ...jaddr,
      stack: "proj/dev",
      claim: "c1",
      pending: { ...pendingNow("create", { after: job("a") }), pid: deadPid() },
    });
    await expect(provider.create!(inputs("a"))).rejects.toThrow(
      /already exists with a different configuration/,
    );
    expect(cloud.jobs.get("daily")?.prefix).toBe("theirs");

    // Had the cut-off PUT landed, the job is what it wrote: its own.
    cloud.jobs.set("daily", job("a"));
    await expect(provider.create!(inputs("a"))).resolves.toBeDefined();
    expect(journal.get(jaddr)?.pending).toBeUndefined();
  });

  it("a 409 with no job behind it is passed on, and the journal entry put back", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.exclusive = true;
    cloud.failNext = new CloudError({
      cloud: "oss",
      code: "Conflict",
      statusCode: 409,
      message: "busy",
      attempts: 1,
    });
    await expect(provider.create!(inputs("a"))).rejects.toThrow(/409 Conflict/);
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("on a 409 to a retried send, succeeds when the job is what it wrote (its earlier send landed)", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.exclusive = true;
    const conflict = (attempts?: number) =>
      new CloudError({
        cloud: "oss",
        code: "InventoryConfigurationAlreadyExists",
        statusCode: 409,
        message: "exists",
        attempts,
      });
    cloud.jobs.set("daily", job("a"));
    cloud.failNext = conflict(2);
    await expect(provider.create!(inputs("a"))).resolves.toBeDefined();
    expect(journal.get(jaddr)?.pending).toBeUndefined();

    // The same 409 with somebody else's job is theirs: fail, and forget the attempt. An unknown count counts as a retry.
    for (const attempts of [3, undefined]) {
      cloud.jobs.set("daily", job("theirs"));
      cloud.failNext = conflict(attempts);
      journal.remove(jaddr);
      await expect(provider.create!(inputs("a"))).rejects.toThrow(/was created by another writer between/);
      expect(journal.get(jaddr)).toBeUndefined();
    }
  });

  it("refuses a job it did not make, even an equal one, and points at aliases and adopt", async () => {
    const { cloud, provider } = setup();
    cloud.jobs.set("daily", job("a"));
    await expect(provider.create!(inputs("a"))).rejects.toThrow(
      /already exists, and this resource will not take over/,
    );
    await expect(provider.create!(inputs("b"))).rejects.toThrow(
      /already exists with a different configuration/,
    );
    await expect(provider.create!(inputs("b"))).rejects.toThrow(/aliases: \[\{ name: "<old name>" \}\]/);
    expect(cloud.writes).toEqual([]);
  });

  it("refuses a job another stack on this machine manages", async () => {
    const { cloud, provider } = setup();
    await provider.create!(inputs("a", "proj/prod"));
    await expect(provider.create!(inputs("a", "proj/dev"))).rejects.toThrow(/already exists/);
    expect(cloud.writes).toEqual(["create daily"]);
  });

  it("takes back its own stack's job (a rename, an interrupted create) with no write", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const first = await provider.create!(inputs("a"));
    const second = await provider.create!(inputs("a"));
    expect(cloud.writes).toEqual(["create daily"]);
    expect(second.outs[CLAIM_KEY]).not.toBe(first.outs[CLAIM_KEY]);
    expect(journal.get(jaddr)?.claim).toBe(second.outs[CLAIM_KEY]);
  });

  it("adopt: true overwrites a foreign job and keeps what it replaced as an output, with a warning", async () => {
    const { cloud, provider, warnings } = setup();
    cloud.jobs.set("daily", job("theirs"));
    const r = await provider.create!(inputs("ours", "proj/dev", { adopt: true }));
    expect(cloud.writes).toEqual(["update daily"]);
    expect(r.outs[ADOPTED_KEY]).toEqual(job("theirs"));
    expect(warnings.join("\n")).toContain("adopt: true replaced the job's previous configuration");
  });

  it("forgets a create the cloud refused, and keeps one that may have landed", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.failNext = new CloudError({
      cloud: "cos",
      code: "InvalidArgument",
      statusCode: 400,
      message: "no",
    });
    await expect(provider.create!(inputs("a"))).rejects.toThrow("InvalidArgument");
    expect(journal.get(jaddr)).toBeUndefined();
    cloud.failNext = new TransportError("PUT timed out", "ETIMEDOUT", "http://x");
    await expect(provider.create!(inputs("a"))).rejects.toThrow("timed out");
    expect(journal.get(jaddr)?.pending).toMatchObject({ op: "create", after: job("a") });
  });
});

describe("delete", () => {
  it("deletes the job it manages and forgets it", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    await provider.delete!("r1/b1/daily", r.outs);
    expect(cloud.writes).toEqual(["create daily", "delete daily"]);
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("leaves a job another resource took over (a renamed resource's old name)", async () => {
    const { cloud, provider, warnings } = setup();
    const old = await provider.create!(inputs("a"));
    await provider.create!(inputs("a"));
    await provider.delete!("r1/b1/daily", old.outs);
    expect(cloud.writes).toEqual(["create daily"]);
    expect(cloud.jobs.has("daily")).toBe(true);
    expect(warnings.join("\n")).toContain(
      "not deleted, because another resource of stack proj/dev manages this job now",
    );
  });

  it("treats a job already gone as deleted", async () => {
    const { cloud, provider } = setup();
    await provider.delete!("r1/b1/daily", job("a"));
    expect(cloud.writes).toEqual(["delete daily"]);
  });
});

describe("interrupted changes", () => {
  it("diff asks for an update when a change of this job died half-way, and update finishes it", async () => {
    const { cloud, journal, provider, jaddr, warnings } = setup();
    const r = await provider.create!(inputs("a"));
    const olds = { ...r.outs };
    expect((await provider.diff!("r1/b1/daily", olds, inputs("a"))).changes).toBe(false);

    // A process that is gone started replacing the job and got as far as deleting it.
    journal.put({
      ...journal.get(jaddr)!,
      pending: { ...pendingNow("update", { after: job("b") }), pid: deadPid() },
    });
    cloud.jobs.delete("daily");
    expect((await provider.diff!("r1/b1/daily", olds, inputs("a"))).changes).toBe(true);
    expect(warnings.join("\n")).toContain("was interrupted");
    await provider.update!("r1/b1/daily", olds, inputs("a"));
    expect(cloud.jobs.get("daily")?.prefix).toBe("a");
    expect(journal.get(jaddr)?.pending).toBeUndefined();
    expect((await provider.diff!("r1/b1/daily", olds, inputs("a"))).changes).toBe(false);
  });

  it("a change still running in a live process is not taken for interrupted", async () => {
    const { journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    journal.put({ ...journal.get(jaddr)!, pending: pendingNow("update", { after: job("b") }) });
    expect((await provider.diff!("r1/b1/daily", r.outs, inputs("a"))).changes).toBe(false);
  });

  it("an update the cloud refused restores the journal entry; one that may have half-happened stays pending", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    const before = journal.get(jaddr);
    cloud.failNext = new CloudError({
      cloud: "cos",
      code: "InvalidArgument",
      statusCode: 400,
      message: "no",
    });
    await expect(provider.update!("r1/b1/daily", r.outs, inputs("b"))).rejects.toThrow();
    expect(journal.get(jaddr)).toEqual(before);
    cloud.failNext = new CloudError({ cloud: "cos", code: "InternalError", statusCode: 500, message: "hm" });
    await expect(provider.update!("r1/b1/daily", r.outs, inputs("b"))).rejects.toThrow();
    expect(journal.get(jaddr)?.pending).toMatchObject({ op: "update", before: job("a"), after: job("b") });
  });

  it("update keeps the resource's claim and what adopt replaced", async () => {
    const { provider } = setup();
    const r = await provider.create!(inputs("a"));
    const olds = { ...r.outs, [ADOPTED_KEY]: job("x") };
    const u = await provider.update!("r1/b1/daily", olds, inputs("b"));
    expect(u.outs![CLAIM_KEY]).toBe(r.outs[CLAIM_KEY]);
    expect(u.outs![ADOPTED_KEY]).toEqual(job("x"));
  });
});

describe("read", () => {
  it("keeps the claim, and forgets it when the job is gone", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    const found = await provider.read!("r1/b1/daily", r.outs);
    expect(found.props?.[CLAIM_KEY]).toBe(r.outs[CLAIM_KEY]);
    cloud.jobs.delete("daily");
    expect((await provider.read!("r1/b1/daily", r.outs)).id).toBe("");
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("when the job is gone, keeps a journal entry another resource claims or a change left pending", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    const r = await provider.create!(inputs("a"));
    cloud.jobs.delete("daily");
    const claimed = journal.get(jaddr)!;
    journal.put({ ...claimed, claim: "someone-else" });
    expect(await provider.read!("r1/b1/daily", r.outs)).toEqual({ id: "", props: {} });
    expect(journal.get(jaddr)?.claim).toBe("someone-else");
    journal.put({ ...claimed, pending: pendingNow("update", { after: job("b") }) });
    expect((await provider.read!("r1/b1/daily", r.outs)).id).toBe("");
    expect(journal.get(jaddr)?.pending?.op).toBe("update");
  });

  it("reads by ID alone (an import) and keeps adopt as an input; refuses an ID that is no address", async () => {
    const { cloud, provider } = setup();
    cloud.jobs.set("daily", job("theirs"));
    const imported = await provider.read!("r1/b1/daily", { adopt: true });
    expect(imported).toEqual({
      id: "r1/b1/daily",
      props: { ...job("theirs"), adopt: true },
      inputs: { ...job("theirs"), adopt: true },
    });
    expect(cloud.writes).toEqual([]);
    await expect(provider.read!("not-an-address", {})).rejects.toThrow(
      'fake.BucketInventory: cannot read "not-an-address": the ID must be "<region>/<bucket>/<inventoryId>"',
    );
  });
});

describe("check", () => {
  it("validates the job without the stack input, then carries the stack through", async () => {
    const { provider } = setup();
    const r = await provider.check!({}, inputs("a"));
    expect(r).toEqual({ inputs: inputs("a"), failures: [] });
    const noStack = await provider.check!({}, { ...job("a"), [STACK_KEY]: 42 });
    expect(noStack.inputs).toEqual(job("a"));
  });
});

describe("the import option", () => {
  const importing = (prefix: string, id = "r1/b1/daily", extra: Record<string, unknown> = {}) =>
    inputs(prefix, "proj/dev", { [IMPORT_KEY]: id, ...extra });

  it("check keeps the declared ID, and refuses a malformed or mismatching one or adopt, naming import", async () => {
    const { provider } = setup();
    expect(await provider.check!({}, importing("a"))).toEqual({ inputs: importing("a"), failures: [] });
    const malformed = await provider.check!({}, importing("a", "daily"));
    expect(malformed.failures).toEqual([
      {
        property: "import",
        reason: `"daily" is not a job ID; the ID of this resource's job is "r1/b1/daily".`,
      },
    ]);
    const other = await provider.check!({}, importing("a", "r1/b2/daily"));
    expect(other.failures).toEqual([
      {
        property: "import",
        reason: expect.stringContaining(`"r1/b2/daily" is not the job this resource declares`),
      },
    ]);
    const adopting = await provider.check!({}, importing("a", "r1/b1/daily", { adopt: true }));
    expect(adopting.failures).toEqual([
      {
        property: "import",
        reason: expect.stringContaining(`"import" and "adopt: true" do not go together`),
      },
    ]);
  });

  it("check drops the option once the resource is in state, so it never diffs and a replacement creates", async () => {
    const { provider } = setup();
    const r = await provider.check!(job("a"), importing("a", "r1/b1/other"));
    expect(r).toEqual({ inputs: inputs("a"), failures: [] });
    expect((await provider.diff!("r1/b1/daily", importing("a"), inputs("a"))).changes).toBe(false);
    expect((await provider.diff!("r1/b1/daily", inputs("a"), importing("a"))).changes).toBe(false);
  });

  it("takes over an equal job with no write, and manages it like one it created", async () => {
    const { cloud, journal, provider, jaddr, warnings } = setup();
    cloud.jobs.set("daily", job("theirs"));
    const r = await provider.create!(importing("theirs"));
    expect(cloud.writes).toEqual([]);
    expect(r).toEqual({ id: "r1/b1/daily", outs: { ...job("theirs"), [CLAIM_KEY]: expect.any(String) } });
    expect(journal.get(jaddr)).toMatchObject({ stack: "proj/dev", claim: r.outs[CLAIM_KEY] });
    expect(journal.get(jaddr)?.pending).toBeUndefined();
    expect(warnings).toEqual([]);
    expect((await provider.read!("r1/b1/daily", r.outs)).props?.[CLAIM_KEY]).toBe(r.outs[CLAIM_KEY]);
    await provider.delete!("r1/b1/daily", r.outs);
    expect(cloud.writes).toEqual(["delete daily"]);
    expect(cloud.jobs.size).toBe(0);
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("refuses a job that differs, naming each field existing vs declared, and changes nothing", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    cloud.jobs.set("daily", { ...job("theirs"), enabled: true } as Job);
    const attempt = provider.create!(importing("mine", "r1/b1/daily", { enabled: false }));
    await expect(attempt).rejects.toThrow(
      'fake.BucketInventory: cannot import the inventory job "daily" on bucket "b1" (r1): it differs from ' +
        "this resource's declaration in 2 fields:\n" +
        "  - enabled: existing true, declared false\n" +
        '  - prefix: existing "theirs", declared "mine"\n' +
        "Nothing was changed.",
    );
    expect(cloud.writes).toEqual([]);
    expect(cloud.jobs.get("daily")?.prefix).toBe("theirs");
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("refuses a job that does not exist, creating nothing", async () => {
    const { cloud, journal, provider, jaddr } = setup();
    await expect(provider.create!(importing("a"))).rejects.toThrow(
      'fake.BucketInventory: cannot import the inventory job "daily" on bucket "b1" (r1): it does not exist.',
    );
    expect(cloud.writes).toEqual([]);
    expect(journal.get(jaddr)).toBeUndefined();
  });

  it("checks the ID again at create, for an address that was unknown at preview", async () => {
    const { cloud, provider } = setup();
    cloud.jobs.set("daily", job("a"));
    await expect(provider.create!(importing("a", "r1/b9/daily"))).rejects.toThrow(
      `fake.BucketInventory: import: "r1/b9/daily" is not the job this resource declares`,
    );
    expect(cloud.writes).toEqual([]);
  });

  it("takes the claim from another stack on this machine with a warning, so that stack's delete leaves the job", async () => {
    const { cloud, provider, warnings } = setup();
    const theirs = await provider.create!(inputs("a", "proj/other"));
    const mine = await provider.create!(importing("a"));
    expect(warnings).toEqual([expect.stringContaining("stack proj/other managed this job on this machine")]);
    await provider.delete!("r1/b1/daily", theirs.outs);
    expect(cloud.writes).toEqual(["create daily"]);
    expect(mine.outs[CLAIM_KEY]).not.toBe(theirs.outs[CLAIM_KEY]);
  });
});

describe("get", () => {
  it("reads an existing job without the get marker, and fails clearly on a missing one", async () => {
    const { cloud, provider } = setup();
    cloud.jobs.set("daily", job("theirs"));
    const found = await provider.read!("r1/b1/daily", { [GET_KEY]: true, __provider: "shim" });
    expect(found).toEqual({ id: "r1/b1/daily", props: job("theirs"), inputs: job("theirs") });
    await expect(provider.read!("r1/b1/nope", { [GET_KEY]: true })).rejects.toThrow(
      'fake.BucketInventory.get: no inventory job "r1/b1/nope" exists',
    );
    // A refresh (no marker) still reads a job deleted out of band as gone.
    expect(await provider.read!("r1/b1/nope", {})).toEqual({ id: "", props: {} });
    expect(cloud.writes).toEqual([]);
  });
});

describe("settleDelayMs", () => {
  it("waits as long as the PUT took, within bounds", () => {
    expect(settleDelayMs(-1)).toBe(0);
    expect(settleDelayMs(12.2)).toBe(13);
    expect(settleDelayMs(60_000)).toBe(5000);
  });
});
