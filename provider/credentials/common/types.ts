/**
 * The shapes the credential chains of both clouds share: a key pair (maybe
 * temporary), a provider that fetches one, and the context sources read
 * their settings from. Values here are secrets: nothing in this folder logs
 * them, and error messages name settings, never values.
 */

/** A key pair, with its session token and expiry when temporary. */
export interface KeyPair {
  /** Access key id (COS SecretId / TmpSecretId, OSS AccessKeyId). */
  keyId: string;
  /** Secret key. */
  secret: string;
  /** Session token of temporary credentials. */
  token?: string;
  /** When temporary credentials expire (epoch milliseconds). */
  expiresAt?: number;
}

/** Something that yields a key pair: a fixed one, or a call to STS or the metadata service. */
export interface KeyPairProvider {
  /** The source, for messages, e.g. `stack config tencentcloud:assumeRole` (never a value). */
  readonly source: string;
  /** Whether the source is stack config (drives the stale-key hint). */
  readonly fromStackConfig: boolean;
  /** Fetches a key pair; fixed pairs resolve at once. */
  fetch(signal?: AbortSignal): Promise<KeyPair>;
}

/** Looks up stack config by `namespace:key` (the engine's `ConfigSource` fits). */
export interface ConfigLookup {
  /** The value, or undefined when unset. */
  get(key: string): string | undefined;
}

/** Where sources read from: stack config, the environment, files, the clock and the network. */
export interface SourceContext {
  /** Stack config (`namespace:key`). */
  config: ConfigLookup;
  /** The environment. */
  env: NodeJS.ProcessEnv;
  /** The user's home directory (profiles live under it). */
  home: string;
  /** Reads a UTF-8 file; undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** The clock (epoch milliseconds). */
  now(): number;
  /** HTTP, `fetch`-shaped (tests and the emulator may replace it). */
  fetch: typeof fetch;
}

/** One candidate source of a chain: how to recognise that it is configured, and what to set. */
export interface CandidateSource {
  /** What the source is, for messages, e.g. `env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY`. */
  name: string;
  /** What to set to use it. */
  hint: string;
  /**
   * The provider when this source is configured, else undefined (the chain
   * moves on). Decided from settings alone, without a request.
   *
   * @throws CredentialsError when the source is configured but incomplete or invalid.
   */
  detect(ctx: SourceContext): KeyPairProvider | undefined;
}

/** Credentials could not be found or fetched; the message names every source tried and the fix. */
export class CredentialsError extends Error {
  /** The service's error code, when STS or a metadata service refused. */
  readonly code?: string;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.name = "CredentialsError";
    this.code = options?.code;
  }
}

/** A fixed key pair from settings. */
export function fixedProvider(source: string, fromStackConfig: boolean, pair: KeyPair): KeyPairProvider {
  return { source, fromStackConfig, fetch: () => Promise.resolve(pair) };
}

/** The first value that is set and not empty. */
export function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v.trim() !== "")?.trim();
}
