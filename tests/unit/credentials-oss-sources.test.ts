// The OSS credential chain: the Alibaba Cloud provider's source order, what each source
// sends to STS (checked with the RPC verifier) and the hardened ECS metadata service, and
// the not-found message.
import { OSS_SOURCES, ossCredentials } from "../../provider/credentials/oss/sources";
import { verifyRpc } from "../../provider/credentials/oss/sts-signer";
import { type SourceLayer, fakeContext, mergeLayers, thrownMessage } from "../support/credentials-context";

const ALIYUN = "/home/u/.aliyun/config.json";
const STS = "http://127.0.0.1:9998";
const profileFile = (profile: Record<string, unknown>): Record<string, string> => ({
  [ALIYUN]: JSON.stringify({ current: "default", profiles: [{ name: "ci", ...profile }] }),
});

/** One setting per source, by precedence; the expected `source` of the provider. */
const LAYERS: SourceLayer[] = [
  {
    setup: {
      config: {
        "alicloud:assumeRole": JSON.stringify({ roleArn: "acs:ram::1:role/cfg", sessionExpiration: 900 }),
      },
    },
    source: /^stack config alicloud:assumeRole \(signed by/,
  },
  {
    setup: { env: { ALICLOUD_ASSUME_ROLE_ARN: "acs:ram::1:role/env" } },
    source: /^env ALICLOUD_ASSUME_ROLE_ARN \(signed by/,
  },
  {
    setup: {
      env: { ALICLOUD_PROFILE: "ci" },
      files: profileFile({
        mode: "RamRoleArn",
        access_key_id: "p-id",
        access_key_secret: "p-key",
        ram_role_arn: "acs:ram::1:role/p",
      }),
    },
    source: /profile ci role \(signed by/,
  },
  {
    setup: {
      config: {
        "alicloud:assumeRoleWithOidc": JSON.stringify({
          oidcProviderArn: "op",
          roleArn: "r",
          oidcToken: "jwt",
        }),
      },
    },
    source: /^stack config alicloud:assumeRoleWithOidc$/,
  },
  {
    setup: {
      env: {
        ALIBABA_CLOUD_ROLE_ARN: "r",
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "op",
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/var/run/oidc",
      },
      files: { "/var/run/oidc": "jwt" },
    },
    source: /^env ALIBABA_CLOUD_OIDC_PROVIDER_ARN$/,
  },
  {
    setup: { config: { "alicloud:accessKey": "c-id", "alicloud:secretKey": "c-key" } },
    source: /^stack config alicloud:accessKey\/alicloud:secretKey$/,
  },
  {
    setup: { env: { ALICLOUD_ACCESS_KEY: "a", ALICLOUD_SECRET_KEY: "b" } },
    source: /^env ALICLOUD_ACCESS_KEY\/ALICLOUD_SECRET_KEY$/,
  },
  {
    setup: { env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "a", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b" } },
    source: /^env ALIBABA_CLOUD_ACCESS_KEY_ID\/ALIBABA_CLOUD_ACCESS_KEY_SECRET$/,
  },
  {
    setup: { env: { ALIBABACLOUD_ACCESS_KEY_ID: "a", ALIBABACLOUD_ACCESS_KEY_SECRET: "b" } },
    source: /^env ALIBABACLOUD_ACCESS_KEY_ID\/ALIBABACLOUD_ACCESS_KEY_SECRET$/,
  },
  {
    setup: { env: { OSS_ACCESS_KEY_ID: "a", OSS_ACCESS_KEY_SECRET: "b" } },
    source: /^env OSS_ACCESS_KEY_ID\/OSS_ACCESS_KEY_SECRET$/,
  },
  {
    setup: {
      env: { ALICLOUD_PROFILE: "ci" },
      files: profileFile({ mode: "AK", access_key_id: "p-id", access_key_secret: "p-key" }),
    },
    source: /^\/home\/u\/\.aliyun\/config\.json profile ci$/,
  },
  { setup: { env: { ALIBABA_CLOUD_ECS_METADATA: "ecs-role" } }, source: /^ECS RAM role "ecs-role"$/ },
  {
    setup: {
      config: { "alicloud:profile": "ci" },
      files: profileFile({ mode: "EcsRamRole", ram_role_name: "prof-role" }),
    },
    source: /^ECS RAM role "prof-role" \(/,
  },
];

describe("OSS source order (terraform-provider-alicloud's, by precedence)", () => {
  test.each(LAYERS.map((l, i) => [i + 1, l.source] as const))(
    "source %i wins over every later one",
    (i, source) => {
      expect(ossCredentials(fakeContext(mergeLayers(LAYERS, i - 1))).source).toMatch(source);
    },
  );

  test("AssumeRole signs with OIDC credentials when OIDC is configured, else with the base pair", () => {
    expect(ossCredentials(fakeContext(mergeLayers(LAYERS, 0))).source).toMatch(
      /signed by stack config alicloud:assumeRoleWithOidc\)/,
    );
    expect(
      ossCredentials(
        fakeContext({
          ...LAYERS[0].setup,
          env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "a", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b" },
        }),
      ).source,
    ).toMatch(/signed by env ALIBABA_CLOUD_ACCESS_KEY_ID\/ALIBABA_CLOUD_ACCESS_KEY_SECRET\)/);
  });

  test("nothing configured: the error lists every source, in order, with what to set", () => {
    const message = thrownMessage(() => ossCredentials(fakeContext({})));
    const lines = message.split("\n");
    expect(lines[0]).toBe("no OSS credentials; tried, in order:");
    expect(lines.slice(1)).toEqual(OSS_SOURCES.map((s, i) => `  ${i + 1}. ${s.name}: ${s.hint}`));
    for (const name of [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABACLOUD_ACCESS_KEY_ID",
      "OSS_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
      "alicloud:ecsRoleName",
    ]) {
      expect(message).toContain(name);
    }
  });

  test("a profile asked for but missing is an error naming the fix", () => {
    expect(() => ossCredentials(fakeContext({ config: { "alicloud:profile": "ci" } }))).toThrow(
      /aliyun configure --profile ci/,
    );
  });
});

describe("OSS role sources on the wire", () => {
  const STS_ANSWER = {
    RequestId: "r-1",
    AssumedRoleUser: { Arn: "acs:ram::1:role/d/ci", AssumedRoleId: "3:ci" },
    Credentials: {
      AccessKeyId: "STS.tmp",
      AccessKeySecret: "tmp-secret",
      SecurityToken: "tmp-token",
      Expiration: "2026-11-29T02:00:00Z",
    },
  };

  test("stack config assumeRole: an RPC-signed AssumeRole form with the base keys, answer parsed", async () => {
    const ctx = fakeContext({
      config: {
        "alicloud:assumeRole": JSON.stringify({
          roleArn: "acs:ram::1:role/d",
          sessionName: "ci",
          sessionExpiration: 1200,
          policy: "{}",
        }),
        "alicloud:accessKey": "base-id",
        "alicloud:secretKey": "base-secret",
        "alicloud:endpoints": JSON.stringify([{ sts: STS }]),
      },
    });
    ctx.answer = () => ({ body: STS_ANSWER });
    await expect(ossCredentials(ctx).fetch()).resolves.toEqual({
      keyId: "STS.tmp",
      secret: "tmp-secret",
      token: "tmp-token",
      expiresAt: Date.parse("2026-11-29T02:00:00Z"),
    });
    const [req] = ctx.fetched;
    expect(req).toMatchObject({ method: "POST", url: `${STS}/` });
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const params = Object.fromEntries(new URLSearchParams(req.body));
    expect(params).toMatchObject({
      Action: "AssumeRole",
      Version: "2015-04-01",
      Format: "JSON",
      AccessKeyId: "base-id",
      RoleArn: "acs:ram::1:role/d",
      RoleSessionName: "ci",
      DurationSeconds: "1200",
      Policy: "{}",
      Timestamp: "2026-11-29T01:00:00Z",
    });
    expect(verifyRpc("POST", params, "base-secret")).toBe(true);
    expect(verifyRpc("POST", params, "other")).toBe(false);
  });

  test("STS refusal carries Alibaba's code, message and request id", async () => {
    const ctx = fakeContext({
      env: {
        ALICLOUD_ASSUME_ROLE_ARN: "r",
        ALICLOUD_ACCESS_KEY: "a",
        ALICLOUD_SECRET_KEY: "b",
        BUCKET_INVENTORY_OSS_STS_ENDPOINT: STS,
      },
    });
    ctx.answer = () => ({
      status: 400,
      body: { RequestId: "r-9", Code: "SignatureDoesNotMatch", Message: "bad sig" },
    });
    await expect(ossCredentials(ctx).fetch()).rejects.toMatchObject({
      code: "SignatureDoesNotMatch",
      message: expect.stringMatching(/AssumeRole.*SignatureDoesNotMatch: bad sig \(request id r-9\)/),
    });
  });

  test("OIDC from env: an unsigned AssumeRoleWithOIDC with the token file's content", async () => {
    const ctx = fakeContext({
      ...LAYERS[4].setup,
      env: {
        ...LAYERS[4].setup.env,
        ALIBABA_CLOUD_ROLE_SESSION_NAME: "rrsa",
        BUCKET_INVENTORY_OSS_STS_ENDPOINT: STS,
      },
    });
    ctx.answer = () => ({ body: STS_ANSWER });
    await ossCredentials(ctx).fetch();
    const params = Object.fromEntries(new URLSearchParams(ctx.fetched[0].body));
    expect(params).toMatchObject({
      Action: "AssumeRoleWithOIDC",
      OIDCToken: "jwt",
      OIDCProviderArn: "op",
      RoleArn: "r",
      RoleSessionName: "rrsa",
    });
    expect(params).not.toHaveProperty("Signature");
    expect(params).not.toHaveProperty("AccessKeyId");
  });

  test("ECS role: hardened mode asks for a token first and sends it", async () => {
    const ctx = fakeContext({
      config: { "alicloud:ecsRoleName": "ecs" },
      env: { BUCKET_INVENTORY_OSS_METADATA_ENDPOINT: "http://127.0.0.1:7" },
    });
    ctx.answer = (req) =>
      req.method === "PUT"
        ? { body: "md-token" }
        : {
            body: {
              AccessKeyId: "STS.m",
              AccessKeySecret: "m",
              SecurityToken: "m-tok",
              Expiration: "2026-11-29T02:00:00Z",
              LastUpdated: "x",
              Code: "Success",
            },
          };
    await expect(ossCredentials(ctx).fetch()).resolves.toMatchObject({ keyId: "STS.m", token: "m-tok" });
    expect(ctx.fetched.map((r) => [r.method, r.url])).toEqual([
      ["PUT", "http://127.0.0.1:7/latest/api/token"],
      ["GET", "http://127.0.0.1:7/latest/meta-data/ram/security-credentials/ecs"],
    ]);
    expect(ctx.fetched[0].headers["x-aliyun-ecs-metadata-token-ttl-seconds"]).toBe("21600");
    expect(ctx.fetched[1].headers["x-aliyun-ecs-metadata-token"]).toBe("md-token");
  });

  test("ECS role without a metadata token: refused when ALIBABA_CLOUD_IMDSV1_DISABLED is true", async () => {
    const ctx = fakeContext({
      env: {
        ALICLOUD_ECS_ROLE_NAME: "ecs",
        ALIBABA_CLOUD_IMDSV1_DISABLED: "true",
        BUCKET_INVENTORY_OSS_METADATA_ENDPOINT: "http://127.0.0.1:7",
      },
    });
    ctx.answer = () => ({ status: 403, body: "" });
    await expect(ossCredentials(ctx).fetch()).rejects.toThrow(/no metadata token \(HTTP 403\)/);
    expect(ctx.fetched).toHaveLength(1);
  });
});
