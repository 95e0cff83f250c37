/**
 * What the client integration suites share: an emulator started once per
 * suite with the admin API on and reset before each test, its request log and
 * fault injection, and the typed rejection of a call.
 */
import type { FaultSpec, RequestLogEntry } from "../../provider/emulator/admin";
import { startEmulator, type RunningEmulator } from "../../provider/emulator/server";
import { adminCall } from "./http";

/** XML specials, both quotes and non-ASCII text: what the codecs must escape and keep. */
export const SPECIAL = `a&b<c>"d'e/数据-é/`;
/** A filter prefix with {@link SPECIAL} in it. */
export const FILTER_PREFIX = `logs/${SPECIAL}`;
/** A report prefix with {@link SPECIAL} in it. */
export const REPORT_PREFIX = `reports/${SPECIAL}`;

/** How a client reaches the emulator: path-style, or `connect+` keeping the virtual-host Host. */
export type Mode = "path" | "connect";

/** The emulator's request log. */
export const requestLog = async (emu: RunningEmulator): Promise<RequestLogEntry[]> =>
  (await adminCall(emu, "GET", "/_emulator/requests")) as RequestLogEntry[];

/** Queues a fault on the emulator. */
export const injectFault = (emu: RunningEmulator, spec: FaultSpec): Promise<unknown> =>
  adminCall(emu, "POST", "/_emulator/faults", spec);

/** The rejection of `p`, checked to be an instance of `type`. */
export async function rejection<E extends Error>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

/**
 * Starts an emulator for the enclosing `describe` (admin API on, `buckets`,
 * one key pair), closes it after, resets it before each test; returns a getter
 * for the running emulator.
 */
export function useEmulator(buckets: string[], key: { id: string; secret: string }): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, buckets, credentials: [key], admin: true });
  });
  afterAll(() => emu?.close());
  beforeEach(async () => {
    await adminCall(current(), "POST", "/_emulator/reset");
  });
  const current = (): RunningEmulator => {
    if (emu === undefined) throw new Error("the emulator is not started yet");
    return emu;
  };
  return current;
}
