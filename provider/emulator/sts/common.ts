/**
 * What the emulator's credential services (both clouds' STS and instance
 * metadata endpoints) share: their per-emulator state, JSON answers, request
 * ids, the shape check of an OIDC (web identity) token, and the reuse of an
 * instance role's credential until half its life has gone.
 */
import { randomUUID } from "crypto";
import type { EmulatorResponse } from "../contract";
import {
  tokenProblem,
  type TemporaryCloud,
  type TemporaryCredential,
  type TemporaryCredentialStore,
  type TokenProblem,
} from "../temporary-credentials";

/** The role the emulated instance metadata services report when none is configured. */
export const DEFAULT_INSTANCE_ROLE = "emulator-instance-role";

/** What every credential-service request of one running emulator is served with. */
export interface ServiceState {
  /** Static key pairs, by id (`--credentials`): these may call AssumeRole. */
  readonly credentials: ReadonlyMap<string, string>;
  /** Issued temporary credentials. */
  readonly temporary: TemporaryCredentialStore;
  /** The server clock, epoch ms. */
  now(): number;
  /** The role name both metadata services report. */
  readonly instanceRole: string;
  /** Alibaba `SignatureNonce`s seen, with when they may be forgotten (epoch ms). */
  readonly nonces: Map<string, number>;
  /** ECS metadata session tokens issued, with their expiry (epoch ms). */
  readonly metadataTokens: Map<string, number>;
  /** The instance role's current credential per cloud. */
  readonly instanceCredentials: Map<TemporaryCloud, TemporaryCredential>;
}

/** Creates the state of one emulator's credential services. */
export function newServiceState(
  credentials: ReadonlyMap<string, string>,
  temporary: TemporaryCredentialStore,
  now: () => number,
  instanceRole: string = DEFAULT_INSTANCE_ROLE,
): ServiceState {
  return {
    credentials,
    temporary,
    now,
    instanceRole,
    nonces: new Map(),
    metadataTokens: new Map(),
    instanceCredentials: new Map(),
  };
}

/** A JSON answer (the STS and metadata services' format). */
export function jsonReply(status: number, value: unknown, errorCode?: string): EmulatorResponse {
  return {
    status,
    headers: { "Content-Type": "application/json;charset=utf-8" },
    body: JSON.stringify(value),
    ...(errorCode ? { errorCode } : {}),
  };
}

/** A plain-text answer (the metadata services' format for names and tokens). */
export function textReply(status: number, text: string, errorCode?: string): EmulatorResponse {
  return {
    status,
    headers: { "Content-Type": "text/plain" },
    body: text,
    ...(errorCode ? { errorCode } : {}),
  };
}

/** A request id: a UUID, upper-case for Alibaba, lower-case for Tencent (as each service writes them). */
export function serviceRequestId(upper: boolean): string {
  const id = randomUUID();
  return upper ? id.toUpperCase() : id;
}

/** ISO 8601 UTC to the second, e.g. `2026-11-29T01:00:00Z` (both clouds' `Expiration`). */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Claims the emulator reads from an OIDC token. */
export interface WebIdentityClaims {
  /** `iss`. */
  issuer: string;
  /** `sub`. */
  subject: string;
  /** `aud`, as a list. */
  audiences: string[];
}

/**
 * Reads an OIDC token the way a test double can: a JWT (three base64url
 * parts, the middle a JSON object with `iss` and `sub`) whose `exp`, when
 * present, lies after `nowMs`. The signature is not checked: the emulator
 * knows no identity provider's keys. Pure.
 */
export function readWebIdentityToken(
  token: string | undefined,
  nowMs: number,
): WebIdentityClaims | "invalid" | "expired" {
  const parts = (token ?? "").split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return "invalid";
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return "invalid";
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return "invalid";
  const c = claims as Record<string, unknown>;
  if (typeof c.iss !== "string" || typeof c.sub !== "string") return "invalid";
  if (c.exp !== undefined && (typeof c.exp !== "number" || c.exp * 1000 <= nowMs)) return "expired";
  const aud = Array.isArray(c.aud) ? c.aud.filter((a): a is string => typeof a === "string") : [];
  return { issuer: c.iss, subject: c.sub, audiences: typeof c.aud === "string" ? [c.aud] : aud };
}

/**
 * The instance role's credential for `cloud`: the current one while more
 * than half its life remains (as the real metadata services rotate them well
 * before expiry), else a new one.
 */
export function instanceCredential(state: ServiceState, cloud: TemporaryCloud): TemporaryCredential {
  const current = state.instanceCredentials.get(cloud);
  const now = state.now();
  if (current && now < current.issuedAt + (current.expiresAt - current.issuedAt) / 2) return current;
  const fresh = state.temporary.issue(cloud);
  state.instanceCredentials.set(cloud, fresh);
  return fresh;
}

/**
 * Whether an integer parameter is absent (undefined) or lies in `[min, max]`;
 * the parsed value, or `NaN` when present but out of range or not a whole number.
 */
export function integerParameter(value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : NaN;
}

/**
 * The secret an STS caller signs with: a static key's, or a temporary key's
 * of `cloud` when `token` is its live token; else `"unknown"` or what is
 * wrong with the token.
 */
export function callerSecret(
  state: ServiceState,
  cloud: TemporaryCloud,
  keyId: string,
  token: string | undefined,
): { secret: string } | "unknown" | TokenProblem {
  const secret = state.credentials.get(keyId);
  if (secret !== undefined) return { secret };
  const temporary = state.temporary.get(keyId);
  if (temporary === undefined || temporary.cloud !== cloud) return "unknown";
  return tokenProblem(temporary, token, state.now()) ?? { secret: temporary.secret };
}
