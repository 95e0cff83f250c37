/**
 * Taking over jobs that already exist, on the real Pulumi engine against the
 * local emulator, table-driven over both clouds (each cloud's side is in
 * ./clouds): the `import` resource option (no write when the job equals the
 * declaration; a failure naming each differing field, a missing job or a bad
 * ID, changing nothing), and `BucketInventory.get`. Request counts come from
 * the emulator's own log.
 */
import { countByOperation } from "./emulator";
import { resourcesOfType } from "./harness";
import { lifecycleCases } from "./clouds";
import { emulatorSuite, jobProgram, output, program, summary } from "./support";

/** Operations that change a job. */
const WRITES = new Set(["put", "delete"]);

describe.each(lifecycleCases().map((c) => [c.cloud, c] as const))(
  "%s.BucketInventory: the import option and get on the real engine",
  (_, c) => {
    const suite = emulatorSuite();
    const idOf = (inventoryId: string) => `${c.region}/${c.bucket}/${inventoryId}`;
    /** A program declaring job `legacy`, with the `import` option when `importId` is given. */
    const legacy = (args: string, importId?: string) =>
      jobProgram(
        c.cloud,
        importId === undefined ? args : `${args}, { import: ${JSON.stringify(importId)} }`,
        "legacy",
      );
    const writes = async () => (await suite.emu.requests()).filter((r) => WRITES.has(r.operation));

    it("imports an equal job with no write; keeping or removing the option shows no change; destroy deletes it", async () => {
      const { emu } = suite;
      const oob = c.outOfBand(emu);
      await oob.putMinimal("legacy", "Daily");
      const p = await suite.project(
        `${c.cloud}-import-equal`,
        legacy(c.minimalArgs("Daily"), idOf("legacy")),
      );

      await emu.clearLog();
      const up = await p.up();
      expect(up.code).toBe(0);
      expect(summary(up)).toEqual({ create: 2 });
      expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
      const [res] = resourcesOfType(await p.exportStack(), c.type);
      expect(res.id).toBe(idOf("legacy"));
      expect(res.outputs).toMatchObject({
        region: c.region,
        bucket: c.bucket,
        inventoryId: "legacy",
        schedule: { frequency: "Daily" },
        destination: c.minimalDestinationOutput,
      });

      await emu.clearLog();
      const kept = await p.preview("--expect-no-changes");
      expect(kept.code).toBe(0);
      expect(summary(kept)).toEqual({ same: 2 });
      p.writeProgram(legacy(c.minimalArgs("Daily")));
      const removed = await p.preview("--expect-no-changes");
      expect(removed.code).toBe(0);
      expect(summary(removed)).toEqual({ same: 2 });
      expect(await emu.requests()).toEqual([]);

      // Managed like a job this stack created: refresh reads it, destroy deletes it.
      const refresh = await p.refresh("--expect-no-changes");
      expect(refresh.code).toBe(0);
      expect((await p.destroy()).code).toBe(0);
      expect(await oob.ids()).toEqual([]);
    });

    it("refuses a job that differs, naming each field existing vs declared, and changes nothing", async () => {
      const { emu } = suite;
      const oob = c.outOfBand(emu);
      await oob.putMinimal("legacy", "Weekly");
      const p = await suite.project(
        `${c.cloud}-import-differs`,
        legacy(c.minimalArgs("Daily", "enabled: false,"), idOf("legacy")),
      );
      await emu.clearLog();
      const up = await p.up();
      expect(up.code).not.toBe(0);
      const text = output(up);
      expect(text).toContain(`cannot import the inventory job "legacy" on bucket "${c.bucket}"`);
      expect(text).toContain("differs from this resource's declaration in 2 fields");
      expect(text).toContain("enabled: existing true, declared false");
      expect(text).toContain('schedule.frequency: existing "Weekly", declared "Daily"');
      expect(await writes()).toEqual([]);
      expect(await oob.frequency("legacy")).toBe("Weekly");
      expect(await oob.enabled("legacy")).toBe(c.enabledValue);
      expect(resourcesOfType(await p.exportStack(), c.type)).toHaveLength(0);
    });

    it("fails clearly when the job to import does not exist, and creates nothing", async () => {
      const { emu } = suite;
      const p = await suite.project(
        `${c.cloud}-import-missing`,
        legacy(c.minimalArgs("Daily"), idOf("legacy")),
      );
      const up = await p.up();
      expect(up.code).not.toBe(0);
      expect(output(up)).toContain(
        `cannot import the inventory job "legacy" on bucket "${c.bucket}" (${c.region}): it does not exist`,
      );
      expect(output(up)).toContain('remove the "import" option to create the job');
      expect(await writes()).toEqual([]);
      expect(await c.outOfBand(emu).ids()).toEqual([]);
      expect(resourcesOfType(await p.exportStack(), c.type)).toHaveLength(0);
    });

    it("rejects a malformed or mismatching import ID at preview, naming import, with no request", async () => {
      const declare = (name: string, importId: string) =>
        program(
          `new inventory.${c.cloud}.BucketInventory("${name}", ${c.minimalArgs("Daily")}, { import: "${importId}" });`,
        );
      // The engine shows a check failure as `property <name> value ... has a problem: <reason>`.
      const p = await suite.project(`${c.cloud}-import-bad-id`, declare("malformed", "malformed"));
      const malformed = await p.preview();
      expect(malformed.code).not.toBe(0);
      expect(output(malformed)).toContain(`resource 'malformed': property import value`);
      expect(output(malformed)).toContain(
        `"malformed" is not a job ID; the ID of this resource's job is "${idOf("malformed")}"`,
      );

      p.writeProgram(declare("mismatch", idOf("other")));
      const mismatch = await p.preview();
      expect(mismatch.code).not.toBe(0);
      expect(output(mismatch)).toContain(`resource 'mismatch': property import value`);
      expect(output(mismatch)).toContain(
        `"${idOf("other")}" is not the job this resource declares: its region, bucket and inventoryId make ` +
          `the ID "${idOf("mismatch")}"`,
      );
      expect(await suite.emu.requests()).toEqual([]);
    });

    it("get reads an existing job's configuration as outputs, and the stack never deletes it", async () => {
      const { emu } = suite;
      const oob = c.outOfBand(emu);
      await oob.putMinimal("legacy", "Weekly");
      const p = await suite.project(
        `${c.cloud}-get`,
        program(`const job = inventory.${c.cloud}.BucketInventory.get("found", "${idOf("legacy")}");
export const found = {
  id: job.id, region: job.region, bucket: job.bucket, inventoryId: job.inventoryId, enabled: job.enabled,
  includedObjectVersions: job.includedObjectVersions, schedule: job.schedule, destination: job.destination,
  optionalFields: job.optionalFields,
  isInstance: inventory.${c.cloud}.BucketInventory.isInstance(job),
  isOtherCloud: inventory.${c.cloud === "cos" ? "oss" : "cos"}.BucketInventory.isInstance(job),
};`),
      );
      await emu.clearLog();
      const up = await p.up();
      expect(up.code).toBe(0);
      expect(await writes()).toEqual([]);
      const outs = await p.must<Record<string, unknown>>(["stack", "output", "--json", "--stack", p.stack]);
      expect(outs.json?.found).toEqual({
        id: idOf("legacy"),
        region: c.region,
        bucket: c.bucket,
        inventoryId: "legacy",
        enabled: true,
        includedObjectVersions: "Current",
        schedule: { frequency: "Weekly" },
        destination: c.minimalDestinationOutput,
        optionalFields: [],
        isInstance: true,
        isOtherCloud: false,
      });

      expect((await p.destroy()).code).toBe(0);
      expect(await oob.ids()).toEqual(["legacy"]);
    });

    it("get of a job that does not exist fails clearly", async () => {
      const p = await suite.project(
        `${c.cloud}-get-missing`,
        program(`export const id = inventory.${c.cloud}.BucketInventory.get("found", "${idOf("nope")}").id;`),
      );
      const up = await p.up();
      expect(up.code).not.toBe(0);
      expect(output(up)).toContain(
        `${c.cloud}.BucketInventory.get: no inventory job "${idOf("nope")}" exists`,
      );
      expect(await writes()).toEqual([]);
    });
  },
);
