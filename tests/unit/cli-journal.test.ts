import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatJournal, parseJournalArgs, runJournal } from "../../provider/cli/journal";
import { FileJournal, JournalEntry, pendingNow } from "../../provider/engine/journal";

const base: JournalEntry = {
  version: 1,
  cloud: "cos",
  endpoint: "default",
  region: "ap-guangzhou",
  bucket: "b-1250000000",
  inventoryId: "daily",
  stack: "proj/dev",
  claim: "t",
};
const dead = () => ({ ...pendingNow("create", {}), pid: spawnSync("true").pid! });

describe("bucket-inventory journal", () => {
  it("lists interrupted changes first, each with its recovery", () => {
    const lines = formatJournal([
      base,
      { ...base, inventoryId: "weekly", pending: { ...dead(), op: "update" } },
      { ...base, inventoryId: "new", pending: dead() },
      { ...base, inventoryId: "busy", pending: pendingNow("delete", {}) },
    ]);
    expect(lines[0]).toMatch(/^INTERRUPTED (update|create) of cos ap-guangzhou\/b-1250000000\//);
    expect(lines.slice(0, 2).join("\n")).toContain(
      "Run `pulumi up` in stack proj/dev: it takes the job back",
    );
    expect(lines.slice(0, 2).join("\n")).toContain("writes the declared configuration again");
    expect(lines[2]).toMatch(/^(managed|in progress)/);
    expect(lines).toContain(
      "managed: cos ap-guangzhou/b-1250000000/daily (endpoint default), stack proj/dev",
    );
    expect(formatJournal([])).toEqual(["the journal is empty: no job changes are known on this machine"]);
  });

  it("reads a journal folder, as text or JSON", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-cli-"));
    new FileJournal(dir).put({ ...base, pending: dead() });
    const out: string[] = [];
    expect(
      runJournal(
        ["--dir", dir],
        (l) => out.push(l),
        () => undefined,
      ),
    ).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^INTERRUPTED create/);
    out.length = 0;
    expect(
      runJournal(
        [`--dir=${dir}`, "--json"],
        (l) => out.push(l),
        () => undefined,
      ),
    ).toBe(0);
    expect(JSON.parse(out[0])).toEqual([
      expect.objectContaining({ inventoryId: "daily", interrupted: true }),
    ]);
  });

  it("forgets one job's entries with --forget, and refuses while a change of it is unfinished", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-cli-"));
    const journal = new FileJournal(dir);
    journal.put(base);
    journal.put({ ...base, endpoint: "http://127.0.0.1:9100" });
    journal.put({ ...base, inventoryId: "weekly" });
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) =>
      runJournal(
        ["--dir", dir, ...args],
        (l) => out.push(l),
        (l) => err.push(l),
      );
    expect(run("--forget", "cos:ap-guangzhou/b-1250000000/daily")).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^forgot: managed: cos/), expect.stringMatching(/^forgot: /)]);
    expect(journal.entries().map((e) => e.inventoryId)).toEqual(["weekly"]);
    out.length = 0;
    expect(run("--forget=cos:ap-guangzhou/b-1250000000/daily")).toBe(0);
    expect(out).toEqual([expect.stringMatching(/knows nothing of .*nothing to forget/)]);

    journal.put({ ...base, inventoryId: "weekly", pending: dead() });
    expect(run("--forget", "cos:ap-guangzhou/b-1250000000/weekly")).toBe(1);
    expect(err.join("\n")).toMatch(/INTERRUPTED create[\s\S]*nothing was forgotten/);
    expect(journal.entries()).toHaveLength(1);

    expect(parseJournalArgs(["--forget", "ap-guangzhou/b/daily"])).toMatch(/--forget needs <cloud>:/);
  });

  it("refuses unknown options with usage status 2", () => {
    const err: string[] = [];
    expect(
      runJournal(
        ["--bogus"],
        () => undefined,
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err[0]).toBe('error: unknown or incomplete option "--bogus"');
    expect(parseJournalArgs(["--help"])).toBe("help");
  });
});
