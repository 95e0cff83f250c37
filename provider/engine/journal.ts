/**
 * The provider's local journal: what the engine's state cannot record.
 *
 * A dynamic provider can only tell the engine about a change once the change
 * is over; a provider process killed half-way (a crash, `kill -9`, a CI job
 * cancelled) leaves the engine believing the old state while the cloud holds
 * something else. The journal closes that gap on the machine that ran the
 * change. It keeps one small JSON record per job, written before the first
 * request that changes the job:
 *
 * - `pending`: the change under way (create, update or delete) with the
 *   configuration being written and the one being replaced, and the process
 *   doing it. A record whose process is gone is an interrupted change; the
 *   next provider process completes it (see the engine).
 * - `stack` and `claim`: which stack and which resource (a random token kept
 *   in the resource's outputs) manage the job now, so that the delete of a
 *   renamed resource's old name does not delete the job its new name manages,
 *   and a job another stack on this machine manages is never taken over.
 *
 * Records live in one folder (see {@link journalDir}); a per-job lock file
 * there serializes the check-then-write of concurrent deployments on the same
 * machine. Nothing here makes a request.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A change in progress on one job. */
export interface PendingChange {
  /** What is being done. */
  op: "create" | "update" | "delete";
  /** The job configuration being written (normalized inputs), for create and update. */
  after?: Record<string, unknown>;
  /** The configuration being replaced, when known. */
  before?: Record<string, unknown>;
  /** The provider process doing it. */
  pid: number;
  /** The host it runs on. */
  host: string;
  /** When it started, ISO 8601. */
  since: string;
}

/** What the journal knows about one job. */
export interface JournalEntry {
  /** Record layout version. */
  version: 1;
  /** `cos` or `oss`. */
  cloud: string;
  /** The endpoint the job lives behind (`default` or the override), so emulators and clouds never mix. */
  endpoint: string;
  /** Region of the bucket. */
  region: string;
  /** Bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
  /** The stack (`<project>/<stack>`) whose resource manages the job, when known. */
  stack?: string;
  /** Token of the resource that manages the job (kept in that resource's outputs). */
  claim?: string;
  /** The change under way, if any. */
  pending?: PendingChange;
}

/** Where a job is, as the journal keys it. */
export interface JournalAddress {
  /** `cos` or `oss`. */
  cloud: string;
  /** `default` or the endpoint override text. */
  endpoint: string;
  /** Region. */
  region: string;
  /** Bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
}

/** Storage for journal entries, plus a per-job lock. */
export interface Journal {
  /** The entry of a job, if any. */
  get(address: JournalAddress): JournalEntry | undefined;
  /** Writes (replaces) the entry of a job, durably. */
  put(entry: JournalEntry): void;
  /** Removes the entry of a job. */
  remove(address: JournalAddress): void;
  /** Every entry, for the `journal` command. */
  entries(): JournalEntry[];
  /**
   * Takes the job's lock, waiting while another live process holds it;
   * resolves with the function that releases it.
   */
  lock(address: JournalAddress): Promise<() => void>;
}

/** The file name (without extension) of a job's record: a hash, since ids and endpoints may hold any character. */
export function journalKey(a: JournalAddress): string {
  return createHash("sha256")
    .update([a.cloud, a.endpoint, a.region, a.bucket, a.inventoryId].join("\n"))
    .digest("hex")
    .slice(0, 32);
}

/**
 * The journal folder: env `BUCKET_INVENTORY_JOURNAL_DIR`, else
 * `$PULUMI_HOME/bucket-inventory/journal`, else `~/.pulumi/bucket-inventory/journal`
 * (next to the Pulumi CLI's own per-user files).
 */
export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUCKET_INVENTORY_JOURNAL_DIR) {
    return path.resolve(env.BUCKET_INVENTORY_JOURNAL_DIR);
  }
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return path.join(home, "bucket-inventory", "journal");
}

/** Whether process `pid` on `host` is still running (a process on another host counts as running: we cannot tell). */
function processAlive(pid: number, host: string): boolean {
  if (host !== os.hostname()) {
    return true;
  }
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a pending change was interrupted: its process is gone. */
export function interrupted(p: PendingChange | undefined): boolean {
  return p !== undefined && !processAlive(p.pid, p.host);
}

/** A pending change by this process, starting now. */
export function pendingNow(
  op: PendingChange["op"],
  change: Pick<PendingChange, "after" | "before">,
): PendingChange {
  return { op, ...change, pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
}

/** How long {@link FileJournal.lock} waits for a live holder before giving up. */
const LOCK_WAIT_MS = 10 * 60 * 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A journal in a folder: one `<key>.json` per job, `<key>.lock` while a process changes it. */
export class FileJournal implements Journal {
  /**
   * @param dir the folder (created on first write)
   * @param lockWaitMs how long to wait for a lock held by a live process
   */
  constructor(
    readonly dir: string,
    private readonly lockWaitMs = LOCK_WAIT_MS,
  ) {}

  private file(a: JournalAddress, ext: string): string {
    return path.join(this.dir, `${journalKey(a)}.${ext}`);
  }

  get(address: JournalAddress): JournalEntry | undefined {
    return readJson(this.file(address, "json"));
  }

  put(entry: JournalEntry): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const target = this.file(entry, "json");
    // Write a temporary file, flush it, then rename: a crash leaves the old record or the new one, never half.
    const tmp = `${target}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(entry, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  }

  remove(address: JournalAddress): void {
    fs.rmSync(this.file(address, "json"), { force: true });
  }

  entries(): JournalEntry[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith(".json"))
      .map((n) => readJson(path.join(this.dir, n)))
      .filter((e): e is JournalEntry => e !== undefined);
  }

  async lock(address: JournalAddress): Promise<() => void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.file(address, "lock");
    const holder = JSON.stringify({ pid: process.pid, host: os.hostname() });
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      try {
        fs.writeFileSync(file, holder, { flag: "wx", mode: 0o600 });
        return () => fs.rmSync(file, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const current = readJson<{ pid: number; host: string }>(file);
      if (current && !processAlive(current.pid, current.host)) {
        // Left by a process that died while holding it.
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `inventory job "${address.inventoryId}" on bucket "${address.bucket}" is being changed by process ` +
            `${current?.pid ?? "?"} on this machine (another deployment?); waited ${Math.round(this.lockWaitMs / 1000)} s. ` +
            `If no such process runs, remove ${file} and retry.`,
        );
      }
      await sleep(50 + Math.floor(Math.random() * 50));
    }
  }
}

/** A journal in memory, for tests and for callers that opt out of the file journal. */
export class MemoryJournal implements Journal {
  private readonly records = new Map<string, JournalEntry>();
  private readonly locks = new Map<string, Promise<void>>();

  get(address: JournalAddress): JournalEntry | undefined {
    const e = this.records.get(journalKey(address));
    return e && structuredClone(e);
  }

  put(entry: JournalEntry): void {
    this.records.set(journalKey(entry), structuredClone(entry));
  }

  remove(address: JournalAddress): void {
    this.records.delete(journalKey(address));
  }

  entries(): JournalEntry[] {
    return [...this.records.values()].map((e) => structuredClone(e));
  }

  async lock(address: JournalAddress): Promise<() => void> {
    const key = journalKey(address);
    while (this.locks.has(key)) {
      await this.locks.get(key);
    }
    let release!: () => void;
    this.locks.set(
      key,
      new Promise<void>((resolve) => {
        release = () => {
          this.locks.delete(key);
          resolve();
        };
      }),
    );
    return release;
  }
}

function readJson<T = JournalEntry>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
