/**
 * The stale-key hint on the real engine, both clouds: credentials from stack
 * config, then the key stops working (the emulator refuses the signature, as
 * after a rotation); `pulumi refresh` and `pulumi destroy`, which run with
 * the configuration recorded by the last `up`, say why and name the fix.
 */
import { lifecycleCases } from "./clouds";
import { emulatorSuite, jobProgram, output } from "./support";

describe.each(lifecycleCases().map((c) => [c.cloud, c] as const))(
  "%s: a refused stack-config key",
  (_, c) => {
    const suite = emulatorSuite();

    it("refresh and destroy add that they use the last up's configuration, and the fix", async () => {
      const { env, endpointKey, config, secretConfig } = c.configCredentials;
      const p = await suite.project(`${c.cloud}-stale-key`, jobProgram(c.cloud, c.fullArgs, "daily"), env, {
        config: { ...config, [endpointKey]: suite.emu.url },
        secretConfig,
      });
      expect((await p.up()).code).toBe(0);

      await suite.emu.fault({ match: {}, count: 1000, status: 403, code: "SignatureDoesNotMatch" });
      for (const run of [() => p.refresh(), () => p.destroy()]) {
        const r = await run();
        expect(r.code).not.toBe(0);
        const text = output(r);
        expect(text).toMatch(/SignatureDoesNotMatch/);
        expect(text).toMatch(/configuration recorded by the last `pulumi up`/);
        expect(text).toMatch(/--run-program/);
      }
      await suite.emu.reset();
    });
  },
);
