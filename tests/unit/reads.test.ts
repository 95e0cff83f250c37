/**
 * Refresh reads by the page (`provider/engine/reads.ts`): when a listing
 * replaces GETs, what it may answer, and how a listing that cannot be
 * trusted falls back to GETs.
 */
import { listAllPages, type PageOfJobs } from "../../provider/clouds/common/client";
import { CloudError, NotFoundError } from "../../provider/core/errors";
import { BucketReads, LISTING_MAX_AGE_MS, type PagedReadApi, shouldList } from "../../provider/engine/reads";

type Job = { id: string; v: number };

/** A bucket in memory that logs every request; pages of `pageSize`, in id order. */
class FakeBucket {
  readonly jobs = new Map<string, Job>();
  readonly log: string[] = [];
  pageSize = 3;
  /** Replaces a list page's answer (hostile servers). */
  page?: (token: string | undefined) => { jobs: { id: string; model: Job }[]; next?: string };
  listError?: Error;

  constructor(count: number) {
    for (let i = 0; i < count; i++) this.jobs.set(id(i), { id: id(i), v: 1 });
  }

  api(): PagedReadApi<Job> {
    return {
      get: async (_bucket, jobId) => {
        this.log.push("get");
        const job = this.jobs.get(jobId);
        if (!job)
          throw new NotFoundError({ cloud: "cos", code: "NoSuchInventory", statusCode: 404, message: "no" });
        return { ...job };
      },
      // Through the clients' own paging, so its refusals (a token that comes back, too many jobs) apply.
      list: async () => {
        const jobs = await listAllPages((token) => this.listPage(token), {
          cloud: "cos",
          operation: "LIST inventory on b1",
          maxConfigurations: 30,
          maxPages: 11,
        });
        return jobs.map((job) => ({ id: job.id, model: job }));
      },
    };
  }

  /** One page, as a client's `listPage` answers. */
  private async listPage(token: string | undefined): Promise<PageOfJobs<Job>> {
    this.log.push("list");
    if (this.listError) throw this.listError;
    const page = this.page ? this.page(token) : this.ownPage(token);
    return {
      configurations: page.jobs.map((j) => j.model),
      isTruncated: page.next !== undefined,
      nextContinuationToken: page.next,
    };
  }

  private ownPage(token: string | undefined): { jobs: { id: string; model: Job }[]; next?: string } {
    const ids = [...this.jobs.keys()].sort();
    const start = token === undefined ? 0 : Number(token);
    const end = start + this.pageSize;
    return {
      jobs: ids.slice(start, end).map((i) => ({ id: i, model: { ...this.jobs.get(i)! } })),
      next: end < ids.length ? String(end) : undefined,
    };
  }

  count(kind: "get" | "list"): number {
    return this.log.filter((l) => l === kind).length;
  }
}

/** The fake's listing: at most 10 pages of 3. */
const LISTING = { maxPages: 10, pageSize: 3 };

const id = (i: number) => `job-${String(i).padStart(4, "0")}`;

/** Reads `ids` a few at a time, as the CLI's steps do (`parallel` in flight). */
async function readAll(reads: BucketReads<Job>, ids: string[], parallel = 8): Promise<(Job | undefined)[]> {
  const out: (Job | undefined)[] = new Array(ids.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await reads.read("r1", "b1", ids[i]);
      }
    }),
  );
  return out;
}

describe("shouldList", () => {
  it("lists once the GETs sent reach what a listing costs", () => {
    expect(shouldList(0, 10)).toBe(false);
    expect(shouldList(9, 10)).toBe(false);
    expect(shouldList(10, 10)).toBe(true);
    expect(shouldList(1, 1)).toBe(true);
    // A bucket with no page count yet known never lists on its first read.
    expect(shouldList(0, 0)).toBe(false);
  });
});

describe("BucketReads", () => {
  it("reads a few jobs with GETs only: a stack with few jobs never pays for a listing", async () => {
    const bucket = new FakeBucket(30);
    const reads = new BucketReads(() => bucket.api(), LISTING);
    const got = await readAll(reads, [id(3), id(17), id(29)]);
    expect(got.map((j) => j?.id)).toEqual([id(3), id(17), id(29)]);
    expect(bucket.log).toEqual(["get", "get", "get"]);
  });

  it("reads many jobs with as many GETs as a listing's pages, then one listing", async () => {
    const bucket = new FakeBucket(30); // 10 pages of 3
    const reads = new BucketReads(() => bucket.api(), LISTING);
    const ids = [...bucket.jobs.keys()];
    const got = await readAll(reads, ids);
    expect(got).toEqual(ids.map((i) => ({ id: i, v: 1 })));
    expect(bucket.count("list")).toBe(10);
    // The reads in flight when the listing starts are answered by it, so at most the first 10 are GETs.
    expect(bucket.count("get")).toBe(10);
  });

  it("uses the page count a listing found: after a write, a one-page bucket is listed again after one GET", async () => {
    const bucket = new FakeBucket(3); // one page
    const reads = new BucketReads(() => bucket.api(), LISTING);
    const ids = [...bucket.jobs.keys()];
    for (let i = 0; i < 11; i++) await reads.read("r1", "b1", ids[i % 3]);
    // Not knowing the bucket, 10 GETs (the most pages a listing may take), then its one page.
    expect(bucket.count("get")).toBe(10);
    expect(bucket.count("list")).toBe(1);
    reads.forget("r1", "b1");
    for (let i = 0; i < 5; i++) await reads.read("r1", "b1", ids[i % 3]);
    expect(bucket.log.slice(11)).toEqual(["get", "list"]);
  });

  it("confirms a job the listing lacks with its own GET before reporting it gone", async () => {
    const bucket = new FakeBucket(30);
    const reads = new BucketReads(() => bucket.api(), LISTING);
    await readAll(reads, [...bucket.jobs.keys()].slice(0, 10));
    bucket.jobs.delete(id(20));
    // A listing that lags: it does not show job 25, but the GET does.
    const lagging = bucket.jobs.get(id(25))!;
    bucket.jobs.delete(id(25));
    const listed = await reads.read("r1", "b1", id(0));
    expect(listed).toEqual({ id: id(0), v: 1 });
    bucket.jobs.set(id(25), lagging);
    const before = bucket.count("get");
    await expect(reads.read("r1", "b1", id(20))).resolves.toBeUndefined();
    await expect(reads.read("r1", "b1", id(25))).resolves.toEqual(lagging);
    expect(bucket.count("get")).toBe(before + 2);
  });

  it("answers only from a listing younger than its age limit, and never after a write to the bucket", async () => {
    const bucket = new FakeBucket(30);
    let now = 1_000;
    const reads = new BucketReads(
      () => bucket.api(),
      LISTING,
      () => now,
    );
    await readAll(reads, [...bucket.jobs.keys()].slice(0, 11));
    expect(bucket.count("list")).toBe(10);
    bucket.jobs.set(id(12), { id: id(12), v: 2 });
    await expect(reads.read("r1", "b1", id(12))).resolves.toEqual({ id: id(12), v: 1 });

    now += LISTING_MAX_AGE_MS + 1;
    await expect(reads.read("r1", "b1", id(12))).resolves.toEqual({ id: id(12), v: 2 });
    expect(bucket.log.at(-1)).toBe("get");

    // After a write the listing is gone too (the page count stays known: one GET per page again first).
    const reads2 = new BucketReads(
      () => bucket.api(),
      LISTING,
      () => now,
    );
    await readAll(reads2, [...bucket.jobs.keys()].slice(0, 11));
    bucket.jobs.set(id(13), { id: id(13), v: 3 });
    reads2.forget("r1", "b1");
    await expect(reads2.read("r1", "b1", id(13))).resolves.toEqual({ id: id(13), v: 3 });
  });

  it("keeps buckets and regions apart", async () => {
    const a = new FakeBucket(30);
    const b = new FakeBucket(30);
    const reads = new BucketReads((region) => (region === "r1" ? a.api() : b.api()), LISTING);
    await readAll(reads, [...a.jobs.keys()].slice(0, 12));
    await reads.read("r2", "b1", id(0));
    await reads.read("r1", "b2", id(0));
    expect(b.log).toEqual(["get"]);
    expect(a.count("list")).toBe(10);
  });

  it("falls back to GETs, each with its own answer or error, when listing fails; and lists no more", async () => {
    const bucket = new FakeBucket(30);
    bucket.listError = new CloudError({
      cloud: "cos",
      code: "AccessDenied",
      statusCode: 403,
      message: "no list",
    });
    const reads = new BucketReads(() => bucket.api(), LISTING);
    const ids = [...bucket.jobs.keys()];
    const got = await readAll(reads, ids);
    expect(got.every((j) => j?.v === 1)).toBe(true);
    expect(bucket.count("list")).toBe(1);
    expect(bucket.count("get")).toBe(30);
  });

  it.each([
    ["a continuation token that comes back", () => ({ jobs: [], next: "same" })],
    [
      "one id listed twice",
      (t: string | undefined) => ({
        jobs: [{ id: id(0), model: { id: id(0), v: t === undefined ? 1 : 9 } }],
        next: t === undefined ? "2" : undefined,
      }),
    ],
    ["pages without end", (t: string | undefined) => ({ jobs: [], next: String(Number(t ?? 0) + 1) })],
  ])("does not trust a listing with %s: GETs instead", async (_what, page) => {
    const bucket = new FakeBucket(30);
    const reads = new BucketReads(() => bucket.api(), LISTING);
    await readAll(reads, [...bucket.jobs.keys()].slice(0, 10), 1);
    bucket.page = page;
    const gets = bucket.count("get");
    await expect(reads.read("r1", "b1", id(0))).resolves.toEqual({ id: id(0), v: 1 });
    expect(bucket.count("get")).toBe(gets + 1);
    expect(bucket.count("list")).toBeLessThanOrEqual(11);
  });

  it("passes a GET's error on unchanged", async () => {
    const bucket = new FakeBucket(1);
    const denied = new CloudError({ cloud: "oss", code: "AccessDenied", statusCode: 403, message: "denied" });
    const reads = new BucketReads(() => ({ ...bucket.api(), get: () => Promise.reject(denied) }), LISTING);
    await expect(reads.read("r1", "b1", id(0))).rejects.toBe(denied);
  });
});
