/**
 * The emulator's temporary-credential rules as pure functions: token checks,
 * lifetimes and their cap, instance-role reuse, OIDC token reading, and which
 * requests the credential services take before the COS and OSS dialects.
 */
import { buildRequest } from "../../provider/emulator/request";
import { serviceFor } from "../../provider/emulator/services";
import {
  instanceCredential,
  newServiceState,
  readWebIdentityToken,
} from "../../provider/emulator/sts/common";
import { TemporaryCredentialStore, tokenProblem } from "../../provider/emulator/temporary-credentials";
import { jwt } from "../support/sts";

const T0 = Date.UTC(2026, 10, 29, 0, 0, 0);

describe("tokenProblem", () => {
  const store = new TemporaryCredentialStore(() => T0);
  const c = store.issue("oss", 900);
  test.each([
    [undefined, T0, "missing"],
    ["", T0, "missing"],
    [`${c.token}x`, T0, "wrong"],
    [c.token, T0 + 900_000, "expired"],
    [c.token, T0 + 899_999, undefined],
  ])("token %s at %d → %s", (given, now, problem) => {
    expect(tokenProblem(c, given, now)).toBe(problem);
  });
  test("ids look like each cloud's", () => {
    expect(store.issue("cos").id).toMatch(/^AKID[A-Za-z0-9]{32}$/);
    expect(c.id).toMatch(/^STS\.[A-Za-z0-9]{24}$/);
  });
});

describe("lifetimes", () => {
  test("asked, else 3600 s; never over the cap; the cap can be lifted", () => {
    const store = new TemporaryCredentialStore(() => T0);
    expect(store.lifetimeSeconds()).toBe(3600);
    expect(store.lifetimeSeconds(900)).toBe(900);
    store.setTtlCap(5);
    expect([store.lifetimeSeconds(), store.lifetimeSeconds(3)]).toEqual([5, 3]);
    expect(store.issue("cos").expiresAt).toBe(T0 + 5000);
    store.setTtlCap(undefined);
    expect(store.lifetimeSeconds(7200)).toBe(7200);
    expect(() => store.setTtlCap(0)).toThrow(RangeError);
    expect(() => new TemporaryCredentialStore(() => T0, 1.5)).toThrow(RangeError);
  });

  test("the instance role's credential is reused until half its life has gone", () => {
    let now = T0;
    const state = newServiceState(new Map(), new TemporaryCredentialStore(() => now, 100), () => now);
    const first = instanceCredential(state, "cos");
    now = T0 + 49_999;
    expect(instanceCredential(state, "cos")).toBe(first);
    expect(instanceCredential(state, "oss").cloud).toBe("oss");
    now = T0 + 50_000;
    expect(instanceCredential(state, "cos").id).not.toBe(first.id);
  });
});

describe("readWebIdentityToken", () => {
  test("reads iss, sub and aud of a live JWT; refuses others", () => {
    expect(
      readWebIdentityToken(jwt({ iss: "i", sub: "s", aud: ["a", "b"], exp: T0 / 1000 + 1 }), T0),
    ).toEqual({
      issuer: "i",
      subject: "s",
      audiences: ["a", "b"],
    });
    expect(readWebIdentityToken(jwt({ iss: "i", sub: "s", exp: T0 / 1000 }), T0)).toBe("expired");
    expect(readWebIdentityToken(jwt({ iss: "i" }), T0)).toBe("invalid");
    expect(readWebIdentityToken("a.b", T0)).toBe("invalid");
    expect(readWebIdentityToken(undefined, T0)).toBe("invalid");
  });
});

describe("serviceFor", () => {
  const req = (
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body = "",
  ): ReturnType<typeof serviceFor> =>
    serviceFor(buildRequest(method, url, headers, Buffer.from(body), false)!);
  test("routes STS and metadata requests by shape", () => {
    expect(req("POST", "/", { "x-tc-action": "AssumeRole" })?.name).toBe("tencent-sts");
    expect(req("GET", "/?Action=AssumeRole&Version=2015-04-01")?.name).toBe("alibaba-sts");
    expect(
      req(
        "POST",
        "/",
        { "content-type": "application/x-www-form-urlencoded" },
        "Action=AssumeRole&Version=2015-04-01",
      )?.action,
    ).toBe("AssumeRole");
    expect(req("GET", "/latest/meta-data/cam/security-credentials/")?.name).toBe("tencent-metadata");
    expect(req("GET", "/latest/meta-data/ram/security-credentials/r")?.name).toBe("alibaba-metadata");
    expect(req("PUT", "/latest/api/token")?.name).toBe("alibaba-metadata");
  });
  test("leaves COS and OSS inventory requests to the dialects", () => {
    expect(req("GET", "/?inventory&id=a", { authorization: "q-sign-algorithm=sha1&q-ak=x" })).toBeUndefined();
    expect(req("GET", "/latest/?inventory&id=a")).toBeUndefined();
    expect(req("GET", "/?inventory&Action=AssumeRole&Version=2015-04-01")).toBeUndefined();
    expect(
      req("GET", "/?Action=AssumeRole&Version=2015-04-01", { authorization: "OSS a:b" }),
    ).toBeUndefined();
  });
});
