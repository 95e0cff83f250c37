/**
 * What the emulator's integration suites share: an emulator started on a free
 * port with the admin API on, typed admin calls, and the plumbing of a signed
 * inventory request (body headers, query string, addressing style) around
 * each cloud's own signing step.
 */
import { createHash } from "crypto";
import type { FaultSpec, RequestLogEntry } from "../../provider/emulator/admin";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../provider/emulator/server";
import { adminExchange, send, type Reply } from "./http";

/** Starts an emulator on a free port with the admin API on, knowing `buckets` and one key pair. */
export function startAdminEmulator(
  buckets: string[],
  key: { id: string; secret: string },
  extra: Partial<EmulatorOptions> = {},
): Promise<RunningEmulator> {
  return startEmulator({ port: 0, buckets, credentials: [key], admin: true, ...extra });
}

/** A stored job as `GET /_emulator/jobs` lists it. */
export interface DumpedJob {
  /** Dialect (store namespace). */
  dialect: string;
  /** Job id. */
  id: string;
  /** The stored XML. */
  body: string;
}

/** The admin API's calls, with their status (and JSON answer where there is one). */
export const emulatorAdmin = {
  /** `GET /_emulator/requests`: the request log, oldest first. */
  requests: async (emu: RunningEmulator): Promise<RequestLogEntry[]> =>
    (await adminExchange(emu, "GET", "/_emulator/requests")).json as RequestLogEntry[],
  /** `POST /_emulator/faults`: queues a fault (the spec is sent as given, valid or not). */
  fault: (emu: RunningEmulator, spec: FaultSpec | Record<string, unknown>) =>
    adminExchange(emu, "POST", "/_emulator/faults", spec),
  /** `GET /_emulator/faults`: the faults still queued. */
  faults: async (emu: RunningEmulator): Promise<unknown> =>
    (await adminExchange(emu, "GET", "/_emulator/faults")).json,
  /** `DELETE /_emulator/requests`: the status. */
  clearLog: async (emu: RunningEmulator): Promise<number> =>
    (await adminExchange(emu, "DELETE", "/_emulator/requests")).status,
  /** `POST /_emulator/reset`: the status. */
  reset: async (emu: RunningEmulator): Promise<number> =>
    (await adminExchange(emu, "POST", "/_emulator/reset")).status,
  /** `GET /_emulator/jobs`: the stored jobs by bucket. */
  jobs: async (emu: RunningEmulator): Promise<Record<string, DumpedJob[]>> =>
    (await adminExchange(emu, "GET", "/_emulator/jobs")).json as Record<string, DumpedJob[]>,
};

/**
 * The suites' job `id` on either cloud: enabled, daily, over `logs/`, with
 * three optional fields (both models name these alike), then the cloud's
 * `destination` and `overrides`.
 */
export function suiteJob<C extends { id: string; destination: unknown }>(
  id: string,
  destination: C["destination"],
  overrides: Partial<C>,
): C {
  const shared = {
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
    filter: { prefix: "logs/" },
    optionalFields: ["Size", "LastModifiedDate", "ETag"],
  };
  return { id, ...shared, destination, ...overrides } as unknown as C;
}

/** Base64 MD5 of a UTF-8 string (a Content-MD5 value). */
export const md5 = (s: string): string => createHash("md5").update(s, "utf8").digest("base64");

/** Query parameters in URL order; `undefined` is sent valueless (`?inventory`), `""` as `inventory=`. */
export type QueryList = [string, string | undefined][];

/** What every signed inventory request of the suites can say, whatever the cloud. */
export interface InventoryRequestOptions {
  /** HTTP method. */
  method: string;
  /** Query parameters, signed and sent. */
  query: QueryList;
  /** Bucket; each suite has a default. */
  bucket?: string;
  /** Bucket in the Host (the default), in the path, or nowhere (an IP Host and the root path). */
  style?: "path" | "virtual" | "none";
  /** Body, sent as XML. */
  body?: string;
  /** Content-MD5 to send: default the body's; null sends none. */
  md5?: string | null;
  /**
   * Send the target in absolute form (`http://<Host>/…`, as clients do through a proxy), with
   * this `Host` header instead of the signed one (RFC 9112: the target's authority wins).
   */
  absoluteForm?: { host: string };
}

/** The headers and addressing of a request before it is signed. */
export interface UnsignedRequest {
  /** The bucket addressed; none for style `none`. */
  bucket?: string;
  /** Host, and for a body its type, length and Content-MD5. */
  headers: Record<string, string>;
  /** The request target: `/` or `/<bucket>/`, then the query. */
  target(params: string[]): string;
}

/**
 * Starts a request: Host (`virtualHost(bucket)`, or the emulator's address
 * for path style) and the body headers.
 */
export function unsignedRequest(
  emu: RunningEmulator,
  o: InventoryRequestOptions,
  defaultBucket: string,
  virtualHost: (bucket: string) => string,
): UnsignedRequest {
  const bucket = o.style === "none" ? undefined : (o.bucket ?? defaultBucket);
  const pathStyle = o.style === "path";
  const headers: Record<string, string> = {
    Host: bucket === undefined || pathStyle ? `127.0.0.1:${emu.port}` : virtualHost(bucket),
  };
  if (o.body !== undefined) {
    headers["Content-Type"] = "application/xml";
    headers["Content-Length"] = String(Buffer.byteLength(o.body));
    const digest = o.md5 === undefined ? md5(o.body) : o.md5;
    if (digest !== null) headers["Content-MD5"] = digest;
  }
  const target = (params: string[]): string =>
    `${pathStyle && bucket !== undefined ? `/${bucket}/` : "/"}${params.length ? `?${params.join("&")}` : ""}`;
  return { bucket, headers, target };
}

/** The query as URL parameters, in order. */
export function queryParams(query: QueryList): string[] {
  return query.map(([k, v]) =>
    v === undefined ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
}

/** Sends a signed request built by {@link unsignedRequest}. */
export function sendSigned(
  emu: RunningEmulator,
  o: InventoryRequestOptions,
  request: UnsignedRequest,
  params: string[],
): Promise<Reply> {
  if (o.absoluteForm) {
    return send(emu.url, {
      method: o.method,
      path: `http://${request.headers.Host}${request.target(params)}`,
      headers: { ...request.headers, Host: o.absoluteForm.host },
      body: o.body,
      absoluteForm: true,
    });
  }
  return send(emu.url, {
    method: o.method,
    path: request.target(params),
    headers: request.headers,
    body: o.body,
  });
}

/** The four inventory calls of one cloud, built on its signed-request function. */
export interface InventoryCalls<O> {
  /** PUT a job (default body: the suite's configuration of `id`). */
  put(emu: RunningEmulator, id: string, body?: string, extra?: Partial<O>): Promise<Reply>;
  /** GET a job. */
  get(emu: RunningEmulator, id: string, extra?: Partial<O>): Promise<Reply>;
  /** DELETE a job. */
  del(emu: RunningEmulator, id: string, extra?: Partial<O>): Promise<Reply>;
  /** List a page (after `token`, when given). */
  list(emu: RunningEmulator, token?: string, extra?: Partial<O>): Promise<Reply>;
}

/**
 * The inventory calls of a cloud: `idParam` names the job (`id` on COS,
 * `inventoryId` on OSS), `inventory` is the value the suite sends for
 * `inventory` (`""` or valueless), `body` the default PUT body of an id.
 */
export function inventoryCalls<O extends InventoryRequestOptions>(
  signed: (emu: RunningEmulator, o: O) => Promise<Reply>,
  idParam: string,
  inventory: "" | undefined,
  body: (id: string) => string,
): InventoryCalls<O> {
  const withId = (id: string): QueryList => [
    ["inventory", inventory],
    [idParam, id],
  ];
  const call = (emu: RunningEmulator, method: string, query: QueryList, extra: Partial<O>): Promise<Reply> =>
    signed(emu, { method, query, ...extra } as O);
  return {
    put: (emu, id, putBody = body(id), extra = {}) =>
      call(emu, "PUT", withId(id), { body: putBody, ...extra } as Partial<O>),
    get: (emu, id, extra = {}) => call(emu, "GET", withId(id), extra),
    del: (emu, id, extra = {}) => call(emu, "DELETE", withId(id), extra),
    list: (emu, token, extra = {}) =>
      call(
        emu,
        "GET",
        token === undefined
          ? [["inventory", inventory]]
          : [
              ["inventory", inventory],
              ["continuation-token", token],
            ],
        extra,
      ),
  };
}

/**
 * Registers the hooks of a describe block with one emulator: `start` it before
 * all tests, close it after them, and clear its jobs, log and faults before
 * each test. Returns the running emulator, for use inside tests only.
 */
export function emulatorPerSuite(start: () => Promise<RunningEmulator>): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  const running = (): RunningEmulator => {
    if (!emu) throw new Error("the emulator is started in beforeAll; use it inside tests");
    return emu;
  };
  beforeAll(async () => {
    emu = await start();
  });
  afterAll(() => emu?.close());
  beforeEach(async () => {
    expect(await emulatorAdmin.reset(running())).toBe(204);
  });
  return running;
}

/** The rejection of `p`, typed as the SDK or client under test throws it; fails when `p` resolves. */
export async function rejectionOf<E>(p: Promise<unknown>, what: string): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error(`expected ${what} to fail`);
}
