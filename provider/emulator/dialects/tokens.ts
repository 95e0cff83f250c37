/**
 * The key lookup of a signature check, for static and temporary keys alike:
 * a static key (from `--credentials`) needs nothing more; a temporary key
 * (issued by the emulator's STS or metadata endpoints) must come with its
 * security token, the right one, before its expiry. Each dialect says how its
 * cloud answers each problem and where its requests carry the token.
 */
import type { DialectContext, EmulatorRequest } from "../contract";
import { tokenProblem, type TokenProblem } from "../temporary-credentials";
import { DialectReply, secretOf } from "./common";

/** The error a dialect answers for each {@link TokenProblem}. */
export type TokenReplies = Readonly<Record<TokenProblem, () => DialectReply>>;

/** How a dialect's cloud names keys and tokens. */
export interface KeyStyle {
  /** The dialect (and temporary credential cloud) name. */
  cloud: string;
  /** The message of an unknown key's `InvalidAccessKeyId`. */
  unknownMessage: string;
  /** The header that carries the token. */
  tokenHeader: string;
  /** The query parameter that carries it in a presigned URL. */
  tokenParam: string;
  /** The errors of a missing, wrong or expired token. */
  replies: TokenReplies;
}

/**
 * The secret of the key a signature names. A static key is looked up as
 * before ({@link secretOf}); a temporary key of this dialect's cloud is
 * checked against the token `req` carries first and refused with the
 * style's error when the token is missing, wrong or expired.
 */
export function keySecret(ctx: DialectContext, req: EmulatorRequest, keyId: string, style: KeyStyle): string {
  const temporary = ctx.temporary?.get(keyId);
  if (temporary === undefined || temporary.cloud !== style.cloud) {
    return secretOf(ctx, keyId, style.unknownMessage);
  }
  const token = [req.headers[style.tokenHeader], req.query[style.tokenParam]].find(
    (v) => v !== undefined && v.trim() !== "",
  );
  const problem = tokenProblem(temporary, token?.trim(), ctx.now());
  if (problem !== undefined) throw style.replies[problem]();
  return temporary.secret;
}
