import { cloudDialects } from "../../provider/engine/dialects";
import { ConfigSource, cosSettings, ossSettings } from "../../provider/engine/settings";
import { COS_SAMPLE_ARGS } from "../support/samples";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const none = config({});

describe("cosSettings", () => {
  it("prefers stack config and never mixes a config id with an env secret", () => {
    const s = cosSettings(config({ "tencentcloud:secretId": "cfg-id" }), {
      TENCENTCLOUD_SECRET_ID: "env-id",
      TENCENTCLOUD_SECRET_KEY: "env-key",
    });
    expect(s.keyId).toBe("cfg-id");
    expect(s.secret).toBeUndefined();
    expect(s.credentialSource).toBe("stack config tencentcloud:secretId/tencentcloud:secretKey");
  });

  it("reads TENCENTCLOUD_* before COS_*, with the token only from the source that gave the id", () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: "t-id",
      TENCENTCLOUD_SECRET_KEY: "t-key",
      TENCENTCLOUD_SECURITY_TOKEN: "t-token",
      COS_SECRET_ID: "c-id",
      COS_SECRET_KEY: "c-key",
    };
    expect(cosSettings(none, env)).toMatchObject({
      keyId: "t-id",
      secret: "t-key",
      securityToken: "t-token",
    });
    const cosOnly = cosSettings(none, {
      COS_SECRET_ID: "c-id",
      COS_SECRET_KEY: "c-key",
      TENCENTCLOUD_SECURITY_TOKEN: "x",
    });
    expect(cosOnly).toMatchObject({ keyId: "c-id", secret: "c-key", securityToken: undefined });
  });

  it("takes region and endpoint from config, then env; empty strings count as unset", () => {
    const s = cosSettings(config({ "tencentcloud:region": "" }), {
      TENCENTCLOUD_REGION: "ap-beijing",
      BUCKET_INVENTORY_COS_ENDPOINT: "http://127.0.0.1:9100",
    });
    expect(s).toMatchObject({ region: "ap-beijing", endpoint: "http://127.0.0.1:9100", keyId: undefined });
  });
});

describe("ossSettings", () => {
  it("reads alicloud:* stack config first", () => {
    const s = ossSettings(
      config({
        "alicloud:accessKey": "LTAIcfg",
        "alicloud:secretKey": "cfg-secret",
        "alicloud:securityToken": "cfg-token",
        "alicloud:region": "cn-hangzhou",
        "bucket-inventory:ossEndpoint": "http://127.0.0.1:9100",
      }),
      { ALICLOUD_ACCESS_KEY: "env", ALICLOUD_SECRET_KEY: "env", ALICLOUD_REGION: "cn-beijing" },
    );
    expect(s).toEqual({
      keyId: "LTAIcfg",
      secret: "cfg-secret",
      securityToken: "cfg-token",
      region: "cn-hangzhou",
      endpoint: "http://127.0.0.1:9100",
      credentialSource: "stack config alicloud:accessKey/alicloud:secretKey",
    });
  });

  it("falls back to ALICLOUD_* and then to the OSS SDK's OSS_* variables", () => {
    expect(
      ossSettings(none, { ALICLOUD_ACCESS_KEY: "a", ALICLOUD_SECRET_KEY: "b", ALICLOUD_SECURITY_TOKEN: "c" }),
    ).toMatchObject({ keyId: "a", secret: "b", securityToken: "c" });
    expect(
      ossSettings(none, {
        OSS_ACCESS_KEY_ID: "o",
        OSS_ACCESS_KEY_SECRET: "p",
        OSS_SESSION_TOKEN: "q",
        ALICLOUD_SECURITY_TOKEN: "not-this",
        BUCKET_INVENTORY_OSS_ENDPOINT: "http://x",
        ALICLOUD_REGION: "cn-shanghai",
      }),
    ).toMatchObject({
      keyId: "o",
      secret: "p",
      securityToken: "q",
      endpoint: "http://x",
      region: "cn-shanghai",
      credentialSource: "env OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET",
    });
  });

  it("finds nothing when nothing is set", () => {
    expect(ossSettings(none, {})).toEqual({
      keyId: undefined,
      secret: undefined,
      securityToken: undefined,
      region: undefined,
      endpoint: undefined,
      credentialSource: undefined,
    });
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
