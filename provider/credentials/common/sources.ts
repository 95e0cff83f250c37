/**
 * Source shapes both chains use: a static key pair from stack config or the
 * environment, the signer of a role source, and OIDC token files.
 */
import { RefreshingKeyPair } from "./cache";
import { field, notFoundMessage } from "./chain";
import { type CandidateSource, CredentialsError, type SourceContext, firstSet, fixedProvider } from "./types";

/**
 * A key pair under fixed names in stack config or the environment. An id
 * without its secret is an error (never paired with a secret from elsewhere).
 *
 * @param how what to set, for the not-found message.
 */
export function staticSource(
  kind: "config" | "env",
  names: { id: string; secret: string; token?: string },
  how: string,
): CandidateSource {
  const where = kind === "config" ? "stack config" : "env";
  const tokenPart = names.token ? ` (+ ${names.token})` : "";
  return {
    name: `${where} ${names.id} / ${names.secret}${tokenPart}`,
    hint: how,
    detect(ctx) {
      const get = (key: string | undefined): string | undefined =>
        key === undefined ? undefined : firstSet(kind === "config" ? ctx.config.get(key) : ctx.env[key]);
      const keyId = get(names.id);
      if (keyId === undefined) return undefined;
      const secret = get(names.secret);
      if (secret === undefined)
        throw new CredentialsError(`${where} ${names.id} is set but ${names.secret} is not: set both`);
      return fixedProvider(`${where} ${names.id}/${names.secret}`, kind === "config", {
        keyId,
        secret,
        token: get(names.token),
      });
    },
  };
}

/**
 * The pair a role source signs its STS call with: the first configured of
 * `signers`, cached and refreshed like any other.
 *
 * @throws CredentialsError naming the signer sources when none is configured.
 */
export function roleSigner(
  cloud: string,
  signers: readonly CandidateSource[],
  ctx: SourceContext,
  forWhat: string,
): RefreshingKeyPair {
  for (const source of signers) {
    const provider = source.detect(ctx);
    if (provider) return new RefreshingKeyPair(provider, ctx.now);
  }
  throw new CredentialsError(
    `${forWhat} calls STS AssumeRole, which needs credentials to sign with; ${notFoundMessage(cloud, signers)}`,
  );
}

/**
 * An OIDC token from a file: JSON `{"web_identity_token"}` (the Tencent
 * provider's format) or the raw token (as Kubernetes projects it). Read on
 * every fetch, since the file is rotated.
 *
 * @throws CredentialsError naming `setting` when the file is missing or empty.
 */
export function readTokenFile(ctx: SourceContext, path: string, setting: string): string {
  const text = ctx.readFile(path);
  if (text === undefined) throw new CredentialsError(`${setting}: ${path} does not exist`);
  try {
    const token = field(JSON.parse(text) as Record<string, unknown>, "web_identity_token");
    if (token) return token;
  } catch {
    // not JSON: the file is the token itself
  }
  const raw = text.trim();
  if (raw === "") throw new CredentialsError(`${setting}: ${path} is empty`);
  return raw;
}
