/**
 * The jobs a stack manages, from `pulumi stack export`, and how they compare
 * with what the cloud holds. Pure: the commands run Pulumi and the clients.
 */
import { isDeepStrictEqual } from "util";
import type { RuntimeKind } from "../engine/contract";
import { dynamicType } from "../resource/shim";
import { type JobRef, jobKey } from "./job";

/** A job recorded in a stack's state. */
export interface ManagedJob extends JobRef {
  /** The stack it was read from. */
  stack: string;
  /** The resource URN. */
  urn: string;
  /** The resource name (the URN's last part). */
  name: string;
  /** The recorded outputs. */
  outputs: Record<string, unknown>;
  /**
   * Set for the configuration of an `oss.InventoryRun` (a one-shot run): the
   * stack owns it, but it is no job to compare, and OSS may delete it itself.
   */
  run?: true;
}

const KINDS: readonly RuntimeKind[] = ["cos", "oss"];

/**
 * The inventory jobs in a `pulumi stack export` document: resources of either
 * BucketInventory type with an ID `<region>/<bucket>/<inventoryId>`.
 * Resources pending deletion (`delete: true`) are left out: the job belongs to
 * the resource that replaced them, and so are resources read with `get`
 * (`external: true`), which the stack does not manage. The configurations of
 * the stack's `oss.InventoryRun` resources come too, marked `run`. Throws
 * when `exported` is not an export.
 */
export function managedJobs(exported: unknown, stack: string): ManagedJob[] {
  const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
  if (typeof deployment !== "object" || deployment === null) {
    throw new Error(`the export of stack "${stack}" has no deployment (is it a Pulumi stack export?)`);
  }
  const resources = Array.isArray(deployment.resources) ? (deployment.resources as unknown[]) : [];
  const out: ManagedJob[] = [];
  for (const r of resources) {
    const res = r as {
      type?: unknown;
      id?: unknown;
      urn?: unknown;
      outputs?: unknown;
      delete?: unknown;
      external?: unknown;
    };
    const cloud = KINDS.find((k) => dynamicType(k) === res.type);
    const run = res.type === dynamicType("oss", "InventoryRun");
    if (cloud === undefined && !run) continue;
    if (typeof res.id !== "string" || res.delete === true || res.external === true) continue;
    const m = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(res.id);
    if (!m) continue;
    const urn = String(res.urn ?? "");
    out.push({
      cloud: cloud ?? "oss",
      ...(run ? { run: true as const } : {}),
      region: m[1],
      bucket: m[2],
      inventoryId: m[3],
      stack,
      urn,
      name: urn.slice(urn.lastIndexOf("::") + 2),
      outputs: (res.outputs ?? {}) as Record<string, unknown>,
    });
  }
  return out;
}

/** Props that say who manages a job and how, not what it is: never compared. */
const NOT_THE_JOB = new Set([
  "__provider",
  "__stack",
  "__claim",
  "adoptedConfiguration",
  "schemaVersion",
  "adopt",
]);

/**
 * The top-level properties in which a job's recorded outputs and its
 * normalized configuration read from the cloud differ, sorted.
 */
export function differingProperties(
  recorded: Record<string, unknown>,
  current: Record<string, unknown>,
): string[] {
  const keys = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...keys]
    .filter((k) => !NOT_THE_JOB.has(k) && !isDeepStrictEqual(recorded[k], current[k]))
    .filter((k) => !(recorded[k] === undefined && current[k] === undefined))
    .sort();
}

/** How one job compares. */
export type JobStatus = "in-sync" | "drifted" | "missing" | "unmanaged";

/** One line of a status report. */
export interface StatusEntry extends JobRef {
  /** How the job compares. */
  status: JobStatus;
  /** The resource name in the stack (absent for unmanaged jobs). */
  name?: string;
  /** The properties that differ (drifted jobs only). */
  differences?: string[];
}

/**
 * Compares a stack's jobs with the cloud. `current` maps {@link jobKey} to
 * the normalized configuration read now, or `undefined` for a job the cloud
 * does not have; `listed` are the jobs found on the buckets that were listed.
 * Managed jobs first (in state order), then the unmanaged ones.
 */
export function compareStack(
  managed: readonly ManagedJob[],
  current: ReadonlyMap<string, Record<string, unknown> | undefined>,
  listed: readonly JobRef[],
): StatusEntry[] {
  const out: StatusEntry[] = [];
  const managedKeys = new Set(managed.map(jobKey));
  for (const m of managed) {
    if (m.run) continue;
    const ref: JobRef = { cloud: m.cloud, region: m.region, bucket: m.bucket, inventoryId: m.inventoryId };
    const now = current.get(jobKey(m));
    if (now === undefined) {
      out.push({ ...ref, name: m.name, status: "missing" });
      continue;
    }
    const differences = differingProperties(m.outputs, now);
    out.push(
      differences.length > 0
        ? { ...ref, name: m.name, status: "drifted", differences }
        : { ...ref, name: m.name, status: "in-sync" },
    );
  }
  for (const j of listed) {
    if (!managedKeys.has(jobKey(j))) out.push({ ...j, status: "unmanaged" });
  }
  return out;
}

/** For each listed job, the given stacks that manage it (empty: unmanaged by any of them). */
export function managersOf(listed: readonly JobRef[], managed: readonly ManagedJob[]): Map<string, string[]> {
  const out = new Map<string, string[]>(listed.map((j) => [jobKey(j), []]));
  for (const m of managed) {
    const stacks = out.get(jobKey(m));
    if (stacks && !stacks.includes(m.stack)) stacks.push(m.stack);
  }
  return out;
}

/** Rows as a left-aligned text table, columns two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
