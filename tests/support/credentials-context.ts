/**
 * A credential-source context for unit tests: stack config, environment and
 * files in memory, a settable clock, and a scripted `fetch` that records
 * every request (method, URL, headers, body).
 */
import type { SourceContext } from "../../provider/credentials/common/types";

/** A request the fake fetch received. */
export interface FetchedRequest {
  /** HTTP method. */
  method: string;
  /** Full URL. */
  url: string;
  /** Headers, names lowercased. */
  headers: Record<string, string>;
  /** Body text. */
  body: string;
}

/** What the fake fetch answers. */
export interface FetchAnswer {
  /** HTTP status (default 200). */
  status?: number;
  /** JSON body (serialized) or text. */
  body: unknown;
}

/** A {@link SourceContext} over in-memory settings, with what it fetched. */
export interface FakeContext extends SourceContext {
  /** Every request, in order. */
  fetched: FetchedRequest[];
  /** Decides each answer; replace per test. */
  answer: (req: FetchedRequest) => FetchAnswer;
  /** Moves the clock. */
  clock: { now: number };
}

/** Settings for {@link fakeContext}. */
export interface FakeSettings {
  /** Stack config. */
  config?: Record<string, string>;
  /** Environment. */
  env?: Record<string, string>;
  /** Files by absolute path. */
  files?: Record<string, string>;
}

/** A fake context; HOME is `/home/u`. */
export function fakeContext(settings: FakeSettings = {}): FakeContext {
  const ctx: FakeContext = {
    config: { get: (k) => settings.config?.[k] },
    env: { ...settings.env },
    home: "/home/u",
    readFile: (path) => settings.files?.[path],
    clock: { now: Date.UTC(2026, 10, 29, 1, 0, 0) },
    now: () => ctx.clock.now,
    fetched: [],
    answer: () => ({ status: 500, body: "no answer scripted" }),
    fetch: async (input, init) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>)) {
        headers[k.toLowerCase()] = v;
      }
      const req: FetchedRequest = {
        method: init?.method ?? "GET",
        url: String(input),
        headers,
        body: typeof init?.body === "string" ? init.body : "",
      };
      ctx.fetched.push(req);
      const a = ctx.answer(req);
      const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
      return new Response(text, { status: a.status ?? 200 });
    },
  };
  return ctx;
}

/** One source's settings in a source-order table, with the `source` its provider must report. */
export interface SourceLayer {
  /** The settings that configure this source. */
  setup: FakeSettings;
  /** What the chosen provider's `source` must match. */
  source: RegExp;
}

/** The settings of `layers[from]` and of every later layer, merged (an earlier layer's values win). */
export function mergeLayers(layers: readonly SourceLayer[], from: number): FakeSettings {
  const out: Required<FakeSettings> = { config: {}, env: {}, files: {} };
  for (const layer of layers.slice(from).reverse()) {
    Object.assign(out.config, layer.setup.config);
    Object.assign(out.env, layer.setup.env);
    Object.assign(out.files, layer.setup.files);
  }
  return out;
}

/** The message `fn` throws (the test fails if it does not). */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a throw");
}
