/**
 * The newer inventory fields on the real Pulumi engine, against the local
 * emulator, table-driven over both clouds: COS `Monthly` + `monthlyDate` and
 * `filter.storageClasses`; OSS `Monthly` + `dayOfMonth`, `Once` +
 * `autoDelete` and `incrementalInventory`. Each row is created, previewed
 * again with no change (also respelled), updated in place, refreshed with no
 * drift, and read out of band to show the service holds what state says.
 */
import { repoRoot, resourcesOfType } from "./harness";
import { COS_JOB, OSS_JOB, cosSdk, ossOutOfBand } from "./clouds";
import type { E2eEmulator } from "./emulator";
import { emulatorSuite, jobProgram, output, summary } from "./support";

/** Asserts that an engine command succeeded, showing what it printed when it did not. */
function expectOk(r: Parameters<typeof output>[0] & { code: number }): void {
  expect({ code: r.code, output: r.code === 0 ? "" : output(r) }).toEqual({ code: 0, output: "" });
}

/** One cloud's new fields: the job before and after an in-place update, and what each stores. */
interface FieldsCase {
  cloud: "cos" | "oss";
  type: string;
  /** The arguments of the first up. */
  args: string;
  /** {@link args} respelled (order, repeats) so that it normalizes to the same job. */
  respelled: string;
  /** The arguments after the update. */
  updated: string;
  /** Outputs of the first up and of the update (for `toMatchObject`). */
  outputs: [Record<string, unknown>, Record<string, unknown>];
  /** What the emulator stores after the first up and after the update, read out of band. */
  stored(emu: E2eEmulator): Promise<unknown>;
  storedValues: [unknown, unknown];
}

const COS_DEST = `destination: { bucket: "inventorybucket-1250000000" }`;
const OSS_DEST = `destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${OSS_JOB.role}" }`;
const head = (job: { bucket: string; region: string }): string =>
  `bucket: "${job.bucket}", region: "${job.region}"`;

const CASES: FieldsCase[] = [
  {
    cloud: "cos",
    type: COS_JOB.type,
    args: `{ ${head(COS_JOB)}, schedule: { frequency: "Monthly", monthlyDate: 5 },
      filter: { prefix: "logs/", storageClasses: ["STANDARD_IA", "STANDARD"] }, ${COS_DEST} }`,
    respelled: `{ ${head(COS_JOB)}, schedule: { frequency: "Monthly", monthlyDate: 5 },
      filter: { prefix: "logs/", storageClasses: ["STANDARD", "STANDARD_IA", "STANDARD"] }, ${COS_DEST} }`,
    updated: `{ ${head(COS_JOB)}, schedule: { frequency: "Monthly", monthlyDate: 28 },
      filter: { prefix: "logs/", storageClasses: ["ARCHIVE"] }, ${COS_DEST} }`,
    outputs: [
      {
        schedule: { frequency: "Monthly", monthlyDate: 5 },
        filter: { prefix: "logs/", storageClasses: ["STANDARD", "STANDARD_IA"] },
      },
      {
        schedule: { frequency: "Monthly", monthlyDate: 28 },
        filter: { prefix: "logs/", storageClasses: ["ARCHIVE"] },
      },
    ],
    // Out of band through the official SDK: the elements as COS gives them.
    async stored(emu) {
      const cfg = (
        await cosSdk(emu).getBucketInventory({ Bucket: COS_JOB.bucket, Region: COS_JOB.region, Id: "fields" })
      ).InventoryConfiguration as unknown as { Schedule: unknown; Filter: unknown };
      return { schedule: cfg.Schedule, filter: cfg.Filter };
    },
    storedValues: [
      {
        schedule: { Frequency: "Monthly", MonthlyDate: "5" },
        filter: { And: { Prefix: "logs/", StorageClass: "STANDARD,STANDARD_IA" } },
      },
      {
        schedule: { Frequency: "Monthly", MonthlyDate: "28" },
        filter: { And: { Prefix: "logs/", StorageClass: "ARCHIVE" } },
      },
    ],
  },
  {
    cloud: "oss",
    type: OSS_JOB.type,
    args: `{ ${head(OSS_JOB)}, schedule: { frequency: "Monthly", dayOfMonth: 1 },
      incrementalInventory: { optionalFields: ["Size", "RecordType"] }, ${OSS_DEST} }`,
    respelled: `{ ${head(OSS_JOB)}, schedule: { frequency: "Monthly", dayOfMonth: 1 },
      incrementalInventory: { enabled: true, optionalFields: ["RecordType", "Size", "RecordType"] }, ${OSS_DEST} }`,
    updated: `{ ${head(OSS_JOB)}, schedule: { frequency: "Once", autoDelete: true },
      incrementalInventory: { enabled: false, optionalFields: ["SequenceNumber"] }, ${OSS_DEST} }`,
    outputs: [
      {
        schedule: { frequency: "Monthly", dayOfMonth: 1 },
        incrementalInventory: { enabled: true, optionalFields: ["RecordType", "Size"] },
      },
      {
        schedule: { frequency: "Once", autoDelete: true },
        incrementalInventory: { enabled: false, optionalFields: ["SequenceNumber"] },
      },
    ],
    // Out of band through our client signing V1 (the resource signs V4).
    async stored(emu) {
      const cfg = await ossOutOfBand(emu).get(OSS_JOB.bucket, "fields");
      return { schedule: cfg.schedule, incrementalInventory: cfg.incrementalInventory };
    },
    storedValues: [
      {
        schedule: { frequency: "Monthly", dayOfMonth: 1 },
        incrementalInventory: { isEnabled: true, frequency: 600, optionalFields: ["RecordType", "Size"] },
      },
      {
        schedule: { frequency: "Once", autoDelete: true },
        incrementalInventory: { isEnabled: false, frequency: 600, optionalFields: ["SequenceNumber"] },
      },
    ],
  },
];

describe.each(CASES.map((c) => [c.cloud, c] as const))("%s: the newer fields on the real engine", (_, c) => {
  const suite = emulatorSuite();

  it("creates, shows no change (also respelled), updates in place, refreshes without drift", async () => {
    const { emu } = suite;
    // This checkout's package, built: the shared node_modules may name another checkout's.
    const p = await suite.project(`${c.cloud}-fields`, jobProgram(c.cloud, c.args, "fields"), undefined, {
      links: { "pulumi-bucket-inventory": repoRoot },
    });
    const outputsOf = async (): Promise<Record<string, unknown> | undefined> =>
      resourcesOfType(await p.exportStack(), c.type)[0]?.outputs;

    const preview = await p.preview();
    expectOk(preview);
    expect(summary(preview)).toEqual({ create: 2 });
    expect(await emu.requests()).toEqual([]);

    const up = await p.up();
    expectOk(up);
    expect(summary(up)).toEqual({ create: 2 });
    expect(await outputsOf()).toMatchObject(c.outputs[0]);
    expect(await c.stored(emu)).toEqual(c.storedValues[0]);

    await emu.clearLog();
    const same = await p.preview("--expect-no-changes");
    expectOk(same);
    expect(summary(same)).toEqual({ same: 2 });
    expect(await emu.requests()).toEqual([]);

    p.writeProgram(jobProgram(c.cloud, c.respelled, "fields"));
    const respelled = await p.preview("--expect-no-changes");
    expectOk(respelled);
    expect(summary(respelled)).toEqual({ same: 2 });

    p.writeProgram(jobProgram(c.cloud, c.updated, "fields"));
    const update = await p.up();
    expectOk(update);
    expect(summary(update)).toEqual({ same: 1, update: 1 });
    expect(await outputsOf()).toMatchObject(c.outputs[1]);
    expect(await c.stored(emu)).toEqual(c.storedValues[1]);

    // What the service holds reads back as state: no drift, and nothing to do after.
    const refresh = await p.refresh("--expect-no-changes");
    expectOk(refresh);
    const after = await p.preview("--expect-no-changes");
    expectOk(after);
    expect(summary(after)).toEqual({ same: 2 });

    expectOk(await p.destroy());
  });
});
