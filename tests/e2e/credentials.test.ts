/**
 * Where credentials come from, on the real Pulumi CLI against the emulator's
 * STS and instance metadata endpoints, both clouds in one stack: a CLI
 * profile, assume role, the instance role, OIDC, a token that expires in the
 * middle of a deployment (the emulator's lifetimes shortened), and a wrong
 * token refused with a clear error. Each scenario checks the emulator's log
 * for the credential calls it expects and that no temporary key reached the
 * state or the output.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alibabaSts, oidcToken, tencentResponse, tencentSts } from "../support/sts";
import { E2E_CREDENTIALS, E2eEmulator, LoggedRequest } from "./emulator";
import { repoRoot, type TestProject } from "./harness";
import { emulatorSuite, output, program } from "./support";

const TENCENT_ROLE = "qcs::cam::uin/100000000001:roleName/deployer";
const ALIBABA_ROLE = "acs:ram::1000000000000000:role/deployer";
const INSTANCE_ROLE = "emulator-instance-role";

/** Jobs `<prefix>0…` on both clouds. */
function bothClouds(count: number, prefix = "job"): string {
  return program(`for (let i = 0; i < ${count}; i++) {
  new inventory.cos.BucketInventory("cos-${prefix}" + i, { bucket: "examplebucket-1250000000", region: "ap-guangzhou",
    inventoryId: "${prefix}" + i, schedule: { frequency: "Daily" }, destination: { bucket: "otherbucket-1250000000", prefix: "r" } });
  new inventory.oss.BucketInventory("oss-${prefix}" + i, { bucket: "examplebucket", region: "cn-hangzhou",
    inventoryId: "${prefix}" + i, schedule: { frequency: "Daily" }, destination: { bucket: "destination-bucket",
    accountId: "1000000000000000", roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole", prefix: "r" } });
}`);
}

/**
 * This checkout's package for the projects: in a clone whose node_modules is
 * a link to another checkout's, the self-link there names that checkout.
 */
const THIS_PACKAGE = { links: { "pulumi-bucket-inventory": repoRoot } };

/** No static keys in the environment: the source under test must supply them. */
const NO_STATIC_KEYS: Record<string, undefined> = {
  TENCENTCLOUD_SECRET_ID: undefined,
  TENCENTCLOUD_SECRET_KEY: undefined,
  ALICLOUD_ACCESS_KEY: undefined,
  ALICLOUD_SECRET_KEY: undefined,
};

/** Where the provider finds the emulator's STS and metadata services. */
function serviceEndpoints(emu: E2eEmulator): Record<string, string> {
  return {
    BUCKET_INVENTORY_COS_STS_ENDPOINT: emu.url,
    BUCKET_INVENTORY_OSS_STS_ENDPOINT: emu.url,
    BUCKET_INVENTORY_COS_METADATA_ENDPOINT: emu.url,
    BUCKET_INVENTORY_OSS_METADATA_ENDPOINT: emu.url,
  };
}

/** Assume each cloud's test role with the static keys. */
const ASSUME_ROLE: Record<string, string> = {
  TENCENTCLOUD_ASSUME_ROLE_ARN: TENCENT_ROLE,
  TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "e2e",
  ALICLOUD_ASSUME_ROLE_ARN: ALIBABA_ROLE,
  ALICLOUD_ASSUME_ROLE_SESSION_NAME: "e2e",
};

/** `service action status` of each credential-service call in the log. */
function serviceCalls(log: LoggedRequest[]): string[] {
  return log
    .filter((r) => r.dialect !== "cos" && r.dialect !== "oss")
    .map((r) => `${r.dialect} ${r.action} ${r.status}${r.code ? ` ${r.code}` : ""}`);
}

/** The inventory calls that were refused (a 404 to the existence check before a create is expected). */
function refused(log: LoggedRequest[]): string[] {
  return log
    .filter((r) => (r.dialect === "cos" || r.dialect === "oss") && r.status >= 400 && r.status !== 404)
    .map((r) => `${r.dialect} ${r.operation} ${r.status} ${r.code}`);
}

/** Asserts that each cloud's STS issued a role's keys and that no inventory call was refused. */
async function expectBothRolesAssumed(emu: E2eEmulator): Promise<void> {
  const log = await emu.requests();
  expect(serviceCalls(log)).toEqual(
    expect.arrayContaining(["tencent-sts AssumeRole 200", "alibaba-sts AssumeRole 200"]),
  );
  expect(refused(log)).toEqual([]);
}

/** Asserts that no temporary key id the emulator issued appears in the state or in `text`. */
async function expectNoTemporaryKeys(emu: E2eEmulator, p: TestProject, text: string): Promise<void> {
  const ids = (await emu.temporaryCredentials()).map((c) => c.id);
  expect(ids.length).toBeGreaterThan(0);
  const state = JSON.stringify(await p.exportStack(true));
  for (const id of ids) {
    expect(state).not.toContain(id);
    expect(text).not.toContain(id);
  }
}

describe("credential sources on the real engine", () => {
  const suite = emulatorSuite();

  beforeEach(async () => {
    await suite.emu.tokenTtl(null);
  });

  it("reads keys from a tccli profile and an aliyun CLI profile", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-inventory-profiles-"));
    fs.writeFileSync(
      path.join(dir, "ci.credential"),
      JSON.stringify({ secretId: E2E_CREDENTIALS.id, secretKey: E2E_CREDENTIALS.secret }),
    );
    const aliyun = path.join(dir, "config.json");
    fs.writeFileSync(
      aliyun,
      JSON.stringify({
        current: "default",
        profiles: [
          { name: "default", mode: "AK", access_key_id: "LTAIwrong", access_key_secret: "wrong" },
          {
            name: "ci",
            mode: "AK",
            access_key_id: E2E_CREDENTIALS.id,
            access_key_secret: E2E_CREDENTIALS.secret,
          },
        ],
      }),
    );
    const p = await suite.project(
      "cred-profile",
      bothClouds(1),
      {
        ...NO_STATIC_KEYS,
        TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir,
        TENCENTCLOUD_PROFILE: "ci",
        ALIBABA_CLOUD_CREDENTIALS_FILE: aliyun,
        ALICLOUD_PROFILE: "ci",
      },
      THIS_PACKAGE,
    );
    // The aliyun file's current profile holds keys the emulator refuses: success means "ci" was read.
    const up = await p.up();
    expect(up.code).toBe(0);
    expect(refused(await suite.emu.requests())).toEqual([]);
    const jobs = await suite.emu.jobs();
    expect([jobs["examplebucket-1250000000"]?.length, jobs.examplebucket?.length]).toEqual([1, 1]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("assumes a role through each cloud's STS, signed with the static keys", async () => {
    const p = await suite.project(
      "cred-assume",
      bothClouds(1),
      { ...serviceEndpoints(suite.emu), ...ASSUME_ROLE },
      THIS_PACKAGE,
    );
    const up = await p.up();
    expect(up.code).toBe(0);
    await expectBothRolesAssumed(suite.emu);
    const clouds = (await suite.emu.temporaryCredentials()).map((c) => c.cloud).sort();
    expect(clouds).toEqual(["cos", "oss"]);
    await expectNoTemporaryKeys(suite.emu, p, output(up));
    expect((await p.destroy()).code).toBe(0);
  });

  it("assumes a role set in stack config (tencentcloud:assumeRole, alicloud:assumeRole), as the providers read it", async () => {
    const p = await suite.project(
      "cred-assume-config",
      bothClouds(1),
      serviceEndpoints(suite.emu),
      THIS_PACKAGE,
    );
    // The providers' object settings, written the way their docs show: `pulumi config set --path`.
    const settings: [string, string][] = [
      ["tencentcloud:assumeRole.roleArn", TENCENT_ROLE],
      ["tencentcloud:assumeRole.sessionName", "e2e-config"],
      ["alicloud:assumeRole.roleArn", ALIBABA_ROLE],
      ["alicloud:assumeRole.sessionName", "e2e-config"],
    ];
    for (const [key, value] of settings) {
      await p.must(["config", "set", "--path", key, value, "--stack", p.stack]);
    }
    const up = await p.up();
    expect(up.code).toBe(0);
    await expectBothRolesAssumed(suite.emu);
    await expectNoTemporaryKeys(suite.emu, p, output(up));
    expect((await p.destroy()).code).toBe(0);
  });

  it("takes the instance role from the emulated CVM and ECS metadata services (ECS in hardened mode)", async () => {
    const p = await suite.project(
      "cred-instance",
      bothClouds(1),
      {
        ...NO_STATIC_KEYS,
        ...serviceEndpoints(suite.emu),
        TENCENTCLOUD_CAM_ROLE_NAME: INSTANCE_ROLE,
        ALICLOUD_ECS_ROLE_NAME: INSTANCE_ROLE,
      },
      THIS_PACKAGE,
    );
    const up = await p.up();
    expect(output(up)).not.toMatch(/no (COS|OSS) credentials/);
    expect(up.code).toBe(0);
    const calls = serviceCalls(await suite.emu.requests());
    expect(calls).toEqual(
      expect.arrayContaining([
        `tencent-metadata /latest/meta-data/cam/security-credentials/${INSTANCE_ROLE} 200`,
        "alibaba-metadata /latest/api/token 200",
        `alibaba-metadata /latest/meta-data/ram/security-credentials/${INSTANCE_ROLE} 200`,
      ]),
    );
    expect(calls.filter((c) => / 401/.test(c))).toEqual([]);
    await expectNoTemporaryKeys(suite.emu, p, output(up));
  });

  it("exchanges an OIDC token for each cloud's role (web identity / AssumeRoleWithOIDC)", async () => {
    const p = await suite.project(
      "cred-oidc",
      bothClouds(1),
      {
        ...NO_STATIC_KEYS,
        ...serviceEndpoints(suite.emu),
        TENCENTCLOUD_ASSUME_ROLE_ARN: TENCENT_ROLE,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "e2e",
        TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: "ci-oidc",
        TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN: oidcToken(),
        ALIBABA_CLOUD_ROLE_ARN: ALIBABA_ROLE,
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1000000000000000:oidc-provider/ci",
      },
      THIS_PACKAGE,
    );
    const tokenFile = path.join(p.dir, "oidc-token");
    fs.writeFileSync(tokenFile, oidcToken());
    p.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE = tokenFile;
    const up = await p.up();
    expect(up.code).toBe(0);
    const log = await suite.emu.requests();
    expect(serviceCalls(log)).toEqual(
      expect.arrayContaining([
        "tencent-sts AssumeRoleWithWebIdentity 200",
        "alibaba-sts AssumeRoleWithOIDC 200",
      ]),
    );
    expect(refused(log)).toEqual([]);
  });

  it("refreshes a role's token that expires in the middle of a deployment", async () => {
    // Every temporary key lives 6 s; each job's put is held 2 s and the jobs are made one at a
    // time, so each cloud's keys expire during the deployment and must be fetched again.
    await suite.emu.tokenTtl(6);
    await suite.emu.fault({ match: { operation: "put" }, count: 8, latencyMs: 2000 });
    const p = await suite.project(
      "cred-refresh",
      bothClouds(4, "r"),
      { ...serviceEndpoints(suite.emu), ...ASSUME_ROLE },
      THIS_PACKAGE,
    );
    const started = Date.now();
    const up = await p.up("--parallel", "1");
    expect(output(up)).not.toMatch(/ExpiredToken|SecurityTokenExpired/);
    expect(up.code).toBe(0);
    const log = await suite.emu.requests();
    expect(refused(log)).toEqual([]);
    // More than one token per cloud was needed, and every one asked for was issued.
    const calls = serviceCalls(log);
    expect(calls.filter((c) => c === "tencent-sts AssumeRole 200").length).toBeGreaterThan(1);
    expect(calls.filter((c) => c === "alibaba-sts AssumeRole 200").length).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThan(12_000);
    const jobs = await suite.emu.jobs();
    expect([jobs["examplebucket-1250000000"]?.length, jobs.examplebucket?.length]).toEqual([4, 4]);
  });

  it("a wrong security token is refused with each cloud's error, named in the output", async () => {
    const tencent = tencentResponse(
      await tencentSts(
        suite.emu.running,
        "AssumeRole",
        { RoleArn: TENCENT_ROLE, RoleSessionName: "e2e" },
        { id: E2E_CREDENTIALS.id, secret: E2E_CREDENTIALS.secret },
      ),
    ).Credentials as Record<string, string>;
    const alibaba = (
      JSON.parse(
        (
          await alibabaSts(
            suite.emu.running,
            "AssumeRole",
            { RoleArn: ALIBABA_ROLE, RoleSessionName: "e2e" },
            { id: E2E_CREDENTIALS.id, secret: E2E_CREDENTIALS.secret },
          )
        ).body,
      ) as { Credentials: Record<string, string> }
    ).Credentials;
    const p = await suite.project(
      "cred-wrong-token",
      bothClouds(1),
      {
        TENCENTCLOUD_SECRET_ID: tencent.TmpSecretId,
        TENCENTCLOUD_SECRET_KEY: tencent.TmpSecretKey,
        TENCENTCLOUD_SECURITY_TOKEN: "not-the-token",
        ALICLOUD_ACCESS_KEY: alibaba.AccessKeyId,
        ALICLOUD_SECRET_KEY: alibaba.AccessKeySecret,
        ALICLOUD_SECURITY_TOKEN: "not-the-token",
      },
      THIS_PACKAGE,
    );
    const up = await p.up();
    expect(up.code).not.toBe(0);
    const text = output(up);
    expect(text).toContain("InvalidToken");
    expect(text).toContain("InvalidSecurityToken");
    const log = refused(await suite.emu.requests());
    expect(log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cos \w+ 400 InvalidToken$/),
        expect.stringMatching(/^oss \w+ 403 InvalidSecurityToken$/),
      ]),
    );
    expect(text).not.toContain(tencent.TmpSecretKey);
    expect(text).not.toContain(alibaba.AccessKeySecret);
  });
});
