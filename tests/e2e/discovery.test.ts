/**
 * `bucket-inventory list | import | status` on the real CLI and the real
 * Pulumi engine against the emulator, table-driven over both clouds: jobs
 * made out of band are listed as unmanaged, imported with `pulumi import
 * --file` (no request), previewed by the generated program with no changes,
 * refreshed with one GET each and destroyed with one DELETE each; `status`
 * reports drifted, missing and unmanaged jobs with GET and list requests only.
 */
import * as fs from "fs";
import * as path from "path";
import { CosInventoryClient } from "../../provider/clouds/cos/client";
import { parseCosEndpoint } from "../../provider/clouds/cos/endpoint";
import { toCosConfiguration, type CosInventoryInputs } from "../../provider/clouds/cos/schema";
import { toOssConfiguration, type OssInventoryInputs } from "../../provider/clouds/oss/schema";
import { type LifecycleCase, lifecycleCases, ossOutOfBand } from "./clouds";
import { E2E_CREDENTIALS, type E2eEmulator, countByOperation } from "./emulator";
import { resourcesOfType } from "./harness";
import { emulatorSuite, jobProgram, output, program, runBucketInventory, summary } from "./support";

/** Creates job `id` on the case's bucket out of band (our client, not the resource), as `fullOutputs` describes. */
async function createOutOfBand(c: LifecycleCase, emu: E2eEmulator, id: string): Promise<void> {
  const inputs = { ...c.fullOutputs, inventoryId: id };
  if (c.cloud === "cos") {
    const client = new CosInventoryClient({
      credentials: { secretId: E2E_CREDENTIALS.id, secretKey: E2E_CREDENTIALS.secret },
      region: c.region,
      endpoint: parseCosEndpoint(emu.url),
    });
    await client.put(c.bucket, toCosConfiguration(inputs as unknown as CosInventoryInputs));
  } else {
    await ossOutOfBand(emu).put(c.bucket, toOssConfiguration(inputs as unknown as OssInventoryInputs));
  }
}

interface StatusJson {
  jobs: { status: string; inventoryId: string; differences?: string[] }[];
  counts: Record<string, number>;
}

interface ListJson {
  jobs: { inventoryId: string; managedBy: string[]; unmanaged: boolean; name: string }[];
}

describe.each(lifecycleCases().map((c) => [c.cloud, c] as const))(
  "%s: bucket-inventory discovery",
  (_, c) => {
    const suite = emulatorSuite();

    it("lists, imports (pulumi import --file), previews no changes, refreshes, reports status and destroys", async () => {
      const { emu } = suite;
      // Two ids that differ only in case, and a third made after the import.
      await createOutOfBand(c, emu, "nightly");
      await createOutOfBand(c, emu, "Nightly");
      const p = await suite.project(`${c.cloud}-discovery`, program(""));
      const cli = (...args: string[]) => runBucketInventory(args, p.dir, p.env);
      const where = ["--cloud", c.cloud, "--region", c.region, "--bucket", c.bucket];

      // list: both unmanaged by the (empty) stack.
      const before = await cli("list", ...where, "--stack", p.stack, "--json");
      expect(before.code).toBe(0);
      const listed = JSON.parse(before.stdout) as ListJson;
      expect(listed.jobs.map((j) => [j.inventoryId, j.unmanaged]).sort()).toEqual([
        ["Nightly", true],
        ["nightly", true],
      ]);
      expect(new Set(listed.jobs.map((j) => j.name)).size).toBe(2);

      // import --run: one list request, then `pulumi import` reads nothing.
      await emu.clearLog();
      const file = path.join(p.dir, "import.json");
      const code = path.join(p.dir, "jobs.ts");
      const imported = await cli(
        "import",
        ...where,
        "--file",
        file,
        "--code",
        code,
        "--stack",
        p.stack,
        "--run",
      );
      expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: "" });
      expect(countByOperation(await emu.requests())).toEqual({ list: 1 });
      const doc = JSON.parse(fs.readFileSync(file, "utf8")) as {
        resources: { inputs: object; outputs: object }[];
      };
      expect(doc.resources).toHaveLength(2);
      // With --run each job gets a claim (outputs only): the provider's token of the resource that manages it.
      for (const r of doc.resources) {
        const { __claim: claim, ...outputs } = r.outputs as Record<string, unknown>;
        expect(r.inputs).toEqual(outputs);
        expect(typeof claim).toBe("string");
      }
      const state = resourcesOfType(await p.exportStack(), c.type);
      expect(state.map((r) => r.id).sort()).toEqual([
        `${c.region}/${c.bucket}/Nightly`,
        `${c.region}/${c.bucket}/nightly`,
      ]);

      // The generated declarations are the program: no changes, no request.
      p.writeProgram(fs.readFileSync(code, "utf8"));
      await emu.clearLog();
      const preview = await p.preview("--expect-no-changes");
      expect({ code: preview.code, out: preview.code === 0 ? "" : output(preview) }).toEqual({
        code: 0,
        out: "",
      });
      expect(summary(preview)).toEqual({ same: 3 });
      expect(await emu.requests()).toEqual([]);

      // Refresh: one GET per job, nothing changes.
      const refresh = await p.refresh("--expect-no-changes");
      expect(refresh.code).toBe(0);
      expect(countByOperation(await emu.requests())).toEqual({ get: 2 });

      // A job made now is unmanaged; the imported ones are the stack's.
      await createOutOfBand(c, emu, "extra");
      const after = JSON.parse(
        (await cli("list", ...where, "--stack", p.stack, "--json")).stdout,
      ) as ListJson;
      expect(after.jobs.map((j) => [j.inventoryId, j.managedBy]).sort()).toEqual([
        ["Nightly", [p.stack]],
        ["extra", []],
        ["nightly", [p.stack]],
      ]);
      // A second import of the bucket leaves out what the stack manages.
      const again = await cli(
        "import",
        ...where,
        "--stack",
        p.stack,
        "--file",
        file,
        "--code",
        code,
        "--force",
        "--json",
      );
      // Leaving out what the stack already manages is what was asked: not a problem to report.
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        imported: [`${c.cloud} ${c.region}/${c.bucket}/extra`],
      });

      // Credentials from the stack's config when asked (--stack-credentials), and only then; never printed.
      const creds = c.configCredentials;
      for (const [k, v] of Object.entries({ ...creds.config, [creds.endpointKey]: emu.url })) {
        await p.must(["config", "set", "--stack", p.stack, k, v]);
      }
      for (const [k, v] of Object.entries(creds.secretConfig ?? {})) {
        await p.must(["config", "set", "--secret", "--stack", p.stack, k, v]);
      }
      const noEnv = (...args: string[]) => runBucketInventory(args, p.dir, { ...p.env, ...creds.env });
      const fromEnvOnly = await noEnv("list", ...where);
      expect(fromEnvOnly.code).toBe(1);
      expect(fromEnvOnly.stderr).toContain("--stack-credentials");
      const fromStack = await noEnv("list", ...where, "--stack", p.stack, "--stack-credentials");
      expect(fromStack.code).toBe(0);
      expect(fromStack.stdout).toMatch(/nightly/);
      expect(fromStack.stdout + fromStack.stderr).not.toContain(E2E_CREDENTIALS.secret);

      // status: one drifted, one missing, one unmanaged; only GET and list requests.
      const oob = c.outOfBand(emu);
      await oob.disable("nightly");
      await oob.delete("Nightly");
      await emu.clearLog();
      const status = await cli("status", "--stack", p.stack, "--json");
      expect(status.code).toBe(3);
      const report = JSON.parse(status.stdout) as StatusJson;
      expect(report.jobs.map((j) => [j.inventoryId, j.status, j.differences]).sort()).toEqual([
        ["Nightly", "missing", undefined],
        ["extra", "unmanaged", undefined],
        ["nightly", "drifted", ["enabled"]],
      ]);
      expect(report.counts).toEqual({ "in-sync": 0, drifted: 1, missing: 1, unmanaged: 1 });
      expect(countByOperation(await emu.requests())).toEqual({ get: 2, list: 1 });
      const table = await cli("status", "--stack", p.stack);
      expect(table.stdout).toMatch(/drifted .*nightly.*enabled/);

      // Destroy: one DELETE per job in state (the missing one's answer is 404, which counts as gone).
      await emu.clearLog();
      const destroy = await p.destroy();
      expect(destroy.code).toBe(0);
      expect(countByOperation(await emu.requests())).toEqual({ delete: 2 });
      expect(await oob.ids()).toEqual(["extra"]);
    });

    it("a job another stack made, and whose state forgot it, is taken over by import --run and destroyed", async () => {
      const { emu } = suite;
      // Stack a creates the job: this machine's journal gives it to a's resource.
      const a = await suite.project(
        `${c.cloud}-takeover-a`,
        jobProgram(c.cloud, c.minimalArgs("Daily"), "moving"),
      );
      expect((await a.up()).code).toBe(0);
      const [res] = resourcesOfType(await a.exportStack(), c.type);
      await a.must(["state", "delete", res.urn, "--yes", "--stack", a.stack]);

      // Stack b, sharing the machine's journal, imports it without --run: told who the journal says manages it.
      const b = await suite.project(`${c.cloud}-takeover-b`, program(""));
      b.env = { ...b.env, BUCKET_INVENTORY_JOURNAL_DIR: a.env.BUCKET_INVENTORY_JOURNAL_DIR };
      const cli = (...args: string[]) => runBucketInventory(args, b.dir, b.env);
      const where = ["--cloud", c.cloud, "--region", c.region, "--bucket", c.bucket, "--id", "moving"];
      const files = (n: string) => [
        "--file",
        path.join(b.dir, `${n}.json`),
        "--code",
        path.join(b.dir, `${n}.ts`),
      ];
      const noted = await cli("import", ...where, ...files("plain"));
      expect(noted.code).toBe(0);
      expect(noted.stderr).toMatch(/journal says stack .* manages .*moving[\s\S]*journal --forget/);

      // With --run it takes the job over (as the `import` option does), so b's destroy deletes it.
      const taken = await cli("import", ...where, ...files("run"), "--stack", b.stack, "--run");
      expect(taken.code).toBe(0);
      expect(taken.stderr).toMatch(/took .*moving over from stack/);
      await emu.clearLog();
      const destroy = await b.destroy();
      expect({ code: destroy.code, out: output(destroy) }).toEqual({
        code: 0,
        out: expect.not.stringMatching(/not deleted/),
      });
      expect(countByOperation(await emu.requests())).toEqual({ delete: 1 });
      expect(await c.outOfBand(emu).ids()).toEqual([]);
    });
  },
);
