/**
 * The local emulator for e2e tests: started in the test process on a free
 * port with the admin API on, plus helpers to read its request log and to
 * inject faults.
 */
import { RunningEmulator, startEmulator } from "../../provider/emulator/server";

/** Credentials the e2e emulator accepts. */
export const E2E_CREDENTIALS = { id: "AKIDE2EEXAMPLE", secret: "e2e-Secret-Key-never-in-state" };

/** The admin API refuses POST and DELETE without this content type (even bodiless). */
const ADMIN_JSON = { "content-type": "application/json" };

/** Buckets the e2e emulator serves. */
export const E2E_BUCKETS = [
  "examplebucket-1250000000",
  "inventorybucket-1250000000",
  "otherbucket-1250000000",
  "examplebucket",
  "destination-bucket",
];

/** One entry of the emulator's request log. */
export interface LoggedRequest {
  method: string;
  bucket: string | null;
  operation: string;
  inventoryId: string | null;
  status: number;
  code?: string;
  /** The dialect, or the credential service (`tencent-sts`, `alibaba-metadata`, …) that answered. */
  dialect?: string;
  /** For a credential service: the STS action or the metadata path. */
  action?: string;
}

/** An emulator with log and fault helpers. */
export class E2eEmulator {
  private constructor(
    public running: RunningEmulator,
    private readonly port: number,
  ) {}

  /** Starts one on a free port (or the given one, to restart on the same address). */
  static async start(port = 0): Promise<E2eEmulator> {
    const running = await startEmulator({
      port,
      buckets: E2E_BUCKETS,
      credentials: [E2E_CREDENTIALS],
      admin: true,
    });
    return new E2eEmulator(running, running.port);
  }

  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return this.running.url;
  }

  /** Stops the server (the jobs are in memory and are lost). */
  async stop(): Promise<void> {
    await this.running.close();
  }

  /** Starts again on the same port. */
  async restart(): Promise<void> {
    this.running = (await E2eEmulator.start(this.port)).running;
  }

  /** The request log since the last {@link clearLog}. */
  async requests(): Promise<LoggedRequest[]> {
    const r = await fetch(`${this.url}/_emulator/requests`);
    return (await r.json()) as LoggedRequest[];
  }

  /** Clears the request log. */
  async clearLog(): Promise<void> {
    await fetch(`${this.url}/_emulator/requests`, { method: "DELETE", headers: ADMIN_JSON });
  }

  /** Injects a fault (see the emulator's admin API). */
  async fault(spec: Record<string, unknown>): Promise<void> {
    const r = await fetch(`${this.url}/_emulator/faults`, {
      method: "POST",
      headers: ADMIN_JSON,
      body: JSON.stringify(spec),
    });
    if (r.status >= 300) {
      throw new Error(`fault rejected: ${r.status} ${await r.text()}`);
    }
  }

  /**
   * The faults still queued. A fault leaves the queue when the last request it
   * applies to arrives (the request log has a request only once it is
   * answered), so an empty queue means every slowed request is in flight.
   */
  async pendingFaults(): Promise<unknown[]> {
    const r = await fetch(`${this.url}/_emulator/faults`);
    return (await r.json()) as unknown[];
  }

  /** The jobs the emulator holds, by bucket (each with its dialect, id and stored XML body). */
  async jobs(): Promise<Record<string, { dialect: string; id: string; body: string }[]>> {
    const r = await fetch(`${this.url}/_emulator/jobs`);
    return (await r.json()) as Record<string, { dialect: string; id: string; body: string }[]>;
  }

  /** Caps the lifetime of temporary credentials issued from now on (seconds), or lifts the cap (null). */
  async tokenTtl(seconds: number | null): Promise<void> {
    const r = await fetch(`${this.url}/_emulator/token-ttl`, {
      method: "PUT",
      headers: ADMIN_JSON,
      body: JSON.stringify({ seconds }),
    });
    if (r.status !== 200) throw new Error(`token-ttl rejected: ${r.status} ${await r.text()}`);
  }

  /** The temporary credentials issued so far: cloud, id and expiry (never secrets or tokens). */
  async temporaryCredentials(): Promise<
    { cloud: string; id: string; issuedAt: string; expiresAt: string }[]
  > {
    const r = await fetch(`${this.url}/_emulator/temporary-credentials`);
    return (await r.json()) as { cloud: string; id: string; issuedAt: string; expiresAt: string }[];
  }

  /** Clears jobs, log and faults. */
  async reset(): Promise<void> {
    await fetch(`${this.url}/_emulator/reset`, { method: "POST", headers: ADMIN_JSON });
  }
}

/** Counts log entries by operation, e.g. `{ get: 1, put: 1 }`. */
export function countByOperation(log: LoggedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) {
    out[r.operation] = (out[r.operation] ?? 0) + 1;
  }
  return out;
}
