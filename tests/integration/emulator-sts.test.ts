/**
 * The emulator's credential services over HTTP: both clouds' STS (signed with
 * the provider's own STS signers, verified by the emulator), both instance
 * metadata services, and the COS and OSS dialects accepting the temporary
 * keys they issue only with the right, unexpired token, in each cloud's
 * error format.
 */
import { parseEmulatorArgs } from "../../provider/cli/emulator";
import type { RunningEmulator } from "../../provider/emulator/server";
import * as cos from "../support/cos-emulator";
import { emulatorAdmin, startAdminEmulator } from "../support/emulator-suite";
import { adminExchange, send, type Reply } from "../support/http";
import * as oss from "../support/oss-emulator";
import { alibabaSts, jwt, oidcToken, tencentResponse, tencentSts, type Key } from "../support/sts";

const TENCENT_ROLE = "qcs::cam::uin/100000000001:roleName/deployer";
const ALIBABA_ROLE = "acs:ram::1000000000000000:role/deployer";
const COS_KEY: Key = { id: cos.AK, secret: cos.SK };
const OSS_KEY: Key = { id: oss.AK, secret: oss.SK };

let emu: RunningEmulator;
/** Added to the emulator's clock (ms), to watch credentials expire. */
let clockOffset = 0;

beforeAll(async () => {
  emu = await startAdminEmulator([cos.BUCKET, cos.OTHER_BUCKET, oss.BUCKET, oss.DEST_BUCKET], COS_KEY, {
    credentials: [COS_KEY, OSS_KEY],
    now: () => Date.now() + clockOffset,
  });
});
afterAll(() => emu.close());
afterEach(async () => {
  clockOffset = 0;
  await adminExchange(emu, "PUT", "/_emulator/token-ttl", { seconds: null });
});

/** A Tencent AssumeRole call for the test role, with `extra` parameters, signed by `key`. */
const tencentAssume = (
  extra: Record<string, unknown> = {},
  key: Key | undefined = COS_KEY,
  o: Parameters<typeof tencentSts>[4] = {},
): Promise<Reply> =>
  tencentSts(emu, "AssumeRole", { RoleArn: TENCENT_ROLE, RoleSessionName: "ci", ...extra }, key, o);

/** Tencent temporary credentials from AssumeRole. */
async function tencentTemporary(params: Record<string, unknown> = {}): Promise<Key> {
  const reply = await tencentAssume(params);
  const c = tencentResponse(reply).Credentials as {
    TmpSecretId: string;
    TmpSecretKey: string;
    Token: string;
  };
  return { id: c.TmpSecretId, secret: c.TmpSecretKey, token: c.Token };
}

/** Alibaba temporary credentials from AssumeRole. */
async function alibabaTemporary(): Promise<Key> {
  const reply = await alibabaSts(
    emu,
    "AssumeRole",
    { RoleArn: ALIBABA_ROLE, RoleSessionName: "ci" },
    OSS_KEY,
  );
  const c = (JSON.parse(reply.body) as { Credentials: Record<string, string> }).Credentials;
  return { id: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken };
}

/** The code of a Tencent API 3.0 error answer (always HTTP 200). */
function tencentError(reply: Reply): string {
  expect(reply.status).toBe(200);
  const r = tencentResponse(reply) as { Error: { Code: string; Message: string }; RequestId: string };
  expect(r.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.Error.Message).toEqual(expect.any(String));
  return r.Error.Code;
}

/** The status and code of an Alibaba STS error answer. */
function alibabaError(reply: Reply): [number, string] {
  const body = JSON.parse(reply.body) as Record<string, string>;
  expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
  expect(body.HostId).toBe("sts.aliyuncs.com");
  return [reply.status, body.Code];
}

describe("Tencent STS", () => {
  test("AssumeRole signed with TC3 answers the API 3.0 credentials shape, 3600 s by default", async () => {
    const before = Math.floor(Date.now() / 1000);
    const reply = await tencentAssume();
    expect(reply.status).toBe(200);
    const r = tencentResponse(reply);
    expect(Object.keys(r).sort()).toEqual(["Credentials", "Expiration", "ExpiredTime", "RequestId"]);
    const c = r.Credentials as Record<string, string>;
    expect(Object.keys(c).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
    expect(c.TmpSecretId).toMatch(/^AKID/);
    expect(r.ExpiredTime as number).toBeGreaterThanOrEqual(before + 3600);
    expect(r.ExpiredTime as number).toBeLessThanOrEqual(before + 3601);
    expect(r.Expiration).toBe(new Date((r.ExpiredTime as number) * 1000).toISOString().replace(".000Z", "Z"));
  });

  test("accepts a signature over the host name without the port, as the official Node SDK signs it", async () => {
    const portless = await tencentAssume({}, COS_KEY, {
      tamper: (h) => {
        h.Host = "sts.tencentcloudapi.com:8443";
      },
    });
    expect(tencentResponse(portless).Credentials).toBeDefined();
    const otherHost = await tencentAssume({}, COS_KEY, {
      tamper: (h) => {
        h.Host = "sts.example.com:8443";
      },
    });
    expect(tencentError(otherHost)).toBe("AuthFailure.SignatureFailure");
  });

  test("DurationSeconds sets the lifetime; the admin cap shortens it", async () => {
    const now = Math.floor(Date.now() / 1000);
    const asked = await tencentAssume({ DurationSeconds: 1800 });
    expect(tencentResponse(asked).ExpiredTime as number).toBeLessThanOrEqual(now + 1801);
    expect(tencentResponse(asked).ExpiredTime as number).toBeGreaterThanOrEqual(now + 1800);
    expect((await adminExchange(emu, "PUT", "/_emulator/token-ttl", { seconds: 5 })).json).toEqual({
      seconds: 5,
      defaultSeconds: 3600,
    });
    const capped = await tencentAssume({ DurationSeconds: 1800 });
    expect(tencentResponse(capped).ExpiredTime as number).toBeLessThanOrEqual(now + 6);
  });

  test("refuses a wrong signature, an unknown SecretId, a stale timestamp and a temporary key without its token", async () => {
    expect(tencentError(await tencentAssume({}, { ...COS_KEY, secret: "wrong" }))).toBe(
      "AuthFailure.SignatureFailure",
    );
    expect(tencentError(await tencentAssume({}, { id: "AKIDUNKNOWN", secret: "x" }))).toBe(
      "AuthFailure.SecretIdNotFound",
    );
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect(
      tencentError(
        await tencentAssume({}, COS_KEY, {
          timestamp: stale,
        }),
      ),
    ).toBe("AuthFailure.SignatureExpire");
    expect(
      tencentError(
        await tencentSts(emu, "AssumeRole", { RoleArn: TENCENT_ROLE, RoleSessionName: "ci" }, undefined),
      ),
    ).toBe("AuthFailure.InvalidAuthorization");
    const temporary = await tencentTemporary();
    expect(tencentError(await tencentAssume({}, { ...temporary, token: undefined }))).toBe(
      "AuthFailure.TokenFailure",
    );
    expect(tencentResponse(await tencentAssume({}, temporary)).Credentials).toBeDefined();
  });

  test("checks the parameters: RoleArn, RoleSessionName, DurationSeconds, action and version", async () => {
    expect(tencentError(await tencentSts(emu, "AssumeRole", { RoleSessionName: "ci" }, COS_KEY))).toBe(
      "MissingParameter",
    );
    expect(tencentError(await tencentSts(emu, "AssumeRole", { RoleArn: TENCENT_ROLE }, COS_KEY))).toBe(
      "MissingParameter",
    );
    expect(
      tencentError(
        await tencentSts(emu, "AssumeRole", { RoleArn: "deployer", RoleSessionName: "ci" }, COS_KEY),
      ),
    ).toBe("InvalidParameter.ResourceError");
    expect(tencentError(await tencentAssume({ DurationSeconds: 50000 }))).toBe("InvalidParameterValue");
    expect(tencentError(await tencentSts(emu, "GetFederationToken", {}, COS_KEY))).toBe("InvalidAction");
    expect(tencentError(await tencentSts(emu, "AssumeRole", {}, COS_KEY, { version: "2017-03-12" }))).toBe(
      "NoSuchVersion",
    );
  });

  test("AssumeRoleWithWebIdentity takes an unsigned call with a live OIDC token", async () => {
    const params = {
      ProviderId: "OIDC",
      RoleArn: TENCENT_ROLE,
      RoleSessionName: "ci",
      WebIdentityToken: oidcToken(),
    };
    const ok = tencentResponse(await tencentSts(emu, "AssumeRoleWithWebIdentity", params, undefined));
    expect(Object.keys(ok.Credentials as object).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
    const expired = jwt({
      iss: "https://oidc.example.test",
      sub: "ci",
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    expect(
      tencentError(
        await tencentSts(
          emu,
          "AssumeRoleWithWebIdentity",
          { ...params, WebIdentityToken: expired },
          undefined,
        ),
      ),
    ).toBe("InvalidParameter.WebIdentityTokenError");
    expect(
      tencentError(
        await tencentSts(
          emu,
          "AssumeRoleWithWebIdentity",
          { ...params, WebIdentityToken: "not-a-jwt" },
          undefined,
        ),
      ),
    ).toBe("InvalidParameter.WebIdentityTokenError");
    expect(
      tencentError(
        await tencentSts(emu, "AssumeRoleWithWebIdentity", { ...params, ProviderId: undefined }, undefined),
      ),
    ).toBe("MissingParameter");
  });
});

describe("Alibaba STS", () => {
  test("AssumeRole, signed in a form body or the query, answers the STS credentials shape", async () => {
    for (const inQuery of [false, true]) {
      const reply = await alibabaSts(
        emu,
        "AssumeRole",
        { RoleArn: ALIBABA_ROLE, RoleSessionName: "ci", DurationSeconds: "900" },
        OSS_KEY,
        { inQuery },
      );
      expect(reply.status).toBe(200);
      const body = JSON.parse(reply.body) as Record<string, Record<string, string>>;
      expect(Object.keys(body).sort()).toEqual(["AssumedRoleUser", "Credentials", "RequestId"]);
      expect(body.AssumedRoleUser).toEqual({
        AssumedRoleId: "1000000000000000:ci",
        Arn: `${ALIBABA_ROLE}/ci`,
      });
      expect(Object.keys(body.Credentials).sort()).toEqual([
        "AccessKeyId",
        "AccessKeySecret",
        "Expiration",
        "SecurityToken",
      ]);
      expect(body.Credentials.AccessKeyId).toMatch(/^STS\./);
      const lifetime = Date.parse(body.Credentials.Expiration) - Date.now();
      expect(lifetime).toBeGreaterThan(890_000);
      expect(lifetime).toBeLessThanOrEqual(900_000);
    }
  });

  test("refuses a wrong signature, an unknown key, a stale timestamp, a reused nonce and bad parameters", async () => {
    const params = { RoleArn: ALIBABA_ROLE, RoleSessionName: "ci" };
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRole", params, { ...OSS_KEY, secret: "wrong" })),
    ).toEqual([400, "SignatureDoesNotMatch"]);
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRole", params, { id: "LTAIUNKNOWN", secret: "x" })),
    ).toEqual([404, "InvalidAccessKeyId.NotFound"]);
    expect(
      alibabaError(
        await alibabaSts(emu, "AssumeRole", params, OSS_KEY, { date: new Date(Date.now() - 3600_000) }),
      ),
    ).toEqual([400, "InvalidTimeStamp.Expired"]);
    expect((await alibabaSts(emu, "AssumeRole", params, OSS_KEY, { nonce: "once" })).status).toBe(200);
    expect(alibabaError(await alibabaSts(emu, "AssumeRole", params, OSS_KEY, { nonce: "once" }))).toEqual([
      400,
      "SignatureNonceUsed",
    ]);
    expect(alibabaError(await alibabaSts(emu, "AssumeRole", { RoleSessionName: "ci" }, OSS_KEY))).toEqual([
      400,
      "MissingRoleArn",
    ]);
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRole", { ...params, RoleArn: "deployer" }, OSS_KEY)),
    ).toEqual([400, "InvalidParameter.RoleArn"]);
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRole", { ...params, DurationSeconds: "60" }, OSS_KEY)),
    ).toEqual([400, "InvalidParameter.DurationSeconds"]);
    expect(alibabaError(await alibabaSts(emu, "GetCallerIdentity", {}, OSS_KEY))).toEqual([
      404,
      "InvalidAction.NotFound",
    ]);
    const temporary = await alibabaTemporary();
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRole", params, { ...temporary, token: "wrong" })),
    ).toEqual([400, "InvalidSecurityToken.MismatchWithAccessKey"]);
  });

  test("AssumeRoleWithOIDC takes an unsigned call with a live OIDC token", async () => {
    const params = {
      OIDCProviderArn: "acs:ram::1000000000000000:oidc-provider/ci",
      RoleArn: ALIBABA_ROLE,
      RoleSessionName: "ci",
      OIDCToken: oidcToken(),
    };
    const reply = await alibabaSts(emu, "AssumeRoleWithOIDC", params, undefined);
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as Record<string, Record<string, string>>;
    expect(body.OIDCTokenInfo).toEqual({
      Subject: "system:serviceaccount:ci:deployer",
      Issuer: "https://oidc.example.test",
      ClientIds: "sts.example",
    });
    expect(body.Credentials.AccessKeyId).toMatch(/^STS\./);
    const expired = jwt({ iss: "i", sub: "s", exp: 1 });
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRoleWithOIDC", { ...params, OIDCToken: expired }, undefined)),
    ).toEqual([400, "AuthenticationFail.OIDCToken.Expired"]);
    expect(
      alibabaError(await alibabaSts(emu, "AssumeRoleWithOIDC", { ...params, OIDCToken: "x" }, undefined)),
    ).toEqual([400, "AuthenticationFail.OIDCToken.Invalid"]);
    const { OIDCToken: _dropped, ...noToken } = params;
    expect(alibabaError(await alibabaSts(emu, "AssumeRoleWithOIDC", noToken, undefined))).toEqual([
      400,
      "MissingOIDCToken",
    ]);
  });
});

describe("COS refuses a temporary key without its token, with a wrong one, or expired", () => {
  test("the right token works until the expiry", async () => {
    const key = await tencentTemporary();
    const as = { secretId: key.id, secretKey: key.secret };
    expect((await cos.put(emu, "tmp-ok", undefined, { ...as, securityToken: key.token })).status).toBe(200);
    expect(cos.expectCosError(await cos.get(emu, "tmp-ok", as), 403, "InvalidAccessKeyId").message).toContain(
      "x-cos-security-token",
    );
    cos.expectCosError(
      await cos.get(emu, "tmp-ok", { ...as, securityToken: `${key.token}x` }),
      400,
      "InvalidToken",
    );
    clockOffset = 3600_000;
    cos.expectCosError(
      await cos.get(emu, "tmp-ok", { ...as, securityToken: key.token }),
      400,
      "ExpiredToken",
    );
  });

  test("an Alibaba temporary key is unknown to COS", async () => {
    const key = await alibabaTemporary();
    cos.expectCosError(
      await cos.get(emu, "x", { secretId: key.id, secretKey: key.secret, securityToken: key.token }),
      403,
      "InvalidAccessKeyId",
    );
  });
});

describe("OSS refuses a temporary key without its token, with a wrong one, or expired", () => {
  test("the right token works until the expiry, with OSS's codes and ECs", async () => {
    await adminExchange(emu, "PUT", "/_emulator/token-ttl", { seconds: 2 });
    const key = await alibabaTemporary();
    const as = { accessKeyId: key.id, secret: key.secret };
    for (const version of [1, 4] as const) {
      expect(
        (await oss.put(emu, `tmp-${version}`, undefined, { ...as, version, securityToken: key.token }))
          .status,
      ).toBe(200);
    }
    oss.expectOssError(await oss.get(emu, "tmp-4", as), 403, "InvalidAccessKeyId");
    oss.expectOssError(
      await oss.get(emu, "tmp-4", { ...as, securityToken: "wrong" }),
      403,
      "InvalidSecurityToken",
      "0002-00000008",
    );
    clockOffset = 2_000;
    oss.expectOssError(
      await oss.get(emu, "tmp-4", { ...as, securityToken: key.token }),
      403,
      "SecurityTokenExpired",
      "0002-00000007",
    );
  });
});

describe("instance metadata", () => {
  test("Tencent CVM: the role name, then its credentials, which COS accepts", async () => {
    const list = await send(emu.url, { method: "GET", path: "/latest/meta-data/cam/security-credentials/" });
    expect([list.status, list.body]).toEqual([200, "emulator-instance-role"]);
    const reply = await send(emu.url, {
      method: "GET",
      path: "/latest/meta-data/cam/security-credentials/emulator-instance-role",
    });
    const c = JSON.parse(reply.body) as Record<string, string | number>;
    expect(Object.keys(c).sort()).toEqual([
      "Code",
      "Expiration",
      "ExpiredTime",
      "TmpSecretId",
      "TmpSecretKey",
      "Token",
    ]);
    expect(c.Code).toBe("Success");
    const again = JSON.parse(
      (
        await send(emu.url, {
          method: "GET",
          path: "/latest/meta-data/cam/security-credentials/emulator-instance-role",
        })
      ).body,
    ) as Record<string, string>;
    expect(again.TmpSecretId).toBe(c.TmpSecretId);
    const as = {
      secretId: String(c.TmpSecretId),
      secretKey: String(c.TmpSecretKey),
      securityToken: String(c.Token),
    };
    expect((await cos.put(emu, "from-cvm", undefined, as)).status).toBe(200);
    expect(
      (await send(emu.url, { method: "GET", path: "/latest/meta-data/cam/security-credentials/other" }))
        .status,
    ).toBe(404);
  });

  test("Alibaba ECS, hardened: a session token first, then the role and its credentials, which OSS accepts", async () => {
    const path = "/latest/meta-data/ram/security-credentials/";
    expect((await send(emu.url, { method: "GET", path })).status).toBe(401);
    expect((await send(emu.url, { method: "PUT", path: "/latest/api/token" })).status).toBe(400);
    const token = await send(emu.url, {
      method: "PUT",
      path: "/latest/api/token",
      headers: { "X-aliyun-ecs-metadata-token-ttl-seconds": "60" },
    });
    expect(token.status).toBe(200);
    const headers = { "X-aliyun-ecs-metadata-token": token.body };
    expect((await send(emu.url, { method: "GET", path, headers })).body).toBe("emulator-instance-role");
    const reply = await send(emu.url, { method: "GET", path: `${path}emulator-instance-role`, headers });
    const c = JSON.parse(reply.body) as Record<string, string>;
    expect(Object.keys(c).sort()).toEqual([
      "AccessKeyId",
      "AccessKeySecret",
      "Code",
      "Expiration",
      "LastUpdated",
      "SecurityToken",
    ]);
    expect(
      (
        await oss.put(emu, "from-ecs", undefined, {
          accessKeyId: c.AccessKeyId,
          secret: c.AccessKeySecret,
          securityToken: c.SecurityToken,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(emu.url, {
          method: "GET",
          path: `${path}emulator-instance-role`,
          headers: { "X-aliyun-ecs-metadata-token": "forged" },
        })
      ).status,
    ).toBe(401);
  });
});

describe("admin and CLI", () => {
  test("the request log names the service and action; the credential list shows no secret or token", async () => {
    await emulatorAdmin.clearLog(emu);
    const key = await tencentTemporary();
    const log = await emulatorAdmin.requests(emu);
    expect(log).toEqual([
      expect.objectContaining({ method: "POST", dialect: "tencent-sts", action: "AssumeRole", status: 200 }),
    ]);
    const listed = (await adminExchange(emu, "GET", "/_emulator/temporary-credentials")).json as Record<
      string,
      string
    >[];
    const mine = listed.find((c) => c.id === key.id);
    expect(mine && Object.keys(mine).sort()).toEqual(["cloud", "expiresAt", "id", "issuedAt"]);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(JSON.stringify(listed)).not.toContain(key.token);
    expect((await adminExchange(emu, "PUT", "/_emulator/token-ttl", { seconds: -1 })).status).toBe(400);
  });

  test("--token-ttl and --instance-role", () => {
    expect(parseEmulatorArgs(["--token-ttl", "5", "--instance-role=ci-role"])).toMatchObject({
      tokenTtlSeconds: 5,
      instanceRole: "ci-role",
    });
    expect(() => parseEmulatorArgs(["--token-ttl", "0"])).toThrow(
      /--token-ttl must be a positive whole number/,
    );
    expect(() => parseEmulatorArgs(["--instance-role", "a/b"])).toThrow(/--instance-role needs a role name/);
  });
});
