/**
 * The engine's own props: the keys it keeps in state beside a job's inputs
 * (who manages the job and how), and the pure helpers that tell the job from
 * them. Shared by `./engine` and `./create`.
 */
import { CloudError } from "../core/errors";
import { GET_KEY, IMPORT_KEY } from "./contract";
import type { JobAddress } from "./job";

/**
 * Input naming the stack (`<project>/<stack>`) that declares the resource; set
 * by the resource class, never diffed.
 */
export const STACK_KEY = "__stack";

/**
 * Output holding the random token of the resource that manages the job (see
 * `./journal`); never diffed, carried over by update and read.
 */
export const CLAIM_KEY = "__claim";

/**
 * Output holding the configuration a job had when `adopt: true` took it over
 * with a different one, so what was overwritten stays recoverable.
 */
export const ADOPTED_KEY = "adoptedConfiguration";

/** Props that say who manages a job and how, not what the job is: never written to the cloud. */
export const BOOKKEEPING_KEYS: ReadonlySet<string> = new Set([
  "__provider",
  STACK_KEY,
  CLAIM_KEY,
  ADOPTED_KEY,
  IMPORT_KEY,
  GET_KEY,
]);

/** The props the engine keeps in state besides the normalized inputs: never diffed. */
export const INTERNAL_KEYS: ReadonlySet<string> = new Set([...BOOKKEEPING_KEYS, "schemaVersion"]);

/** Inputs without the provider-steering and internal properties: the job itself. */
export function jobProps(
  inputs: Record<string, unknown>,
  control: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (!control.includes(k) && !BOOKKEEPING_KEYS.has(k) && v !== undefined) {
      out[k] = v;
    }
  }
  return out;
}

/** Job props plus the control properties the user set, as outputs. */
export function withControl(
  props: JobAddress,
  inputs: Record<string, unknown>,
  control: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const k of control) {
    if (inputs[k] !== undefined) out[k] = inputs[k];
  }
  return out;
}

/**
 * Whether an error is the cloud refusing a request outright, so the request
 * changed nothing: a 4xx other than a timeout (408) or throttling (429), and
 * other than a 409 that answered a retry (our earlier send may have landed
 * and made the conflict). Anything else (5xx, no answer, a failed restore)
 * may have changed the job.
 */
export function refused(e: unknown): boolean {
  return (
    e instanceof CloudError &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    ![408, 429].includes(e.statusCode) &&
    !(e.statusCode === 409 && (e.attempts ?? 1) > 1)
  );
}

/**
 * Whether an error is the cloud saying the id is taken, in answer to the
 * first send of a create: the job existed before, and is not ours.
 */
export function takenBeforeCreate(e: unknown): boolean {
  return e instanceof CloudError && e.statusCode === 409 && e.attempts === 1;
}

/** A non-empty string, or `undefined`. */
export function text(x: unknown): string | undefined {
  return typeof x === "string" && x !== "" ? x : undefined;
}
