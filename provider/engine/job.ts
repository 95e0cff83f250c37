/**
 * A job's address, the resource ID built from it, and the comparison of two
 * job configurations. Pure; kept apart from the engine so the import checks
 * (`./importing`) share them without a cycle.
 */

/** The address of a job: where it lives and what it is called. */
export interface JobAddress {
  /** Region of the source bucket. */
  region: string;
  /** Source bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
}

/** The resource ID: `<region>/<bucket>/<inventoryId>`. */
export function resourceId(a: JobAddress): string {
  return `${a.region}/${a.bucket}/${a.inventoryId}`;
}

/** Splits a resource ID; `undefined` if it is not `<region>/<bucket>/<inventoryId>`. */
export function parseResourceId(id: string): JobAddress | undefined {
  const m = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(id);
  return m ? { region: m[1], bucket: m[2], inventoryId: m[3] } : undefined;
}

/** Deep equality of JSON-like values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    );
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** One property whose value differs between the job in the cloud and the declaration. */
export interface FieldDifference {
  /** Dotted property path, e.g. `destination.prefix`. */
  property: string;
  /** The value in the cloud (normalized); `undefined` when not set. */
  existing: unknown;
  /** The declared value (normalized); `undefined` when not set. */
  declared: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Every property where two normalized job configurations differ, by dotted
 * path, descending into objects (lists are compared whole); sorted by path.
 * Empty exactly when {@link jsonEqual} holds.
 */
export function fieldDifferences(
  existing: Record<string, unknown>,
  declared: Record<string, unknown>,
  prefix = "",
): FieldDifference[] {
  const keys = [...new Set([...Object.keys(existing), ...Object.keys(declared)])].sort();
  return keys.flatMap((key) => {
    const e = existing[key];
    const d = declared[key];
    if (jsonEqual(e, d)) return [];
    if (isRecord(e) && isRecord(d)) return fieldDifferences(e, d, `${prefix}${key}.`);
    return [{ property: `${prefix}${key}`, existing: e, declared: d }];
  });
}
