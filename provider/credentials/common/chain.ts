/**
 * The credential chain: candidate sources in the providers' order, the first
 * configured one wins, and when none is, the error lists every source tried
 * and what to set for it.
 */
import { CredentialsError, type CandidateSource, type KeyPairProvider, type SourceContext } from "./types";

/**
 * The provider of the first configured source in `sources`.
 *
 * @param cloud the cloud's name for messages, e.g. `COS`.
 * @throws CredentialsError naming every source tried when none is configured,
 *   or the source's own error when one is configured but incomplete.
 */
export function selectProvider(
  cloud: string,
  sources: readonly CandidateSource[],
  ctx: SourceContext,
): KeyPairProvider {
  for (const source of sources) {
    const provider = source.detect(ctx);
    if (provider) return provider;
  }
  throw new CredentialsError(notFoundMessage(cloud, sources));
}

/** The message for no credentials: each source tried, in order, with what to set. */
export function notFoundMessage(cloud: string, sources: readonly CandidateSource[]): string {
  const lines = sources.map((s, i) => `  ${i + 1}. ${s.name}: ${s.hint}`);
  return [`no ${cloud} credentials; tried, in order:`, ...lines].join("\n");
}

/**
 * The JSON object in stack config `key` (bridged providers store object
 * settings such as `assumeRole` as JSON); undefined when unset.
 *
 * @throws CredentialsError when the value is not a JSON object.
 */
export function configObject(ctx: SourceContext, key: string): Record<string, unknown> | undefined {
  // Typed as text, but a structured value may also arrive already parsed.
  const raw: unknown = ctx.config.get(key);
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return undefined;
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new CredentialsError(
        `stack config ${key} is not JSON: set it with \`pulumi config set --path ${key}.<field> <value>\``,
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CredentialsError(`stack config ${key} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** A string field of a config object (numbers are accepted and written as text). */
export function field(obj: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = obj?.[name];
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * A whole number of seconds from settings, or `fallback`.
 *
 * @throws CredentialsError naming `setting` when the text is not a positive integer.
 */
export function seconds(text: string | undefined, setting: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) <= 0) {
    throw new CredentialsError(`${setting} is "${text}"; use a whole number of seconds`);
  }
  return Number(text);
}

/** Expands a leading `~` to the home directory. */
export function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
}
