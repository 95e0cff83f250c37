/**
 * The one owner of a job's default region. A job's `region` argument wins;
 * when it is absent the program fills it in from the cloud's stack config or
 * environment (`../resource/defaults`), and if the program found none either,
 * `check` fills it in from the provider's config and environment
 * (`./dialects`). Both go through {@link defaultRegion}, with the keys of
 * {@link REGION_SOURCES}; the schemas only see the result.
 */
import type { RuntimeKind } from "./contract";

/** Where a cloud's default region is found (the cloud's own Pulumi provider settings). */
export interface RegionSource {
  /** The stack config namespace whose `region` key holds it, e.g. `tencentcloud`. */
  readonly configNamespace: string;
  /** The environment variable holding it, e.g. `TENCENTCLOUD_REGION`. */
  readonly env: string;
}

/** Each cloud's {@link RegionSource}. */
export const REGION_SOURCES: Readonly<Record<RuntimeKind, RegionSource>> = {
  cos: { configNamespace: "tencentcloud", env: "TENCENTCLOUD_REGION" },
  oss: { configNamespace: "alicloud", env: "ALICLOUD_REGION" },
};

/** The stack config key holding a cloud's default region, e.g. `tencentcloud:region`. */
export function regionConfigKey(kind: RuntimeKind): string {
  return `${REGION_SOURCES[kind].configNamespace}:region`;
}

/**
 * The region a job gets: the argument when given (`null` counts as absent),
 * else `fallback()`, which is only called when needed. The program calls it
 * with the stack config and environment it sees; `check` calls it again with
 * the provider's, for a job the program left without a region.
 */
export function defaultRegion<R>(given: R | null | undefined, fallback: () => R | undefined): R | undefined {
  return given ?? fallback();
}
