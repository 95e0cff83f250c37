/**
 * The emulator's job store: buckets → (dialect, id) → the stored job.
 *
 * Cloud-neutral: a job is an opaque body (the canonical XML the dialect wants
 * to serve back) keyed by the dialect that wrote it and its id, so the COS and
 * OSS dialects can share one store without seeing each other's jobs.
 *
 * Persistence (when a data directory is given): one small JSON file per job,
 * `<dataDir>/buckets/<bucket>/<dialect>/<id>.json`, each written atomically
 * (temp file, fsync, rename, fsync of the directory) before the write's promise
 * resolves. The server only answers after that, so an acknowledged write
 * survives a `kill -9`, and a restarted emulator serves the same jobs. One
 * file per job keeps a put O(1) in the number of jobs already stored.
 * Without a data directory everything lives in memory.
 */
import { promises as fsp } from "fs";
import * as path from "path";

/** One stored inventory job. */
export interface StoredJob {
  /** Dialect that wrote it, e.g. `cos`. */
  dialect: string;
  /** Job id, as given in the request URL. */
  id: string;
  /** What the dialect serves back on GET/list (canonical XML for COS). */
  body: string;
  /** When it was last written, ISO 8601. */
  updated: string;
}

/** Options of {@link InventoryStore.open}. */
export interface StoreOptions {
  /** Buckets that exist. Jobs on disk for other buckets are left alone and not served. */
  buckets: string[];
  /** Directory for persistent state; omitted means in memory only. */
  dataDir?: string;
}

/** Result of {@link InventoryStore.put}. */
export type PutOutcome = "created" | "replaced" | "limit" | "exists";

/** Thrown when a bucket name cannot be used (empty, or not a plain path segment). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

/** The on-disk shape of one job file. */
interface JobFile {
  version: 1;
  bucket: string;
  dialect: string;
  id: string;
  body: string;
  updated: string;
}

/** Encodes any string as a safe, reversible file-name segment (never `.`/`..`, no `/`). */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/\./g, "%2E").replace(/\*/g, "%2A");
}

/** Inverse of {@link encodeSegment}. */
function decodeSegment(value: string): string {
  return decodeURIComponent(value);
}

/** The map key for a (dialect, id) pair inside one bucket. */
function jobKey(dialect: string, id: string): string {
  return `${dialect}\u0000${id}`;
}

/** Code-point order (stable across locales), used for listing. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The emulator's persistent (or in-memory) store of inventory jobs.
 *
 * Writes to one bucket are serialised (each waits for the previous one to be
 * durable), which makes the per-bucket job limit exact under concurrency.
 * Reads are synchronous and see every acknowledged write.
 */
export class InventoryStore {
  private readonly jobs = new Map<string, Map<string, StoredJob>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly dataDir?: string;
  private tempCounter = 0;

  private constructor(buckets: string[], dataDir?: string) {
    this.dataDir = dataDir;
    for (const bucket of buckets) {
      if (!bucket || bucket.includes("/") || bucket === "." || bucket === "..") {
        throw new StoreError(`invalid bucket name ${JSON.stringify(bucket)}`);
      }
      this.jobs.set(bucket, new Map());
    }
  }

  /**
   * Opens a store. With a data directory, creates it when missing and loads
   * the jobs of the given buckets (stray temp files from a crash are removed).
   */
  static async open(options: StoreOptions): Promise<InventoryStore> {
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
    const store = new InventoryStore(options.buckets, dataDir);
    if (dataDir) {
      await fsp.mkdir(path.join(dataDir, "buckets"), { recursive: true });
      for (const bucket of store.jobs.keys()) await store.load(bucket);
    }
    return store;
  }

  /** Whether the data is persisted (a data directory was given). */
  get persistent(): boolean {
    return this.dataDir !== undefined;
  }

  /** The buckets that exist, in the order given. */
  bucketNames(): string[] {
    return [...this.jobs.keys()];
  }

  /** Whether a bucket exists. */
  hasBucket(bucket: string): boolean {
    return this.jobs.has(bucket);
  }

  /** One job, or undefined. */
  get(bucket: string, dialect: string, id: string): StoredJob | undefined {
    return this.jobs.get(bucket)?.get(jobKey(dialect, id));
  }

  /** All jobs of one dialect in a bucket, sorted by id (code-point order). */
  list(bucket: string, dialect: string): StoredJob[] {
    const all = this.jobs.get(bucket);
    if (!all) return [];
    return [...all.values()].filter((j) => j.dialect === dialect).sort((a, b) => compareIds(a.id, b.id));
  }

  /** How many jobs of one dialect a bucket holds. */
  count(bucket: string, dialect: string): number {
    const all = this.jobs.get(bucket);
    if (!all) return 0;
    let n = 0;
    for (const j of all.values()) if (j.dialect === dialect) n++;
    return n;
  }

  /**
   * Creates or overwrites a job; resolves once it is durable. A new id in a
   * bucket that already holds `maxJobs` jobs of that dialect is refused with
   * `"limit"` and nothing is written; with `mustNotExist`, an existing id is
   * refused with `"exists"` (decided in the bucket's queue, so two racing
   * creates cannot both win).
   */
  put(
    bucket: string,
    job: { dialect: string; id: string; body: string },
    options: { maxJobs?: number; now?: Date; mustNotExist?: boolean } = {},
  ): Promise<PutOutcome> {
    return this.enqueue(bucket, async () => {
      const all = this.bucket(bucket);
      const key = jobKey(job.dialect, job.id);
      const exists = all.has(key);
      if (exists && options.mustNotExist) {
        return "exists";
      }
      if (!exists && options.maxJobs !== undefined && this.count(bucket, job.dialect) >= options.maxJobs) {
        return "limit";
      }
      const stored: StoredJob = {
        dialect: job.dialect,
        id: job.id,
        body: job.body,
        updated: (options.now ?? new Date()).toISOString(),
      };
      await this.writeJob(bucket, stored);
      all.set(key, stored);
      return exists ? "replaced" : "created";
    });
  }

  /** Deletes a job; resolves to whether it existed, once the deletion is durable. */
  delete(bucket: string, dialect: string, id: string): Promise<boolean> {
    return this.enqueue(bucket, async () => {
      const all = this.bucket(bucket);
      const key = jobKey(dialect, id);
      if (!all.has(key)) return false;
      if (this.dataDir) {
        const file = this.jobPath(bucket, dialect, id);
        await fsp.rm(file, { force: true });
        await fsyncDir(path.dirname(file));
      }
      all.delete(key);
      return true;
    });
  }

  /** Removes every job of every bucket (buckets stay); durable when it resolves. */
  async clear(): Promise<void> {
    await Promise.all(
      [...this.jobs.keys()].map((bucket) =>
        this.enqueue(bucket, async () => {
          if (this.dataDir) {
            const dir = this.bucketDir(bucket);
            await fsp.rm(dir, { recursive: true, force: true });
            await fsyncDir(path.dirname(dir));
          }
          this.bucket(bucket).clear();
        }),
      ),
    );
  }

  /** Every job, per bucket, sorted by dialect then id (for the admin API). */
  dump(): Record<string, StoredJob[]> {
    const out: Record<string, StoredJob[]> = {};
    for (const [bucket, all] of this.jobs) {
      out[bucket] = [...all.values()].sort(
        (a, b) => compareIds(a.dialect, b.dialect) || compareIds(a.id, b.id),
      );
    }
    return out;
  }

  /** Waits for every pending write to finish. */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()].map((p) => p.catch(() => undefined)));
  }

  private bucket(bucket: string): Map<string, StoredJob> {
    const all = this.jobs.get(bucket);
    if (!all) throw new StoreError(`no such bucket ${JSON.stringify(bucket)}`);
    return all;
  }

  /** Runs `op` after every earlier write to the same bucket has settled. */
  private enqueue<T>(bucket: string, op: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bucket) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(op);
    const settled = next.catch(() => undefined);
    this.queues.set(bucket, settled);
    void settled.then(() => {
      if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
    });
    return next;
  }

  private bucketDir(bucket: string): string {
    return path.join(this.dataDir ?? "", "buckets", encodeSegment(bucket));
  }

  private jobPath(bucket: string, dialect: string, id: string): string {
    return path.join(this.bucketDir(bucket), encodeSegment(dialect), `${encodeSegment(id)}.json`);
  }

  private async writeJob(bucket: string, job: StoredJob): Promise<void> {
    if (!this.dataDir) return;
    const file = this.jobPath(bucket, job.dialect, job.id);
    const dir = path.dirname(file);
    const created = await fsp.mkdir(dir, { recursive: true });
    if (created !== undefined) {
      // New directories: make their entries durable up to the bucket root.
      await fsyncDir(path.dirname(dir));
      await fsyncDir(path.dirname(path.dirname(dir)));
    }
    const content: JobFile = { version: 1, bucket, ...job };
    await atomicWrite(file, JSON.stringify(content), `${process.pid}-${++this.tempCounter}`);
  }

  private async load(bucket: string): Promise<void> {
    const all = this.bucket(bucket);
    const root = this.bucketDir(bucket);
    for (const dialectDir of await readDirIfExists(root)) {
      const dir = path.join(root, dialectDir);
      for (const name of await readDirIfExists(dir)) {
        const file = path.join(dir, name);
        if (name.includes(".tmp-")) {
          await fsp.rm(file, { force: true });
          continue;
        }
        if (!name.endsWith(".json")) continue;
        const parsed = JSON.parse(await fsp.readFile(file, "utf8")) as Partial<JobFile>;
        if (
          typeof parsed.id !== "string" ||
          typeof parsed.dialect !== "string" ||
          typeof parsed.body !== "string"
        ) {
          throw new StoreError(`corrupt job file ${file}`);
        }
        const dialect = decodeSegment(dialectDir);
        const job: StoredJob = {
          dialect,
          id: parsed.id,
          body: parsed.body,
          updated: typeof parsed.updated === "string" ? parsed.updated : new Date(0).toISOString(),
        };
        all.set(jobKey(dialect, job.id), job);
      }
    }
  }
}

/** Lists a directory, or returns [] when it does not exist. */
async function readDirIfExists(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

/** fsyncs a directory so renames and unlinks inside it are durable. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `content` to `file` atomically and durably: a temp file in the same
 * directory, fsync, rename over the target, fsync of the directory.
 */
export async function atomicWrite(file: string, content: string, tempTag: string): Promise<void> {
  const temp = `${file}.tmp-${tempTag}`;
  const handle = await fsp.open(temp, "w", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(temp, file);
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}
