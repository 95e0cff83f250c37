import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  FileJournal,
  JournalEntry,
  MemoryJournal,
  interrupted,
  journalDir,
  journalKey,
  pendingNow,
} from "../../provider/engine/journal";

/** The PID of a process that has exited. */
function deadPid(): number {
  return spawnSync("true").pid!;
}

const address = {
  cloud: "cos",
  endpoint: "default",
  region: "ap-guangzhou",
  bucket: "b-1250000000",
  inventoryId: "daily",
};
const entry: JournalEntry = { version: 1, ...address, stack: "proj/dev", claim: "t1" };

describe("journal location and keys", () => {
  it("uses BUCKET_INVENTORY_JOURNAL_DIR, else PULUMI_HOME, else ~/.pulumi", () => {
    expect(journalDir({ BUCKET_INVENTORY_JOURNAL_DIR: "/x/j" })).toBe("/x/j");
    expect(journalDir({ PULUMI_HOME: "/p" })).toBe("/p/bucket-inventory/journal");
    expect(journalDir({})).toBe(path.join(os.homedir(), ".pulumi", "bucket-inventory", "journal"));
  });

  it("keys every part of the address, so endpoints and clouds never share a record", () => {
    const keys = new Set([
      journalKey(address),
      journalKey({ ...address, cloud: "oss" }),
      journalKey({ ...address, endpoint: "http://127.0.0.1:9100" }),
      journalKey({ ...address, region: "ap-beijing" }),
      journalKey({ ...address, bucket: "c-1250000000" }),
      journalKey({ ...address, inventoryId: "weekly" }),
    ]);
    expect(keys.size).toBe(6);
  });
});

describe("pending changes", () => {
  it("counts a change as interrupted only when its process is gone", () => {
    expect(interrupted(undefined)).toBe(false);
    expect(interrupted(pendingNow("update", {}))).toBe(false);
    expect(interrupted({ ...pendingNow("update", {}), pid: deadPid() })).toBe(true);
    // On another host we cannot tell, so it is not treated as interrupted.
    expect(interrupted({ ...pendingNow("update", {}), pid: deadPid(), host: "elsewhere" })).toBe(false);
  });
});

for (const [name, make] of [
  ["FileJournal", () => new FileJournal(fs.mkdtempSync(path.join(os.tmpdir(), "journal-")), 300)],
  ["MemoryJournal", () => new MemoryJournal()],
] as const) {
  describe(name, () => {
    it("stores, lists and removes entries", () => {
      const j = make();
      expect(j.get(address)).toBeUndefined();
      j.put(entry);
      j.put({ ...entry, inventoryId: "weekly" });
      expect(j.get(address)).toEqual(entry);
      expect(
        j
          .entries()
          .map((e) => e.inventoryId)
          .sort(),
      ).toEqual(["daily", "weekly"]);
      j.remove(address);
      expect(j.get(address)).toBeUndefined();
      expect(j.entries()).toHaveLength(1);
    });

    it("lets one holder at a time change a job", async () => {
      const j = make();
      const order: string[] = [];
      const release = await j.lock(address);
      const second = j.lock(address).then((r) => {
        order.push("second");
        r();
      });
      await new Promise((r) => setTimeout(r, 120));
      order.push("first");
      release();
      await second;
      expect(order).toEqual(["first", "second"]);
      // Another job is not held up.
      (await j.lock({ ...address, inventoryId: "other" }))();
    });
  });
}

describe("FileJournal locks", () => {
  it("breaks a lock left by a dead process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    const j = new FileJournal(dir, 300);
    fs.writeFileSync(
      path.join(dir, `${journalKey(address)}.lock`),
      JSON.stringify({ pid: deadPid(), host: os.hostname() }),
    );
    const release = await j.lock(address);
    release();
  });

  it("gives up on a live holder after the wait, naming the job and the lock file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    const j = new FileJournal(dir, 200);
    const file = path.join(dir, `${journalKey(address)}.lock`);
    fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    await expect(j.lock(address)).rejects.toThrow(
      `inventory job "daily" on bucket "b-1250000000" is being changed by process ${process.ppid}`,
    );
    await expect(j.lock(address)).rejects.toThrow(file);
  });

  it("never leaves a half-written record: writes go to a temporary file first", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    const j = new FileJournal(dir);
    j.put(entry);
    expect(fs.readdirSync(dir)).toEqual([`${journalKey(address)}.json`]);
    expect((fs.statSync(path.join(dir, `${journalKey(address)}.json`)).mode & 0o777).toString(8)).toBe("600");
  });
});
