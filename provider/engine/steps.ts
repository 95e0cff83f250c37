/**
 * The steps every engine operation is made of, for one dialect: naming a
 * job in messages and in the journal, holding its journal lock, undoing a
 * journal entry when the cloud refused a write, and reading a job (by GET,
 * or through the bucket's pages for refresh, see `./reads`). Shared by
 * `./engine` and `./create`.
 */
import { NotFoundError } from "../core/errors";
import type { EngineEnvironment, InventoryApi, InventoryDialect } from "./dialect";
import { type JobAddress, jsonEqual } from "./job";
import type { Journal, JournalAddress, JournalEntry } from "./journal";
import { jobProps, refused } from "./props";
import { BucketReads } from "./reads";

/** Longest pause before reading a new job back (see {@link settleDelayMs}). */
const MAX_SETTLE_MS = 5000;

/**
 * How long to wait after creating a job before reading it back: as long as
 * the PUT took (capped). A writer elsewhere that also saw the id free could
 * only have done so before our PUT landed, so its own PUT lands within about
 * one more round trip; reading back after that makes such an overwrite show.
 */
export function settleDelayMs(putMs: number): number {
  return Math.min(MAX_SETTLE_MS, Math.max(0, Math.ceil(putMs)));
}

/** The steps of one dialect's operations (see the module comment). */
export interface EngineSteps<Inputs extends JobAddress, Model> {
  /** The cloud's rules. */
  readonly dialect: InventoryDialect<Inputs, Model>;
  /** The journal, warnings and clock. */
  readonly env: EngineEnvironment;
  /** A job as messages name it: `"<id>" on bucket "<bucket>" (<region>)`. */
  where(a: JobAddress): string;
  /** A job as the journal keys it. */
  journalAddress(a: JobAddress): JournalAddress;
  /** A journal entry for the job, keeping what `previous` says. */
  entryFor(a: JobAddress, previous: JournalEntry | undefined): JournalEntry;
  /** Whether two props describe the same job (control and bookkeeping props left out). */
  same(a: Record<string, unknown>, b: Record<string, unknown>): boolean;
  /** Runs `work` holding the job's journal lock. */
  locked<T>(a: JobAddress, work: (journal: Journal) => Promise<T>): Promise<T>;
  /**
   * Runs a write; when the cloud refused it outright (so nothing changed),
   * puts the journal entry back as it was before the write was announced.
   */
  undoIfRefused(
    journal: Journal,
    address: JobAddress,
    before: JournalEntry | undefined,
    write: () => Promise<void>,
  ): Promise<void>;
  /** Reads the job with its own GET; `undefined` when it does not exist. */
  get(api: InventoryApi<Model>, a: JobAddress): Promise<Model | undefined>;
  /** Reads the job for a refresh: by GET, or from a listing of its bucket (see `./reads`). */
  refreshRead(a: JobAddress): Promise<Model | undefined>;
  /** Tells the refresh reads that this process wrote to the job's bucket. */
  wrote(a: JobAddress): void;
}

/** Builds the steps of `dialect`'s operations. */
export function engineSteps<Inputs extends JobAddress, Model>(
  dialect: InventoryDialect<Inputs, Model>,
  env: EngineEnvironment,
): EngineSteps<Inputs, Model> {
  const journalAddress = (a: JobAddress): JournalAddress => ({
    cloud: dialect.cloud,
    endpoint: dialect.endpointId(),
    region: a.region,
    bucket: a.bucket,
    inventoryId: a.inventoryId,
  });
  const reads = new BucketReads<Model>((region) => dialect.api(region), dialect.listing);
  return {
    dialect,
    env,
    where: (a) => `"${a.inventoryId}" on bucket "${a.bucket}" (${a.region})`,
    journalAddress,
    entryFor: (a, previous) => ({ ...previous, version: 1, ...journalAddress(a) }),
    same: (a, b) => jsonEqual(jobProps(a, dialect.controlProperties), jobProps(b, dialect.controlProperties)),
    async locked(a, work) {
      const journal = env.journal();
      const release = await journal.lock(journalAddress(a));
      try {
        return await work(journal);
      } finally {
        release();
      }
    },
    async undoIfRefused(journal, address, before, write) {
      try {
        await write();
      } catch (e) {
        if (refused(e)) {
          if (before === undefined) journal.remove(journalAddress(address));
          else journal.put(before);
        }
        throw e;
      }
    },
    async get(api, a) {
      try {
        return await api.get(a.bucket, a.inventoryId);
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    },
    refreshRead: (a) => reads.read(a.region, a.bucket, a.inventoryId),
    wrote: (a) => reads.forget(a.region, a.bucket),
  };
}
