/**
 * The key pair the local emulator accepts when it is given none: the one
 * definition that the CLI's default, the benchmarks, the tests and the demo
 * (through the built module) read, so the documented quick-start keys cannot
 * drift apart. It guards nothing: the emulator is a local test double.
 */

/** The emulator's default credential: access key id and secret (the same for COS and OSS). */
export const EMULATOR_DEFAULT_CREDENTIAL: { readonly id: string; readonly secret: string } = Object.freeze({
  id: "AKIDEMULATOREXAMPLE",
  secret: "emulator-secret-key",
});
