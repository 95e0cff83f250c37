/**
 * Random choices for the signer property tests (COS against cos-nodejs-sdk-v5,
 * OSS against ali-oss), drawn from the shared seeded generator so that any
 * failing case can be replayed from its seed.
 */
import { mulberry32 } from "./seeded-random";

/** Random choices drawn from the shared seeded generator, so any failing case can be replayed from its seed. */
export class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }
  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** `min` to `max` characters drawn from `alphabet`. */
  str(alphabet: readonly string[], min: number, max: number): string {
    let s = "";
    const n = min + this.int(max - min + 1);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
  /** Random letter case, for header names (case-insensitive on the wire). */
  mixCase(s: string): string {
    return [...s].map((c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join("");
  }
}

/** ASCII letters and digits. */
export const ALNUM = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];
