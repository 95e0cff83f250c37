/**
 * The lifecycle of a `BucketInventory` on the real Pulumi engine, against the
 * local emulator, table-driven over both clouds (each cloud's side is in
 * ./clouds). Request counts come from the emulator's own log. What only one
 * cloud has is tested in cos.test.ts and oss.test.ts.
 */
import { E2E_CREDENTIALS, countByOperation } from "./emulator";
import { resourcesOfType } from "./harness";
import { lifecycleCases } from "./clouds";
import { emulatorSuite, jobProgram, output, program, summary } from "./support";

describe.each(lifecycleCases().map((c) => [c.cloud, c] as const))(
  "%s.BucketInventory on the real engine",
  (_, c) => {
    const suite = emulatorSuite();
    const job = (args: string, name = "daily") => jobProgram(c.cloud, args, name);

    it("previews, creates, shows no changes, updates in place, replaces and destroys, with exact request counts", async () => {
      const { emu } = suite;
      const oob = c.outOfBand(emu);
      const p = await suite.project(`${c.cloud}-lifecycle`, job(c.fullArgs));

      const preview = await p.preview();
      expect(preview.code).toBe(0);
      expect(summary(preview)).toEqual({ create: 2 });
      expect(await emu.requests()).toEqual([]);

      const up = await p.up();
      expect(up.code).toBe(0);
      expect(summary(up)).toEqual({ create: 2 });
      expect(countByOperation(await emu.requests())).toEqual(c.requests.create);

      const [res] = resourcesOfType(await p.exportStack(), c.type);
      expect(res.id).toBe(`${c.region}/${c.bucket}/daily`);
      expect(res.outputs).toMatchObject(c.fullOutputs);
      // The thin shim: small, and it only names the installed package.
      const providerText = String(res.outputs?.__provider);
      expect(providerText.length).toBeLessThan(8 * 1024);
      expect(providerText).toContain('require("pulumi-bucket-inventory/runtime")');
      await c.checkStored?.(emu);

      await emu.clearLog();
      const again = await p.preview("--expect-no-changes");
      expect(again.code).toBe(0);
      expect(summary(again)).toEqual({ same: 2 });
      expect(await emu.requests()).toEqual([]);

      // The same job in other spellings: still no change.
      p.writeProgram(job(c.respelled));
      const normalized = await p.preview("--expect-no-changes");
      expect(normalized.code).toBe(0);
      expect(summary(normalized)).toEqual({ same: 2 });

      // One field changes: in place.
      p.writeProgram(job(c.fullArgs.replace(`frequency: "Daily"`, `frequency: "Weekly"`)));
      await emu.clearLog();
      const update = await p.up();
      expect(update.code).toBe(0);
      expect(summary(update)).toEqual({ same: 1, update: 1 });
      c.checkUpdateLog(await emu.requests());
      expect(await oob.frequency("daily")).toBe("Weekly");

      // inventoryId changes: replace (create the new one, delete the old one).
      p.writeProgram(job(c.fullArgs.replace("enabled: true", `inventoryId: "daily-v2", enabled: true`)));
      await emu.clearLog();
      const replace = await p.up();
      expect(replace.code).toBe(0);
      expect(summary(replace)).toEqual({ same: 1, replace: 1 });
      expect(countByOperation(await emu.requests())).toEqual(c.requests.replace);
      expect(await oob.ids()).toEqual(["daily-v2"]);

      // Refresh: one request per resource, no drift.
      await emu.clearLog();
      const refresh = await p.refresh("--expect-no-changes");
      expect(refresh.code).toBe(0);
      expect(countByOperation(await emu.requests())).toEqual({ get: 1 });

      // Destroy deletes every job with one request each.
      await emu.clearLog();
      const destroy = await p.destroy();
      expect(destroy.code).toBe(0);
      expect(summary(destroy)).toEqual({ delete: 2 });
      expect(countByOperation(await emu.requests())).toEqual({ delete: 1 });
      expect(await oob.ids()).toEqual([]);
    });

    it("refresh shows drift made out of band, and the next up repairs it", async () => {
      const { emu } = suite;
      const oob = c.outOfBand(emu);
      const p = await suite.project(`${c.cloud}-drift`, job(c.fullArgs));
      expect((await p.up()).code).toBe(0);
      await oob.disable("daily");

      await emu.clearLog();
      const refresh = await p.refresh();
      expect(refresh.code).toBe(0);
      expect(summary(refresh)).toMatchObject({ update: 1 });
      expect(countByOperation(await emu.requests())).toEqual({ get: 1 });
      const [res] = resourcesOfType(await p.exportStack(), c.type);
      expect(res.outputs?.enabled).toBe(false);

      expect(summary(await p.preview())).toEqual({ same: 1, update: 1 });

      await emu.clearLog();
      expect((await p.up()).code).toBe(0);
      if (c.repairRequests) expect(countByOperation(await emu.requests())).toEqual(c.repairRequests);
      expect(await oob.enabled("daily")).toBe(c.enabledValue);
    });

    it("refresh removes a job deleted out of band, and the next up recreates it", async () => {
      const { emu } = suite;
      const p = await suite.project(`${c.cloud}-gone`, job(c.fullArgs));
      expect((await p.up()).code).toBe(0);
      await c.outOfBand(emu).delete("daily");

      const refresh = await p.refresh();
      expect(refresh.code).toBe(0);
      expect(summary(refresh)).toMatchObject({ delete: 1 });
      expect(resourcesOfType(await p.exportStack(), c.type)).toHaveLength(0);

      await emu.clearLog();
      const up = await p.up();
      expect(up.code).toBe(0);
      expect(summary(up)).toMatchObject({ create: 1 });
      expect(countByOperation(await emu.requests())).toEqual(c.requests.create);
    });

    it("rejects invalid input at preview, naming the property, without any request", async () => {
      const p = await suite.project(`${c.cloud}-invalid`, job(c.invalid.args));
      const r = await p.preview();
      expect(r.code).not.toBe(0);
      const text = output(r);
      for (const property of c.invalid.properties) {
        expect(text).toContain(property);
      }
      expect(await suite.emu.requests()).toEqual([]);
    });

    it("deploys when the bucket name is an output of another resource", async () => {
      const p = await suite.project(
        `${c.cloud}-output`,
        program(`
const bucketProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: inputs.name, outs: { name: inputs.name } }; },
};
class FakeBucket extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  constructor(name: string) { super(bucketProvider, name, { name: "${c.bucket}" }); }
}
const bucket = new FakeBucket("source");
const job = new inventory.${c.cloud}.BucketInventory("from-output", {
  bucket: bucket.name, region: "${c.region}", schedule: { frequency: "Daily" },
  destination: ${c.minimalDestination},
});
export const id = job.id;`),
      );
      const preview = await p.preview();
      expect(preview.code).toBe(0);
      expect(summary(preview)).toEqual({ create: 3 });
      const up = await p.up();
      expect(up.code).toBe(0);
      expect(summary(up)).toEqual({ create: 3 });
      const outs = await p.must<Record<string, string>>(["stack", "output", "--json", "--stack", p.stack]);
      expect(outs.json?.id).toBe(`${c.region}/${c.bucket}/from-output`);
    });

    it("reports an unreachable emulator clearly, keeps state, then recovers; rides out three 503s", async () => {
      const { emu } = suite;
      const p = await suite.project(`${c.cloud}-faults`, job(c.fullArgs));
      await emu.stop();
      const down = await p.up();
      await emu.restart();
      expect(down.code).not.toBe(0);
      expect(output(down)).toMatch(/ECONNREFUSED/);
      expect(resourcesOfType(await p.exportStack(), c.type)).toHaveLength(0);

      const up = await p.up();
      expect(up.code).toBe(0);
      expect(summary(up)).toMatchObject({ create: 1 });

      p.writeProgram(job(c.fullArgs.replace(`prefix: "reports"`, `prefix: "reports-v2"`)));
      await emu.fault({
        match: { operation: c.flaky.operation },
        count: 3,
        status: 503,
        code: "ServiceUnavailable",
      });
      await emu.clearLog();
      const flaky = await p.up();
      expect(flaky.code).toBe(0);
      expect((await emu.requests()).map((r) => r.status)).toEqual(c.flaky.statuses);
    });

    it("takes credentials from stack config, and no resource's state holds the secret key", async () => {
      const { env, endpointKey, config, secretConfig } = c.configCredentials;
      const p = await suite.project(`${c.cloud}-config-creds`, job(c.fullArgs), env, {
        config: { ...config, [endpointKey]: suite.emu.url },
        secretConfig,
      });
      expect((await p.up()).code).toBe(0);
      for (const r of (await p.exportStack(true)).deployment.resources ?? []) {
        // The engine records the whole stack config as the dynamic provider's
        // configuration (secrets stay secret-typed); that is engine behaviour (see the README).
        if (r.type === "pulumi:providers:pulumi-nodejs") continue;
        expect(JSON.stringify(r)).not.toContain(E2E_CREDENTIALS.secret);
      }
      expect(JSON.stringify(await p.exportStack(false))).not.toContain(E2E_CREDENTIALS.secret);
      expect((await p.destroy()).code).toBe(0);
    });

    it(`with credentials from the environment (${c.envCredentials.what}), nothing in the state export holds the secret key`, async () => {
      const p = await suite.project(`${c.cloud}-env-creds`, job(c.fullArgs), c.envCredentials.env);
      await suite.emu.clearLog();
      expect((await p.up()).code).toBe(0);
      expect(countByOperation(await suite.emu.requests())).toEqual(c.envCredentials.requests);
      expect(JSON.stringify(await p.exportStack(true))).not.toContain(E2E_CREDENTIALS.secret);
      expect((await p.destroy()).code).toBe(0);
    });
  },
);
