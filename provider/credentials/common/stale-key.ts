/**
 * The stale-key hint. `pulumi refresh` and `pulumi destroy` do not run the
 * program: the provider gets the configuration recorded by the last `up`.
 * After a key is rotated in stack config, those commands still sign with
 * the old key and fail with a signature or access-key error that does not
 * say why; this adds why, and the fix.
 */

/** The cloud codes that mean "this key pair is not (or no longer) valid". */
export const STALE_KEY_CODES: ReadonlySet<string> = new Set([
  // COS and OSS
  "SignatureDoesNotMatch",
  "InvalidAccessKeyId",
  // COS
  "InvalidSecretId",
  // Tencent STS (API 3.0)
  "AuthFailure.SignatureFailure",
  "AuthFailure.SecretIdNotFound",
  // Alibaba STS
  "InvalidAccessKeyId.NotFound",
  "InvalidAccessKeyId.Inactive",
]);

/** The text added to such an error when the credentials came from stack config. */
export function staleKeyHint(source: string): string {
  return (
    ` (credentials from ${source}: \`pulumi refresh\` and \`pulumi destroy\` use the configuration recorded by ` +
    "the last `pulumi up`, not the current stack config; after changing keys, run `pulumi up` first, " +
    "or run the command with `--run-program` so it reads the current configuration)"
  );
}

/**
 * Whether `err` is a signature or access-key refusal: a typed error whose
 * `code` is in {@link STALE_KEY_CODES}.
 */
export function isStaleKeyError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && STALE_KEY_CODES.has(code);
}
