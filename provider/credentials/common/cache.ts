/**
 * Per-process caching of a key pair: temporary credentials are fetched once,
 * shared by every request, and fetched again before they expire; concurrent
 * callers during a refresh wait on the same fetch.
 */
import type { KeyPair, KeyPairProvider } from "./types";

/** How long before expiry a pair is refreshed: a quarter of its lifetime, at most 5 minutes. */
export function refreshMargin(lifetimeMs: number): number {
  return Math.min(5 * 60_000, Math.max(0, lifetimeMs) / 4);
}

/** A cached, self-refreshing key pair over a {@link KeyPairProvider}. */
export class RefreshingKeyPair {
  private pair?: KeyPair;
  private refreshAt = 0;
  private pending?: Promise<KeyPair>;
  private timer?: ReturnType<typeof setTimeout>;

  /**
   * @param provider where pairs come from.
   * @param now the clock (epoch milliseconds).
   */
  constructor(
    readonly provider: KeyPairProvider,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pair to sign with now: the cached one while fresh, else one fetch shared by all callers. */
  async get(signal?: AbortSignal): Promise<KeyPair> {
    if (this.pair && this.now() < this.refreshAt) return this.pair;
    if (!this.pending) {
      const fetchedAt = this.now();
      this.pending = this.provider.fetch(signal).then(
        (pair) => {
          this.pair = pair;
          this.refreshAt =
            pair.expiresAt === undefined
              ? Infinity
              : pair.expiresAt - refreshMargin(pair.expiresAt - fetchedAt);
          this.pending = undefined;
          this.scheduleRefresh();
          return pair;
        },
        (err: unknown) => {
          this.pending = undefined;
          throw err;
        },
      );
    }
    return this.pending;
  }

  /**
   * Refreshes in the background when the pair enters its margin, so that a
   * long operation's later requests (which sign with {@link current}) never
   * carry an expired token. A failure there is left for the next {@link get}
   * to meet and report. The timer does not keep the process alive.
   */
  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    const delay = this.refreshAt - this.now();
    // Not for a pair that arrived already inside its margin: that would loop.
    if (!Number.isFinite(delay) || delay <= 0) return;
    this.timer = setTimeout(() => void this.get().catch(() => undefined), delay);
    this.timer.unref();
  }

  /**
   * The last pair fetched, for synchronous signers after {@link get} resolved.
   *
   * @throws Error if no pair was fetched yet.
   */
  current(): KeyPair {
    if (!this.pair) throw new Error("credentials used before they were fetched");
    return this.pair;
  }
}
