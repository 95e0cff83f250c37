/**
 * `filter.storageClasses`, the same on both clouds: a list of the cloud's
 * classes, kept sorted and without repeats, judged by the cloud's wire rules
 * with the user's indexes.
 */
import type { ValidationFailure } from "../../core/errors";
import { allKnownStrings, type Fail, sortedUnique, uniqueWithIndex } from "../../core/normalize";
import { isUnknown } from "../../core/unknown";

/** How a cloud judges `filter.storageClasses`, for {@link storageClassesArgument}. */
export interface StorageClassRules {
  /** The wire rules on a list, naming item `i` by `property(i)`. */
  check: (items: readonly unknown[], property: (i: number) => string) => ValidationFailure[];
  /** A list to show in a failure, e.g. `["Standard", "IA"]`. */
  example: string;
  /** The class that means every class (OSS `All`), if the cloud has one. */
  everything?: string;
}

/**
 * `filter.storageClasses`: a list of valid classes (the cloud's wire check,
 * with the user's indexes), de-duplicated and sorted; an empty list is no
 * filter. The cloud's `everything` class alone is no filter too, and with
 * other classes a contradiction.
 */
export function storageClassesArgument(raw: unknown, rules: StorageClassRules, fail: Fail): unknown {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (isUnknown(raw)) {
    return raw;
  }
  if (!Array.isArray(raw)) {
    fail("filter.storageClasses", `must be a list such as ${rules.example}`);
    return undefined;
  }
  // A repeat is harmless: drop it, and judge the rest with the user's indexes.
  const unique = uniqueWithIndex(raw);
  const property = (i: number): string => `filter.storageClasses[${unique.index[i]}]`;
  // An unknown item is judged once it is known.
  const pending = new Set(unique.items.flatMap((item, i) => (isUnknown(item) ? [property(i)] : [])));
  for (const f of rules.check(unique.items, property)) {
    if (!pending.has(f.property)) {
      fail(f.property, f.reason);
    }
  }
  if (!allKnownStrings(unique.items)) {
    // A non-string item was reported above; keep it out of the wire model,
    // which joins the list into one string.
    return unique.items.every((item) => typeof item === "string") ? unique.items : undefined;
  }
  const classes = sortedUnique(unique.items);
  const all = rules.everything;
  if (all !== undefined && classes.includes(all) && classes.length > 1) {
    fail(
      "filter.storageClasses",
      `"${all}" already means every storage class; use ["${all}"] alone (or leave storageClasses out), ` +
        `or list only the classes you want, such as ${rules.example}`,
    );
  }
  if (classes.length === 0 || (classes.length === 1 && classes[0] === all)) {
    return undefined;
  }
  return classes;
}
