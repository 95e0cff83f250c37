/**
 * Temporary credentials the emulator issues (through its STS and instance
 * metadata endpoints) and the COS and OSS dialects then accept: an id, a
 * secret and a security token that together are valid until an expiry. A
 * request signed with a temporary id must carry its token, the right one,
 * before the expiry; which error each cloud answers is the dialect's business
 * (see {@link tokenProblem}).
 *
 * Lifetimes: the one asked for (`DurationSeconds`), else
 * {@link DEFAULT_TEMPORARY_TTL_SECONDS}, never more than the cap a test sets
 * (`--token-ttl`, or `POST /_emulator/token-ttl`) so that tests can watch a
 * token expire in the middle of a deployment.
 */
import { randomBytes } from "crypto";

/** How long a temporary credential lives when nobody asks otherwise (seconds). */
export const DEFAULT_TEMPORARY_TTL_SECONDS = 3600;

/** Which cloud a temporary credential belongs to (its dialect's name). */
export type TemporaryCloud = "cos" | "oss";

/** One issued temporary credential. */
export interface TemporaryCredential {
  /** The cloud whose dialect accepts it. */
  readonly cloud: TemporaryCloud;
  /** Access key id: `AKID…` (Tencent) or `STS.…` (Alibaba), like the real services. */
  readonly id: string;
  /** Secret key. */
  readonly secret: string;
  /** Security token (`x-cos-security-token` / `x-oss-security-token`). */
  readonly token: string;
  /** When it was issued, epoch ms. */
  readonly issuedAt: number;
  /** When it stops working, epoch ms. */
  readonly expiresAt: number;
}

/** Why a request's token does not go with its temporary key. */
export type TokenProblem = "missing" | "wrong" | "expired";

/**
 * What is wrong with presenting `given` as the token of `credential` at
 * `nowMs`: no token, another one, or the credential's time is up; undefined
 * when it may be used. Pure.
 */
export function tokenProblem(
  credential: TemporaryCredential,
  given: string | undefined,
  nowMs: number,
): TokenProblem | undefined {
  if (given === undefined || given === "") return "missing";
  if (given !== credential.token) return "wrong";
  if (nowMs >= credential.expiresAt) return "expired";
  return undefined;
}

/** Random text of `bytes` random bytes over `[A-Za-z0-9]` (base64 with the rest dropped). */
function randomText(bytes: number): string {
  return randomBytes(bytes)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "");
}

/** A fresh id in the cloud's shape. */
function newId(cloud: TemporaryCloud): string {
  return cloud === "cos" ? `AKID${randomText(30).slice(0, 32)}` : `STS.${randomText(24).slice(0, 24)}`;
}

/**
 * Checks a lifetime in seconds: a positive whole number.
 *
 * @throws RangeError naming `what` otherwise.
 */
export function checkTtlSeconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive whole number of seconds, got ${value}`);
  }
  return value;
}

/** The temporary credentials of one running emulator. */
export class TemporaryCredentialStore {
  private readonly issued = new Map<string, TemporaryCredential>();
  private cap: number | undefined;

  /**
   * @param clock the server clock, epoch ms.
   * @param ttlCapSeconds the most any credential lives (tests), if any.
   */
  constructor(
    private readonly clock: () => number,
    ttlCapSeconds?: number,
  ) {
    this.setTtlCap(ttlCapSeconds);
  }

  /** The cap on lifetimes in seconds, if any. */
  ttlCap(): number | undefined {
    return this.cap;
  }

  /** Sets (or with undefined lifts) the cap on lifetimes of credentials issued from now on. */
  setTtlCap(seconds: number | undefined): void {
    this.cap = seconds === undefined ? undefined : checkTtlSeconds(seconds, "the token lifetime cap");
  }

  /** The lifetime a request for `askedSeconds` gets: asked or default, capped. */
  lifetimeSeconds(askedSeconds?: number): number {
    const wanted = askedSeconds ?? DEFAULT_TEMPORARY_TTL_SECONDS;
    return this.cap === undefined ? wanted : Math.min(wanted, this.cap);
  }

  /** Issues a new credential for `cloud`, living {@link lifetimeSeconds}(`askedSeconds`). */
  issue(cloud: TemporaryCloud, askedSeconds?: number): TemporaryCredential {
    const issuedAt = this.clock();
    const credential: TemporaryCredential = Object.freeze({
      cloud,
      id: newId(cloud),
      secret: randomText(36).slice(0, 40),
      token: randomText(96),
      issuedAt,
      expiresAt: issuedAt + this.lifetimeSeconds(askedSeconds) * 1000,
    });
    this.issued.set(credential.id, credential);
    return credential;
  }

  /** The credential issued under `id`, expired or not. */
  get(id: string): TemporaryCredential | undefined {
    return this.issued.get(id);
  }

  /** Every credential issued, oldest first, without secrets or tokens (admin API). */
  list(): { cloud: TemporaryCloud; id: string; issuedAt: string; expiresAt: string }[] {
    return [...this.issued.values()].map((c) => ({
      cloud: c.cloud,
      id: c.id,
      issuedAt: new Date(c.issuedAt).toISOString(),
      expiresAt: new Date(c.expiresAt).toISOString(),
    }));
  }

  /** Forgets every issued credential (admin reset). */
  clear(): void {
    this.issued.clear();
  }
}
