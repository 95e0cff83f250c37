/**
 * Refresh reads of many jobs of one bucket, by the page.
 *
 * A refresh reads every job of a stack, a few at a time (the CLI runs 8
 * steps at once by default), so the reads of one bucket arrive one after
 * another and never all together. Each read costs a GET; a listing of the
 * whole bucket costs one request per page (at most the bucket's job limit ÷
 * the page size: 10 on COS and OSS) and answers every read that follows. We
 * cannot know in advance how many reads will come, so the choice is the
 * rent-or-buy one: keep sending GETs until this process has sent as many for
 * the bucket as a listing would cost, then list once and answer the rest from
 * the listing. A stack with few jobs in a bucket that holds many never lists
 * (it sends fewer GETs than a listing has pages); a stack with many never
 * pays more than twice the cheaper of the two, and at 1,000 jobs about 20
 * requests instead of 1,000.
 *
 * What a read answered from a listing means is what a GET means, with two
 * rules that keep it so:
 * - a job the listing does not hold is read again with its own GET before it
 *   is reported gone, so a missing job is always a fresh 404 (and a listing
 *   that lags behind the service never drops a job from a stack);
 * - a listing answers only reads made within {@link LISTING_MAX_AGE_MS} of
 *   when it started, and a write of this process to the bucket drops it.
 * When listing fails (an error, paging the clients' `listAllPages` refuses,
 * one id listed twice), the waiting reads are sent as GETs, so each gets
 * exactly the answer or error a GET gets, and the bucket is not listed again
 * by this process.
 */
import { NotFoundError } from "../core/errors";

/** A job as a listing names it. */
export interface ListedJob<Model> {
  /** The job's id. */
  readonly id: string;
  /** The job. */
  readonly model: Model;
}

/** What {@link BucketReads} needs from a cloud. */
export interface PagedReadApi<Model> {
  /** Reads a job; rejects with {@link NotFoundError} when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /**
   * Every job of the bucket, following the pages; rejects when the pages
   * cannot be trusted (the clients' paging refuses a truncated page without
   * a new token and more jobs than the limit).
   */
  list(bucket: string): Promise<ReadonlyArray<ListedJob<Model>>>;
}

/** How long a listing answers reads for, counted from when it started. */
export const LISTING_MAX_AGE_MS = 15_000;

/**
 * Whether the next read of a bucket should list it: once the GETs already
 * sent for it reach what a listing costs (`pagesBound`, its most pages, or
 * the page count the last listing of the bucket found). Pure.
 */
export function shouldList(getsSent: number, pagesBound: number): boolean {
  return getsSent >= Math.max(1, pagesBound);
}

/** A bucket's jobs as one listing found them. */
interface Listing<Model> {
  /** When the listing started (ms, the process's clock). */
  startedAt: number;
  /** Its pages: settled once every page is in. */
  jobs: Promise<ReadonlyMap<string, Model>>;
}

/** One bucket's reading state in this process. */
interface BucketState<Model> {
  /** GETs sent since the last listing (or since the first read). */
  getsSent: number;
  /** Pages the last complete listing took. */
  pages?: number;
  /** The current listing, while it may answer reads. */
  listing?: Listing<Model>;
  /** Set when a listing failed: this process reads the bucket by GET only. */
  listingFailed?: boolean;
}

/** Why a listing cannot be trusted; internal: the reads fall back to GETs. */
class ListingRefused extends Error {}

/**
 * The reads of one cloud's jobs in one process, by GET or by listing, per
 * region and bucket (see the module comment).
 */
export class BucketReads<Model> {
  private readonly buckets = new Map<string, BucketState<Model>>();

  /**
   * @param api the client for a region (called at read time, so fresh
   *   credentials and configuration are used)
   * @param listing the most pages a listing of one bucket takes, and the jobs a page holds
   * @param now the clock (tests may replace it)
   */
  constructor(
    private readonly api: (region: string) => PagedReadApi<Model>,
    private readonly listing: { readonly maxPages: number; readonly pageSize: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads job `id` of `bucket` in `region`; `undefined` when it does not exist (a fresh GET said 404). */
  async read(region: string, bucket: string, id: string): Promise<Model | undefined> {
    const state = this.state(region, bucket);
    const requestedAt = this.now();
    if (state.listing !== undefined && requestedAt - state.listing.startedAt > LISTING_MAX_AGE_MS) {
      state.listing = undefined;
      state.getsSent = 0;
    }
    if (
      state.listing === undefined &&
      !state.listingFailed &&
      shouldList(state.getsSent, state.pages ?? this.listing.maxPages)
    ) {
      state.listing = this.list(region, bucket, state);
    }
    const listing = state.listing;
    if (listing !== undefined) {
      try {
        const found = (await listing.jobs).get(id);
        if (found !== undefined) return found;
      } catch (e) {
        if (!(e instanceof ListingRefused)) throw e;
      }
    }
    state.getsSent++;
    return this.get(region, bucket, id);
  }

  /** Drops what this process knows of the bucket's jobs: call on every write to it. */
  forget(region: string, bucket: string): void {
    const state = this.buckets.get(key(region, bucket));
    if (state !== undefined) state.listing = undefined;
  }

  private state(region: string, bucket: string): BucketState<Model> {
    const k = key(region, bucket);
    let state = this.buckets.get(k);
    if (state === undefined) {
      state = { getsSent: 0 };
      this.buckets.set(k, state);
    }
    return state;
  }

  private async get(region: string, bucket: string, id: string): Promise<Model | undefined> {
    try {
      return await this.api(region).get(bucket, id);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** Starts a listing of the bucket; a failure marks the bucket GET-only and rejects with {@link ListingRefused}. */
  private list(region: string, bucket: string, state: BucketState<Model>): Listing<Model> {
    const startedAt = this.now();
    const jobs = (async () => {
      const out = new Map<string, Model>();
      for (const job of await this.api(region).list(bucket)) {
        if (out.has(job.id)) throw new ListingRefused(`job "${job.id}" listed twice`);
        out.set(job.id, job.model);
      }
      state.pages = Math.max(1, Math.ceil(out.size / this.listing.pageSize));
      state.getsSent = 0;
      return out;
    })().catch((e: unknown) => {
      state.listingFailed = true;
      if (state.listing?.jobs === jobs) state.listing = undefined;
      throw e instanceof ListingRefused ? e : new ListingRefused(String(e), { cause: e });
    });
    // Reads that come while it runs await it; no one may be left with an unhandled rejection.
    jobs.catch(() => undefined);
    return { startedAt, jobs };
  }
}

function key(region: string, bucket: string): string {
  return `${region}\n${bucket}`;
}
