/**
 * Ends the dynamic-provider process when the Pulumi engine that started it is
 * gone.
 *
 * The engine starts `@pulumi/pulumi/cmd/dynamic-provider` (through the
 * `pulumi-resource-pulumi-nodejs` shell launcher) with its own gRPC address as
 * the only argument, and that host never checks on the engine: after a
 * `kill -9` of `pulumi up` the process would be re-parented and keep running,
 * possibly in the middle of a cloud call, indefinitely. Our runtime is loaded
 * into that process, so it watches the engine itself.
 *
 * On Linux the check is the process tree: the engine is the first ancestor
 * that was not given the engine address on its command line (the launcher is
 * `sh <launcher> <address>`, and it does not exec), and it is gone once that
 * link is broken, because the kernel re-parents the orphaned launcher (or us)
 * at once. Without `/proc` it is a TCP connect to the engine's address, which
 * is refused once the engine's process has ended.
 */
import * as fs from "fs";
import * as net from "net";

/** What one check found: the engine is there, gone, or it could not tell. */
export type EngineState = "alive" | "gone" | "unknown";

/** One check of the engine; resolves, never rejects. */
export type EngineProbe = () => Promise<EngineState>;

/** Options for {@link watchEngine}. */
export interface EngineWatchOptions {
  /** Time between checks in milliseconds; default 1000. */
  intervalMs?: number;
  /** Consecutive `gone` checks before giving up; default 2, so one odd answer is forgiven. */
  failures?: number;
  /** Called once when the engine is gone; default exits the process with code 1. */
  onGone?: () => void;
  /** The check; default {@link ancestryProbe} where `/proc` works, else {@link tcpProbe}. */
  probe?: EngineProbe;
}

/** A running watch. */
export interface EngineWatch {
  /** Stops checking (the pending timer is cleared). */
  stop(): void;
}

/** A parsed `host:port` engine address. */
export interface EngineAddress {
  /** Host name or IP address (without IPv6 brackets). */
  host: string;
  /** TCP port, 1–65535. */
  port: number;
}

/**
 * Parses the engine address the dynamic-provider host is given, e.g.
 * `127.0.0.1:41234` or `[::1]:41234`; anything else is `undefined`.
 */
export function parseEngineAddress(address: string | undefined): EngineAddress | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(address ?? "");
  if (!m) {
    return undefined;
  }
  const port = Number(m[3]);
  if (port < 1 || port > 65535) {
    return undefined;
  }
  return { host: m[1] ?? m[2], port };
}

/**
 * The engine address when this process is `@pulumi/pulumi`'s dynamic-provider
 * host (`node .../cmd/dynamic-provider <address>`), else `undefined`: the
 * runtime is also loaded by programs, tests and our CLI, which must never be
 * watched.
 */
export function dynamicProviderEngineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  if (!/[\\/]cmd[\\/]dynamic-provider(?:[\\/]index(?:\.js)?)?$/.test(script)) {
    return undefined;
  }
  return parseEngineAddress(argv[2]) ? argv[2] : undefined;
}

// One watch per process: configure() runs once per provider, but a second
// call must not start a second timer.
let current: EngineWatch | undefined;

/**
 * Starts watching the engine at `address` (default: the dynamic-provider
 * host's argument) and, when it is gone, calls `onGone` (default: exit). The
 * timer is unref'd, so the watch never keeps the process alive. Returns
 * `undefined`, doing nothing, when there is no valid address, i.e. outside a
 * dynamic-provider process; returns the running watch when one is already on.
 */
export function watchEngine(
  address: string | undefined = dynamicProviderEngineAddress(),
  options: EngineWatchOptions = {},
): EngineWatch | undefined {
  const parsed = parseEngineAddress(address);
  if (!parsed || address === undefined) {
    return undefined;
  }
  if (current) {
    return current;
  }
  const intervalMs = options.intervalMs ?? 1000;
  const failures = options.failures ?? 2;
  const onGone = options.onGone ?? (() => process.exit(1));
  const probe = options.probe ?? ancestryProbe(address) ?? tcpProbe(parsed, Math.min(intervalMs, 1000));

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let missed = 0;
  const watch: EngineWatch = {
    stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
      }
      if (current === watch) {
        current = undefined;
      }
    },
  };
  // A timeout re-armed after each check, not an interval, so slow checks never overlap.
  const schedule = (): void => {
    timer = setTimeout(() => {
      void probe().then((state) => {
        if (stopped) {
          return;
        }
        // `unknown` neither counts nor resets: a slow answer says nothing either way.
        if (state === "gone") {
          missed += 1;
        } else if (state === "alive") {
          missed = 0;
        }
        if (missed >= failures) {
          watch.stop();
          onGone();
          return;
        }
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  current = watch;
  return watch;
}

/**
 * A probe that watches the link between the engine and its child on the way
 * to this process (Linux `/proc`), or `undefined` where `/proc` is not
 * readable. Launchers between the engine and us are recognised by having been
 * given the engine address too.
 */
function ancestryProbe(address: string, pid: number = process.pid): EngineProbe | undefined {
  let child = pid;
  let parent = parentOf(child);
  // Already orphaned (or no /proc): the tree cannot tell any more.
  if (parent === undefined || parent <= 1) {
    return undefined;
  }
  // Bounded, in case of a loop of wrappers that all got the address.
  for (let depth = 0; depth < 8 && parent > 1 && commandLine(parent).includes(address); depth++) {
    const next = parentOf(parent);
    if (next === undefined) {
      break;
    }
    child = parent;
    parent = next;
  }
  const engine = parent;
  const below = child;
  // The kernel re-parents a process the moment its parent exits, so a changed
  // (or vanished) link means the engine has ended; pid reuse cannot fake it.
  return () => Promise.resolve(parentOf(below) === engine ? "alive" : "gone");
}

/**
 * A probe that opens (and at once closes) a TCP connection to the engine: a
 * refused connection means nothing listens on its port any more. Timeouts and
 * other errors say nothing and are `unknown`.
 */
function tcpProbe(address: EngineAddress, timeoutMs = 1000): EngineProbe {
  return () =>
    new Promise<EngineState>((resolve) => {
      const socket = net.connect({ host: address.host, port: address.port });
      socket.unref();
      const done = (state: EngineState): void => {
        socket.destroy();
        resolve(state);
      };
      socket.setTimeout(timeoutMs, () => done("unknown"));
      // gRPC servers drop a connection that closes before its preface without logging.
      socket.once("connect", () => done("alive"));
      socket.once("error", (err: NodeJS.ErrnoException) =>
        done(err.code === "ECONNREFUSED" ? "gone" : "unknown"),
      );
    });
}

/** The parent pid of `pid` from `/proc/<pid>/stat`, or `undefined` if it is not there. */
function parentOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** The arguments of `pid`, or none if they cannot be read. */
function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}
