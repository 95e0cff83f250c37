/**
 * Cancellation for the provider process: one AbortSignal, fired when the
 * process is asked to stop (SIGINT from a Ctrl-C that reaches the provider's
 * process group, SIGTERM from a supervisor). Every client of the runtime
 * sends with it, so requests in flight and retry waits end at once with an
 * `EABORTED` error instead of running to their deadlines, and the change they
 * belonged to stays recorded in the journal for the next `up` to finish.
 */

let controller: AbortController | undefined;

/**
 * The process-wide cancellation signal. The first call installs the signal
 * handlers, so merely loading the package (in a Pulumi program, a test)
 * changes nothing.
 */
export function cancellation(): AbortSignal {
  if (controller === undefined) {
    const c = new AbortController();
    controller = c;
    process.once("SIGINT", () => c.abort(new Error("the provider was interrupted (SIGINT)")));
    process.once("SIGTERM", () => {
      c.abort(new Error("the provider was asked to stop (SIGTERM)"));
      // Give the aborted calls a moment to answer the engine, then go, as SIGTERM asks.
      setTimeout(() => process.exit(143), 1000).unref();
    });
  }
  return controller.signal;
}
