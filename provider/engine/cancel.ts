/**
 * Cancellation for the provider process: one AbortSignal, fired when the
 * process is asked to stop (SIGINT from a Ctrl-C that reaches the provider's
 * process group, or from the engine closing its plugins at the end of every
 * command; SIGTERM from a supervisor). Every client of the runtime sends with
 * it, so requests in flight and retry waits end at once with an `EABORTED`
 * error instead of running to their deadlines, and the change they belonged
 * to stays recorded in the journal for the next `up` to finish.
 *
 * Listening for a signal takes Node's own exit on it away, so the process
 * then exits itself: as soon as the calls it tracks ({@link tracked}) have
 * answered, plus a moment for the answers to reach the engine, and at most
 * {@link MAX_EXIT_WAIT_MS} after the signal. Without this, the engine waits
 * 5 s for the provider at the end of every command before killing it.
 */

let controller: AbortController | undefined;
let inFlight = 0;
let whenIdle: (() => void) | undefined;

/** How long after the last tracked call answers the process waits before exiting on a signal. */
const IDLE_GRACE_MS = 100;

/** The longest the process waits for tracked calls after a signal. */
export const MAX_EXIT_WAIT_MS = 1000;

/** Exits with `code` once no tracked call is running (after a grace), or after {@link MAX_EXIT_WAIT_MS}. */
function exitWhenIdle(code: number): void {
  const exit = () => setTimeout(() => process.exit(code), IDLE_GRACE_MS).unref();
  if (inFlight === 0) exit();
  else whenIdle = exit;
  setTimeout(() => process.exit(code), MAX_EXIT_WAIT_MS).unref();
}

/**
 * The process-wide cancellation signal. The first call installs the signal
 * handlers, so merely loading the package (in a Pulumi program, a test)
 * changes nothing.
 */
export function cancellation(): AbortSignal {
  if (controller === undefined) {
    const c = new AbortController();
    controller = c;
    process.once("SIGINT", () => {
      c.abort(new Error("the provider was interrupted (SIGINT)"));
      exitWhenIdle(130);
    });
    process.once("SIGTERM", () => {
      c.abort(new Error("the provider was asked to stop (SIGTERM)"));
      exitWhenIdle(143);
    });
  }
  return controller.signal;
}

/** Runs a call the process must let answer before it exits on a signal (see the module comment). */
export async function tracked<T>(call: () => Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await call();
  } finally {
    inFlight--;
    if (inFlight === 0 && whenIdle !== undefined) {
      const exit = whenIdle;
      whenIdle = undefined;
      exit();
    }
  }
}
