import { cloudDialects } from "../../provider/engine/dialects";
import { ConfigSource, cosSettings, ossSettings } from "../../provider/engine/settings";
import { COS_SAMPLE_ARGS } from "../support/samples";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const none = config({});

describe("cosSettings", () => {
  it("takes region and endpoint from config, then env; empty strings count as unset", () => {
    const s = cosSettings(config({ "tencentcloud:region": "" }), {
      HOME: "/nonexistent",
      TENCENTCLOUD_REGION: "ap-beijing",
      BUCKET_INVENTORY_COS_ENDPOINT: "http://127.0.0.1:9100",
    });
    expect(s).toEqual({ region: "ap-beijing", endpoint: "http://127.0.0.1:9100" });
  });
});

describe("ossSettings", () => {
  it("reads alicloud:* stack config first", () => {
    const s = ossSettings(
      config({ "alicloud:region": "cn-hangzhou", "bucket-inventory:ossEndpoint": "http://127.0.0.1:9100" }),
      { ALICLOUD_REGION: "cn-beijing", BUCKET_INVENTORY_OSS_ENDPOINT: "http://x" },
    );
    expect(s).toEqual({ region: "cn-hangzhou", endpoint: "http://127.0.0.1:9100" });
  });

  it("falls back to ALICLOUD_REGION, then ALIBABA_CLOUD_REGION", () => {
    expect(
      ossSettings(none, { ALICLOUD_REGION: "cn-shanghai", ALIBABA_CLOUD_REGION: "cn-beijing" }).region,
    ).toBe("cn-shanghai");
    expect(ossSettings(none, { ALIBABA_CLOUD_REGION: "cn-beijing" }).region).toBe("cn-beijing");
  });

  it("finds nothing when nothing is set", () => {
    expect(ossSettings(none, {})).toEqual({ region: undefined, endpoint: undefined });
  });
});

describe("cloudDialects check: the region default", () => {
  // A program that leaves out `region` (and a refresh, which runs no program)
  // reaches check without one: the engine fills it from config, then env.
  const dialects = (values: Record<string, string>) => cloudDialects(() => config(values));
  const { region: _region, ...withoutRegion } = COS_SAMPLE_ARGS;

  it("takes the region from the provider's config when the argument is absent or null", () => {
    const cos = dialects({ "tencentcloud:region": "ap-beijing" }).cos;
    for (const region of [undefined, null]) {
      const r = cos.check({ ...withoutRegion, region });
      expect(r.failures).toEqual([]);
      expect(r.inputs.region).toBe("ap-beijing");
    }
  });

  it("keeps a region the program gives", () => {
    const r = dialects({ "tencentcloud:region": "ap-beijing" }).cos.check(COS_SAMPLE_ARGS);
    expect(r.inputs.region).toBe("ap-guangzhou");
  });

  it("names the region argument, config and env when none gives one", () => {
    const r = dialects({}).cos.check(withoutRegion);
    expect(r.failures.map((f) => f.property)).toEqual(["region"]);
    expect(r.failures[0]?.reason).toMatch(/tencentcloud:region/);
  });
});
