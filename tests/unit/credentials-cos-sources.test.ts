// The COS credential chain: the Tencent Cloud provider's source order, what each source
// sends to STS and the CVM metadata service (checked with the TC3 verifier), and the
// not-found message.
import { COS_SOURCES, cosCredentials } from "../../provider/credentials/cos/sources";
import { parseTc3Authorization, verifyTc3 } from "../../provider/credentials/cos/sts-signer";
import { type SourceLayer, fakeContext, mergeLayers, thrownMessage } from "../support/credentials-context";

const TCCLI = "/home/u/.tccli";
const STS = "http://127.0.0.1:9999";

/** One setting per source, by precedence; the expected `source` prefix of the provider. */
const LAYERS: SourceLayer[] = [
  {
    setup: {
      config: { "tencentcloud:enablePodOidc": "true" },
      env: {
        TKE_REGION: "ap-shanghai",
        TKE_WEB_IDENTITY_TOKEN_FILE: "/var/run/tke",
        TKE_PROVIDER_ID: "p",
        TKE_ROLE_ARN: "qcs::cam::uin/1:roleName/pod",
      },
      files: { "/var/run/tke": "pod-jwt\n" },
    },
    source: /^TKE pod OIDC/,
  },
  {
    setup: {
      config: {
        "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({
          roleArn: "r-web",
          sessionName: "s",
          webIdentityToken: "jwt",
        }),
      },
    },
    source: /^stack config tencentcloud:assumeRoleWithWebIdentity/,
  },
  {
    setup: {
      config: {
        "tencentcloud:assumeRole": JSON.stringify({
          roleArn: "r-cfg",
          sessionName: "s",
          sessionDuration: 900,
        }),
      },
    },
    source: /^stack config tencentcloud:assumeRole \(signed by/,
  },
  {
    setup: {
      env: {
        TENCENTCLOUD_ASSUME_ROLE_ARN: "r-env",
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "s",
        TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN: "jwt",
      },
    },
    source: /^env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN/,
  },
  {
    setup: { env: { TENCENTCLOUD_ASSUME_ROLE_ARN: "r-env", TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "s" } },
    source: /^env TENCENTCLOUD_ASSUME_ROLE_ARN \(signed by/,
  },
  {
    setup: {
      files: {
        [`${TCCLI}/default.credential`]: JSON.stringify({
          secretId: "p-id",
          secretKey: "p-key",
          "role-arn": "r-prof",
          "role-session-name": "s",
        }),
      },
    },
    source: /^tccli profile role in \/home\/u\/\.tccli\/default\.credential/,
  },
  { setup: { env: { TENCENTCLOUD_CAM_ROLE_NAME: "cvm-role" } }, source: /^CVM CAM role "cvm-role"/ },
  {
    setup: { config: { "tencentcloud:secretId": "c-id", "tencentcloud:secretKey": "c-key" } },
    source: /^stack config tencentcloud:secretId\/tencentcloud:secretKey$/,
  },
  {
    setup: { env: { TENCENTCLOUD_SECRET_ID: "t-id", TENCENTCLOUD_SECRET_KEY: "t-key" } },
    source: /^env TENCENTCLOUD_SECRET_ID\/TENCENTCLOUD_SECRET_KEY$/,
  },
  {
    setup: { env: { COS_SECRET_ID: "o-id", COS_SECRET_KEY: "o-key" } },
    source: /^env COS_SECRET_ID\/COS_SECRET_KEY$/,
  },
  {
    setup: {
      files: { [`${TCCLI}/default.credential`]: JSON.stringify({ secretId: "p-id", secretKey: "p-key" }) },
    },
    source: /^tccli profile \/home\/u\/\.tccli\/default\.credential$/,
  },
];

describe("COS source order (terraform-provider-tencentcloud's, by precedence)", () => {
  test.each(LAYERS.map((l, i) => [i + 1, l.source] as const))(
    "source %i wins over every later one",
    (i, source) => {
      expect(cosCredentials(fakeContext(mergeLayers(LAYERS, i - 1))).source).toMatch(source);
    },
  );

  test("nothing configured: the error lists every source, in order, with what to set", () => {
    const message = thrownMessage(() => cosCredentials(fakeContext({})));
    expect(message).toMatch(/^no COS credentials; tried, in order:/);
    const lines = message.split("\n").slice(1);
    expect(lines).toHaveLength(COS_SOURCES.length);
    COS_SOURCES.forEach((s, i) => expect(lines[i]).toBe(`  ${i + 1}. ${s.name}: ${s.hint}`));
    expect(message).toMatch(/TENCENTCLOUD_SECRET_ID/);
    expect(message).toMatch(/COS_SECRET_ID/);
    expect(message).toMatch(/tencentcloud:assumeRole/);
  });

  test("an id without its secret is an error, not a fall-through to another source", () => {
    expect(() =>
      cosCredentials(
        fakeContext({
          config: { "tencentcloud:secretId": "id" },
          env: { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b" },
        }),
      ),
    ).toThrow(/tencentcloud:secretId is set but tencentcloud:secretKey is not/);
  });

  test("object settings: JSON text or an already parsed object; anything else is an error naming the key", () => {
    const role = { roleArn: "r", sessionName: "s" };
    const base = { "tencentcloud:secretId": "a", "tencentcloud:secretKey": "b" };
    const parsed = {
      get: (k: string) => (k === "tencentcloud:assumeRole" ? role : base[k as keyof typeof base]),
    };
    const ctx = { ...fakeContext(), config: parsed as unknown as { get(k: string): string | undefined } };
    expect(cosCredentials(ctx).source).toMatch(/^stack config tencentcloud:assumeRole/);
    expect(() => cosCredentials(fakeContext({ config: { "tencentcloud:assumeRole": "{nope" } }))).toThrow(
      /tencentcloud:assumeRole is not JSON.*--path/,
    );
    expect(() => cosCredentials(fakeContext({ config: { "tencentcloud:assumeRole": "[1]" } }))).toThrow(
      /tencentcloud:assumeRole must be an object/,
    );
  });

  test("assume role with nothing to sign with names the base sources", () => {
    expect(() =>
      cosCredentials(
        fakeContext({
          config: { "tencentcloud:assumeRole": JSON.stringify({ roleArn: "r", sessionName: "s" }) },
        }),
      ),
    ).toThrow(/calls STS AssumeRole, which needs credentials to sign with; no COS credentials/);
  });

  test("profile and directory come from tencentcloud:profile and TENCENTCLOUD_SHARED_CREDENTIALS_DIR", async () => {
    const ctx = fakeContext({
      config: { "tencentcloud:profile": "ci" },
      env: { TENCENTCLOUD_SHARED_CREDENTIALS_DIR: "~/creds" },
      files: {
        "/home/u/creds/ci.credential": JSON.stringify({
          secretId: "ci-id",
          secretKey: "ci-key",
          token: "ci-tok",
        }),
      },
    });
    const p = cosCredentials(ctx);
    expect(p.source).toBe("tccli profile /home/u/creds/ci.credential");
    expect(p.fromStackConfig).toBe(false);
    await expect(p.fetch()).resolves.toEqual({ keyId: "ci-id", secret: "ci-key", token: "ci-tok" });
  });
});

describe("COS role sources on the wire", () => {
  const STS_ANSWER = {
    Response: {
      Credentials: { TmpSecretId: "tmp-id", TmpSecretKey: "tmp-key", Token: "tmp-token" },
      ExpiredTime: 1795930800,
      Expiration: "2026-11-29T02:00:00Z",
      RequestId: "r-1",
    },
  };

  test("stack config assumeRole: a TC3-signed AssumeRole with the base keys, answer parsed", async () => {
    const ctx = fakeContext({
      config: {
        "tencentcloud:assumeRole": JSON.stringify({
          roleArn: "qcs::cam::uin/1:roleName/d",
          sessionName: "ci",
          sessionDuration: 1800,
          policy: '{"a":1}',
        }),
        "tencentcloud:secretId": "base-id",
        "tencentcloud:secretKey": "base-key",
        "bucket-inventory:cosStsEndpoint": STS,
        "tencentcloud:region": "ap-beijing",
      },
    });
    ctx.answer = () => ({ body: STS_ANSWER });
    const p = cosCredentials(ctx);
    expect(p.fromStackConfig).toBe(true);
    await expect(p.fetch()).resolves.toEqual({
      keyId: "tmp-id",
      secret: "tmp-key",
      token: "tmp-token",
      expiresAt: Date.parse("2026-11-29T02:00:00Z"),
    });
    const [req] = ctx.fetched;
    expect(req.url).toBe(`${STS}/`);
    expect(req.headers["x-tc-action"]).toBe("AssumeRole");
    expect(req.headers["x-tc-version"]).toBe("2018-08-13");
    expect(req.headers["x-tc-region"]).toBe("ap-beijing");
    expect(JSON.parse(req.body)).toEqual({
      RoleArn: "qcs::cam::uin/1:roleName/d",
      RoleSessionName: "ci",
      DurationSeconds: 1800,
      Policy: encodeURIComponent('{"a":1}'),
    });
    const auth = parseTc3Authorization(req.headers.authorization)!;
    expect(auth.secretId).toBe("base-id");
    const input = {
      method: "POST",
      path: "/",
      query: "",
      headers: { ...req.headers, host: "127.0.0.1:9999" },
      payload: req.body,
    };
    expect(verifyTc3(auth, input, Number(req.headers["x-tc-timestamp"]), "base-key")).toBe(true);
  });

  test("STS refusal carries Tencent's code, message and request id", async () => {
    const ctx = fakeContext({
      env: {
        TENCENTCLOUD_ASSUME_ROLE_ARN: "r",
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "s",
        TENCENTCLOUD_SECRET_ID: "a",
        TENCENTCLOUD_SECRET_KEY: "b",
        BUCKET_INVENTORY_COS_STS_ENDPOINT: STS,
      },
    });
    ctx.answer = () => ({
      body: {
        Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "bad sig" }, RequestId: "r-9" },
      },
    });
    await expect(cosCredentials(ctx).fetch()).rejects.toMatchObject({
      code: "AuthFailure.SignatureFailure",
      message: expect.stringMatching(/AssumeRole.*AuthFailure\.SignatureFailure: bad sig \(request id r-9\)/),
    });
  });

  test("web identity: unsigned AssumeRoleWithWebIdentity with the token read from its file on each fetch", async () => {
    const files: Record<string, string> = { "/t": "jwt-1" };
    const ctx = fakeContext({
      config: {
        "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({
          roleArn: "r",
          sessionName: "s",
          webIdentityTokenFile: "/t",
          providerId: "gh",
        }),
      },
      env: { BUCKET_INVENTORY_COS_STS_ENDPOINT: STS },
      files,
    });
    ctx.answer = () => ({ body: STS_ANSWER });
    const p = cosCredentials(ctx);
    await p.fetch();
    files["/t"] = "jwt-2";
    await p.fetch();
    expect(ctx.fetched.map((r) => r.headers.authorization)).toEqual(["SKIP", "SKIP"]);
    expect(
      ctx.fetched.map((r) => (JSON.parse(r.body) as { WebIdentityToken: string }).WebIdentityToken),
    ).toEqual(["jwt-1", "jwt-2"]);
    expect(JSON.parse(ctx.fetched[0].body)).toMatchObject({
      ProviderId: "gh",
      RoleArn: "r",
      RoleSessionName: "s",
      DurationSeconds: 7200,
    });
  });

  test("CAM role: the metadata service's credentials for the named role", async () => {
    const ctx = fakeContext({
      env: {
        TENCENTCLOUD_CAM_ROLE_NAME: "cvm",
        BUCKET_INVENTORY_COS_METADATA_ENDPOINT: "http://127.0.0.1:8",
      },
    });
    ctx.answer = () => ({
      body: {
        TmpSecretId: "m-id",
        TmpSecretKey: "m-key",
        Token: "m-tok",
        ExpiredTime: 1795930800,
        Expiration: "2026-11-29T02:00:00Z",
        Code: "Success",
      },
    });
    await expect(cosCredentials(ctx).fetch()).resolves.toMatchObject({ keyId: "m-id", token: "m-tok" });
    expect(ctx.fetched[0]).toMatchObject({
      method: "GET",
      url: "http://127.0.0.1:8/latest/meta-data/cam/security-credentials/cvm",
    });
  });

  test("CAM role refused: the error names the role and the fix", async () => {
    const ctx = fakeContext({
      config: { "tencentcloud:camRoleName": "nope" },
      env: { BUCKET_INVENTORY_COS_METADATA_ENDPOINT: "http://127.0.0.1:8" },
    });
    ctx.answer = () => ({ status: 404, body: "not found" });
    await expect(cosCredentials(ctx).fetch()).rejects.toThrow(/CAM role "nope".*HTTP 404.*bound/);
  });
});
