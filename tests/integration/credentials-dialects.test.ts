// The credential chain inside the engine's dialects, over HTTP (a scripted STS and COS):
// temporary keys are fetched once and shared, refreshed when expired, sent with their
// token; a signature refusal of stack-config keys carries the stale-key hint.
import { cloudDialects } from "../../provider/engine/dialects";
import type { ConfigSource } from "../../provider/engine/settings";
import { NotFoundError } from "../../provider/core/errors";
import { type ScriptedRequest, type ScriptedServer, startScriptedServer } from "../support/scripted-server";

const BUCKET = "examplebucket-1250000000";
const REGION = "ap-guangzhou";
/** The error `p` rejects with (the test fails if it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as Error & { code?: string },
  );
}
const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

const cosError = (code: string, status: number) => ({
  status,
  headers: { "content-type": "application/xml", "x-cos-request-id": "req-1" },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message><RequestId>req-1</RequestId></Error>`,
});

describe("COS dialect credentials over HTTP", () => {
  let server: ScriptedServer;
  let expiration: string;
  let issued = 0;
  const isSts = (r: ScriptedRequest) => r.method === "POST" && r.headers["x-tc-action"] === "AssumeRole";

  beforeEach(async () => {
    server = await startScriptedServer();
    issued = 0;
    expiration = new Date(Date.now() + 3600_000).toISOString();
    server.respond = (r) => {
      if (isSts(r)) {
        issued++;
        const body = {
          Response: {
            Credentials: { TmpSecretId: `tmp-${issued}`, TmpSecretKey: "tmp-key", Token: `token-${issued}` },
            Expiration: expiration,
            RequestId: `sts-${issued}`,
          },
        };
        return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      }
      return r.method === "DELETE" ? { status: 204 } : cosError("NoSuchInventoryConfiguration", 404);
    };
  });
  afterEach(() => server.close());

  const assumeRoleConfig = () =>
    config({
      "tencentcloud:assumeRole": JSON.stringify({ roleArn: "qcs::cam::uin/1:roleName/d", sessionName: "it" }),
      "tencentcloud:secretId": "AKIDbase",
      "tencentcloud:secretKey": "base-key",
      "bucket-inventory:cosStsEndpoint": server.url,
      "bucket-inventory:cosEndpoint": server.url,
    });

  test("one AssumeRole serves many concurrent requests, each sent with the temporary key and its token", async () => {
    const api = cloudDialects(assumeRoleConfig).cos.api(REGION);
    await Promise.all(Array.from({ length: 8 }, (_, i) => api.delete(BUCKET, `job-${i}`)));
    expect(server.seen.filter(isSts)).toHaveLength(1);
    const cosRequests = server.seen.filter((r) => !isSts(r));
    expect(cosRequests).toHaveLength(8);
    for (const r of cosRequests) {
      expect(r.headers["x-cos-security-token"]).toBe("token-1");
      expect(String(r.headers.authorization)).toContain("q-ak=tmp-1");
    }
  });

  test("expired temporary keys are refreshed before the next request", async () => {
    expiration = new Date(Date.now() - 1000).toISOString();
    const api = cloudDialects(assumeRoleConfig).cos.api(REGION);
    await api.delete(BUCKET, "a");
    await api.delete(BUCKET, "b");
    expect(server.seen.filter(isSts)).toHaveLength(2);
    expect(server.seen.filter((r) => !isSts(r)).map((r) => r.headers["x-cos-security-token"])).toEqual([
      "token-1",
      "token-2",
    ]);
  });

  test("a signature refusal of stack-config keys adds the stale-key hint, keeping the error's type and code", async () => {
    server.respond = () => cosError("SignatureDoesNotMatch", 403);
    const values = {
      "tencentcloud:secretId": "AKIDold",
      "tencentcloud:secretKey": "old-key",
      "bucket-inventory:cosEndpoint": server.url,
    };
    const err = await rejection(
      cloudDialects(() => config(values))
        .cos.api(REGION)
        .get(BUCKET, "a"),
    );
    expect(err.code).toBe("SignatureDoesNotMatch");
    expect(err.message).toMatch(
      /credentials from stack config tencentcloud:secretId\/tencentcloud:secretKey/,
    );
    expect(err.message).toMatch(/last `pulumi up`.*`--run-program`/);
  });

  test("other refusals get no hint", async () => {
    const values = {
      "tencentcloud:secretId": "AKIDold",
      "tencentcloud:secretKey": "k",
      "bucket-inventory:cosEndpoint": server.url,
    };
    const notFound = await rejection(
      cloudDialects(() => config(values))
        .cos.api(REGION)
        .get(BUCKET, "a"),
    );
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.message).not.toMatch(/pulumi up/);
  });

  test("an STS refusal names the call, Tencent's code and the request id", async () => {
    server.respond = () => ({
      status: 200,
      body: JSON.stringify({
        Response: {
          Error: { Code: "InvalidParameter.RoleNotExist", Message: "role not exist" },
          RequestId: "sts-x",
        },
      }),
    });
    await expect(cloudDialects(assumeRoleConfig).cos.api(REGION).delete(BUCKET, "a")).rejects.toThrow(
      /Tencent STS AssumeRole at http:\/\/127\.0\.0\.1:\d+\/: InvalidParameter\.RoleNotExist: role not exist \(request id sts-x\)/,
    );
  });
});
