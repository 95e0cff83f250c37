// The per-process credential cache (refresh before expiry, one shared fetch) and the
// stale-key hint.
import { RefreshingKeyPair, refreshMargin } from "../../provider/credentials/common/cache";
import { isStaleKeyError, staleKeyHint } from "../../provider/credentials/common/stale-key";
import type { KeyPair, KeyPairProvider } from "../../provider/credentials/common/types";
import { CloudError } from "../../provider/core/errors";

function scripted(lifetimeMs: number | undefined, clock: { now: number }) {
  let n = 0;
  const provider: KeyPairProvider & { calls: () => number } = {
    source: "test",
    fromStackConfig: false,
    calls: () => n,
    fetch: async () => {
      n++;
      await Promise.resolve();
      const pair: KeyPair = { keyId: `id-${n}`, secret: "s", token: `t-${n}` };
      return lifetimeMs === undefined ? pair : { ...pair, expiresAt: clock.now + lifetimeMs };
    },
  };
  return provider;
}

describe("RefreshingKeyPair", () => {
  test("refreshMargin: a quarter of the lifetime, at most five minutes", () => {
    expect(refreshMargin(3600_000)).toBe(300_000);
    expect(refreshMargin(60_000)).toBe(15_000);
    expect(refreshMargin(-5)).toBe(0);
  });

  test("fixed pairs are fetched once", async () => {
    const clock = { now: 0 };
    const p = scripted(undefined, clock);
    const cache = new RefreshingKeyPair(p, () => clock.now);
    await cache.get();
    clock.now = 10 ** 12;
    await cache.get();
    expect(p.calls()).toBe(1);
    expect(cache.current().keyId).toBe("id-1");
  });

  test("temporary pairs are reused while fresh and refreshed before they expire", async () => {
    const clock = { now: 1_000_000 };
    const p = scripted(3600_000, clock);
    const cache = new RefreshingKeyPair(p, () => clock.now);
    expect((await cache.get()).keyId).toBe("id-1");
    clock.now += 3600_000 - 300_001; // just before the margin
    expect((await cache.get()).keyId).toBe("id-1");
    clock.now += 2; // inside the last five minutes
    expect((await cache.get()).keyId).toBe("id-2");
    expect(cache.current().token).toBe("t-2");
  });

  test("concurrent callers share one fetch", async () => {
    const clock = { now: 0 };
    const p = scripted(60_000, clock);
    const cache = new RefreshingKeyPair(p, () => clock.now);
    const pairs = await Promise.all(Array.from({ length: 50 }, () => cache.get()));
    expect(p.calls()).toBe(1);
    expect(new Set(pairs.map((x) => x.keyId))).toEqual(new Set(["id-1"]));
  });

  test("a failed fetch is not cached: the next call tries again", async () => {
    let fail = true;
    const cache = new RefreshingKeyPair({
      source: "x",
      fromStackConfig: false,
      fetch: () => (fail ? Promise.reject(new Error("down")) : Promise.resolve({ keyId: "ok", secret: "s" })),
    });
    await expect(cache.get()).rejects.toThrow("down");
    fail = false;
    await expect(cache.get()).resolves.toMatchObject({ keyId: "ok" });
  });

  test("a pair is refreshed in the background when it enters its margin, so current() is never stale", async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const clock = {
        get now() {
          return Date.now();
        },
      };
      const p = scripted(60_000, clock);
      const cache = new RefreshingKeyPair(p, Date.now);
      await cache.get();
      await jest.advanceTimersByTimeAsync(45_000 - 1);
      expect(p.calls()).toBe(1);
      await jest.advanceTimersByTimeAsync(2);
      expect(p.calls()).toBe(2);
      expect(cache.current().keyId).toBe("id-2");
    } finally {
      jest.useRealTimers();
    }
  });

  test("a pair that arrives already inside its margin schedules nothing (no refresh loop)", async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      let n = 0;
      const cache = new RefreshingKeyPair(
        {
          source: "x",
          fromStackConfig: false,
          fetch: async () => ({ keyId: `k${++n}`, secret: "s", expiresAt: Date.now() - 1 }),
        },
        Date.now,
      );
      await cache.get();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(n).toBe(1);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test("current() before any fetch is an error", () => {
    expect(() => new RefreshingKeyPair(scripted(1, { now: 0 })).current()).toThrow(
      /before they were fetched/,
    );
  });
});

describe("stale-key hint", () => {
  const cloudError = (code: string) =>
    new CloudError({ cloud: "cos", code, statusCode: 403, message: "m", operation: "GET inventory" });

  test("signature and access-key refusals are recognised, other errors are not", () => {
    for (const code of ["SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidSecretId"]) {
      expect(isStaleKeyError(cloudError(code))).toBe(true);
    }
    for (const code of ["AccessDenied", "NoSuchBucket", "InvalidSecurityToken", ""]) {
      expect(isStaleKeyError(cloudError(code))).toBe(false);
    }
    expect(isStaleKeyError(new Error("SignatureDoesNotMatch"))).toBe(false);
    expect(isStaleKeyError("SignatureDoesNotMatch")).toBe(false);
  });

  test("the hint names the source, the cause and both fixes", () => {
    const hint = staleKeyHint("stack config tencentcloud:secretId/tencentcloud:secretKey");
    expect(hint).toContain("stack config tencentcloud:secretId/tencentcloud:secretKey");
    expect(hint).toContain("configuration recorded by the last `pulumi up`");
    expect(hint).toContain("run `pulumi up` first");
    expect(hint).toContain("--run-program");
  });
});
