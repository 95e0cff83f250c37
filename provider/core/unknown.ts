/**
 * The engine's marker for values not known yet (outputs of resources that
 * are not created, during preview). Dynamic providers see it as this string.
 */

/** The string a dynamic provider receives in place of an unknown value. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is the unknown marker. */
export function isUnknown(x: unknown): boolean {
  return x === UNKNOWN;
}

/** Paths (`a.b[0].c`) of every unknown value in a JSON-like tree. */
export function unknownPaths(x: unknown, prefix = ""): string[] {
  if (isUnknown(x)) {
    return [prefix];
  }
  if (Array.isArray(x)) {
    return x.flatMap((v, i) => unknownPaths(v, `${prefix}[${i}]`));
  }
  if (typeof x === "object" && x !== null) {
    return Object.entries(x).flatMap(([k, v]) => unknownPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** A deep copy with every unknown value replaced by `undefined`. */
export function withoutUnknowns<T>(x: T): T {
  if (isUnknown(x)) {
    return undefined as T;
  }
  if (Array.isArray(x)) {
    return x.map(withoutUnknowns) as T;
  }
  if (typeof x === "object" && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      out[k] = withoutUnknowns(v);
    }
    return out as T;
  }
  return x;
}

/** Whether `path` is `root`, lies under it, or holds it (so a failure there may be caused by an unknown). */
export function pathsOverlap(path: string, root: string): boolean {
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return under(path, root) || under(root, path);
}
