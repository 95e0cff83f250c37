/**
 * Requests per job on the real CLI against the emulator, both clouds: a
 * create is one PUT on OSS (three requests on COS, whose PUT overwrites: a
 * GET before, a read-back after); a refresh of many jobs of one bucket
 * reads them through the bucket's list pages once a listing is cheaper,
 * and still sees drift and a job deleted out of band; a stack with few jobs
 * in a bucket that holds many reads them with GETs only.
 */
import { type LifecycleCase, lifecycleCases } from "./clouds";
import { countByOperation } from "./emulator";
import { resourcesOfType } from "./harness";
import { emulatorSuite, program, summary } from "./support";

/** Jobs nobody manages, so that a listing of the bucket takes 3 pages of 100. */
const OTHERS = 200;

/** A program declaring `count` minimal jobs `job-000`… on the case's bucket. */
function manyJobs(c: LifecycleCase, count: number): string {
  return program(`for (let i = 0; i < ${count}; i++) {
  const id = "job-" + String(i).padStart(3, "0");
  new inventory.${c.cloud}.BucketInventory(id, ${c.minimalArgs("Daily", "inventoryId: id,")});
}`);
}

/** Scales a request count per job to `n` jobs. */
function times(counts: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([op, k]) => [op, k * n]));
}

describe.each(lifecycleCases().map((c) => [c.cloud, c] as const))("%s: requests per job", (_, c) => {
  const suite = emulatorSuite();

  it("creates with the cloud's requests per job; refreshes through list pages, seeing drift and a delete", async () => {
    const { emu } = suite;
    const oob = c.outOfBand(emu);
    for (let i = 0; i < OTHERS; i++) await oob.putMinimal(`other-${String(i).padStart(3, "0")}`, "Weekly");
    const p = await suite.project(`${c.cloud}-pages`, manyJobs(c, 30));

    await emu.clearLog();
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(summary(up)).toMatchObject({ create: 31 });
    // OSS: one PUT per job; COS: a GET before and a read-back after each PUT.
    expect(countByOperation(await emu.requests())).toEqual(times(c.requests.create, 30));

    await oob.disable("job-017");
    await oob.delete("job-023");
    await emu.clearLog();
    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ update: 1, delete: 1 });
    const log = await emu.requests();
    const counts = countByOperation(log);
    // As many GETs as a listing's most pages (10), then the listing (3 pages) answers the other reads;
    // the deleted job, when the listing answered its read, is confirmed gone by one more GET.
    expect(Object.keys(counts).sort()).toEqual(["get", "list"]);
    expect(counts.list).toBe(3);
    expect(counts.get).toBeGreaterThanOrEqual(10);
    expect(counts.get).toBeLessThanOrEqual(11);
    expect(log.filter((r) => r.status === 404)).toHaveLength(1);

    const jobs = resourcesOfType(await p.exportStack(), c.type);
    expect(jobs).toHaveLength(29);
    expect(jobs.find((r) => r.outputs?.inventoryId === "job-017")?.outputs?.enabled).toBe(false);
    expect(jobs.find((r) => r.outputs?.inventoryId === "job-023")).toBeUndefined();
    expect(jobs.filter((r) => r.outputs?.enabled === true)).toHaveLength(28);

    await emu.clearLog();
    const destroy = await p.destroy();
    expect(destroy.code).toBe(0);
    expect(countByOperation(await emu.requests())).toEqual({ delete: 29 });
    // Only the stack's jobs are gone: the emulator still holds every job nobody managed.
    const left = (await emu.jobs())[c.bucket].map((j) => j.id);
    expect(left).toHaveLength(OTHERS);
    expect(left.every((id) => id.startsWith("other-"))).toBe(true);
  });

  it("refreshes a few jobs in a bucket that holds many with GETs only", async () => {
    const { emu } = suite;
    const oob = c.outOfBand(emu);
    for (let i = 0; i < OTHERS; i++) await oob.putMinimal(`other-${String(i).padStart(3, "0")}`, "Weekly");
    const p = await suite.project(`${c.cloud}-few`, manyJobs(c, 3));
    expect((await p.up()).code).toBe(0);
    await oob.disable("job-001");

    await emu.clearLog();
    const refresh = await p.refresh();
    expect(refresh.code).toBe(0);
    expect(summary(refresh)).toMatchObject({ update: 1 });
    expect(countByOperation(await emu.requests())).toEqual({ get: 3 });
    expect((await p.destroy()).code).toBe(0);
  });
});
