// The runtime module is loaded by the shim kept in every stack's state, across
// package versions: it must export exactly what the shim calls.
import * as runtime from "../../provider/engine/runtime";
import { RUNTIME_MODULE, type RuntimeMember } from "../../provider/engine/contract";
import { createRuntime } from "../../provider/engine/instance";
import { MemoryJournal } from "../../provider/engine/journal";
import type { ConfigSource } from "../../provider/engine/settings";
import { shimSource } from "../../provider/resource/shim";

/** Evaluates a shim's module text with `require` answering the runtime module, and returns its provider. */
function loadShim(kind: RuntimeMember): Record<string, unknown> {
  const exports: { handler?: () => Record<string, unknown> } = {};
  const requireRuntime = (name: string): unknown => {
    if (name !== RUNTIME_MODULE) throw new Error(`the shim required ${name}`);
    return runtime;
  };
  new Function("exports", "require", shimSource(kind))(exports, requireRuntime);
  if (!exports.handler) throw new Error("the shim exports no handler");
  return exports.handler();
}

describe("the runtime contract", () => {
  it("exports configure and one provider per cloud and resource, nothing else", () => {
    expect(Object.keys(runtime).sort()).toEqual(["configure", "cos", "cosRun", "oss", "ossRun"]);
    expect(typeof runtime.configure).toBe("function");
  });

  it.each(["cos", "oss", "cosRun", "ossRun"] as const)("serves every method the %s shim forwards", (kind) => {
    const shim = loadShim(kind);
    const methods = Object.keys(shim).filter((name) => name !== "configure");
    expect(methods.sort()).toEqual(["check", "create", "delete", "diff", "read", "update"]);
    for (const name of methods) {
      expect(typeof (runtime[kind] as unknown as Record<string, unknown>)[name]).toBe("function");
    }
  });

  it.each(["cos", "oss", "cosRun", "ossRun"] as const)("forwards %s calls to the runtime", async (kind) => {
    const shim = loadShim(kind) as { check(olds: object, news: object): Promise<{ failures?: unknown[] }> };
    // An empty job fails validation without touching the network or credentials.
    const direct = await runtime[kind].check({}, {});
    await expect(shim.check({}, {})).resolves.toEqual(direct);
  });

  it("keeps each runtime's config to itself; check takes a region the program left out from that config", async () => {
    const environment = {
      journal: () => new MemoryJournal(),
      warn: () => undefined,
      sleep: async () => undefined,
    };
    const configured = createRuntime(environment);
    const fresh = createRuntime(environment);
    const config: ConfigSource = { get: (key) => (key === "tencentcloud:region" ? "ap-beijing" : undefined) };
    await configured.configure({ config } as unknown as Parameters<typeof configured.configure>[0]);
    const job = {
      bucket: "examplebucket-1250000000",
      inventoryId: "daily",
      schedule: { frequency: "Daily" },
      destination: { bucket: "inventorybucket-1250000000" },
    };
    const saved = process.env.TENCENTCLOUD_REGION;
    delete process.env.TENCENTCLOUD_REGION;
    try {
      const checked = await configured.cos.check({}, job);
      expect(checked.failures).toEqual([]);
      expect(checked.inputs.region).toBe("ap-beijing");
      // The program's own region wins over the provider's.
      expect((await configured.cos.check({}, { ...job, region: "ap-guangzhou" })).inputs.region).toBe(
        "ap-guangzhou",
      );
      const unconfigured = await fresh.cos.check({}, job);
      expect(unconfigured.failures?.map((f) => f.property)).toEqual(["region"]);
    } finally {
      if (saved !== undefined) process.env.TENCENTCLOUD_REGION = saved;
    }
  });
});
