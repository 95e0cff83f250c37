/**
 * The cloud-neutral inventory resource engine: check, diff, create, read,
 * update and delete over a dialect (one per cloud). It runs in the dynamic
 * provider process, loaded at run time by the thin shim kept in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError, ValidationFailure } from "../core/errors";
import { isUnknown } from "../core/unknown";

/** The address of a job: where it lives and what it is called. */
export interface JobAddress {
  /** Region of the source bucket. */
  region: string;
  /** Source bucket. */
  bucket: string;
  /** Job id. */
  inventoryId: string;
}

/** What the engine needs from a cloud's client. */
export interface InventoryApi<Model> {
  /** Reads a job; rejects with {@link NotFoundError} when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /** Creates a job that does not exist yet. */
  create(bucket: string, model: Model): Promise<void>;
  /**
   * Replaces an existing job with `model`. Clouds that cannot overwrite must
   * keep the old job in place when the change fails.
   */
  update(bucket: string, model: Model): Promise<void>;
  /** Deletes a job; rejects with {@link NotFoundError} when it does not exist. */
  delete(bucket: string, id: string): Promise<void>;
}

/** One cloud's rules, plugged into the engine. */
export interface InventoryDialect<Inputs extends JobAddress, Model> {
  /** Public type name for messages, e.g. `cos.BucketInventory`. */
  typeName: string;
  /** Validates and normalizes raw inputs (no network). */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ValidationFailure[] };
  /** Properties whose change forces replacement. */
  replaceProperties: readonly string[];
  /** Properties that steer the provider but are not part of the job (never diffed). */
  controlProperties: readonly string[];
  /** Normalized inputs → wire model. */
  toModel(inputs: Inputs): Model;
  /** Wire model read from the cloud → normalized inputs. */
  fromModel(model: Model, address: JobAddress): Inputs;
  /** A client for a region (credentials and endpoint come from the provider's configuration). */
  api(region: string): InventoryApi<Model>;
}

/** The props the engine keeps in state besides the normalized inputs. */
const INTERNAL_KEYS = new Set(["__provider", "schemaVersion"]);

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

function containsUnknown(x: unknown): boolean {
  if (isUnknown(x)) return true;
  if (Array.isArray(x)) return x.some(containsUnknown);
  if (typeof x === "object" && x !== null) return Object.values(x).some(containsUnknown);
  return false;
}

/**
 * Diffs normalized old outputs against checked new inputs. Replacement when an
 * address property changes; an in-place update otherwise; unknown values count
 * as changes (and as replacements on address properties).
 */
export function diffInventory(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  replaceProperties: readonly string[],
  controlProperties: readonly string[],
): pulumi.dynamic.DiffResult {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const key of keys) {
    if (INTERNAL_KEYS.has(key) || controlProperties.includes(key)) {
      continue;
    }
    const o = olds[key];
    const n = news[key];
    if (!containsUnknown(n) && jsonEqual(o, n)) {
      continue;
    }
    changed.push(key);
    if (replaceProperties.includes(key)) {
      replaces.push(key);
    }
  }
  // The dynamic-provider protocol of this SDK has no detailed diff; the
  // engine shows property changes from the inputs.
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

/** Inputs without the provider-steering properties, as kept for the job itself. */
function jobProps(inputs: Record<string, unknown>, control: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (!control.includes(k) && k !== "__provider") {
      out[k] = v;
    }
  }
  return out;
}

/** Job props plus the control properties the user set, as outputs. */
function withControl(
  props: JobAddress,
  inputs: Record<string, unknown>,
  control: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const k of control) {
    if (inputs[k] !== undefined) out[k] = inputs[k];
  }
  return out;
}

/** Builds the dynamic-provider methods for a dialect. */
export function inventoryProvider<Inputs extends JobAddress, Model>(
  dialect: InventoryDialect<Inputs, Model>,
): Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
> {
  const control = dialect.controlProperties;
  return {
    async check(_olds, news) {
      const r = dialect.check(news);
      return { inputs: r.inputs, failures: r.failures };
    },

    async diff(_id, olds, news) {
      return diffInventory(olds, news, dialect.replaceProperties, control);
    },

    async create(inputs) {
      const props = jobProps(inputs, control) as unknown as Inputs;
      const api = dialect.api(props.region);
      const desired = dialect.toModel(props);
      const id = resourceId(props);
      let existing: Model | undefined;
      try {
        existing = await api.get(props.bucket, props.inventoryId);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
      if (existing === undefined) {
        await api.create(props.bucket, desired);
      } else {
        const current = dialect.fromModel(existing, props);
        const same = jsonEqual(
          jobProps(current as unknown as Record<string, unknown>, control),
          jobProps({ ...props } as Record<string, unknown>, control),
        );
        if (!same) {
          if (inputs.adopt !== true) {
            throw new Error(
              `${dialect.typeName}: an inventory job "${props.inventoryId}" already exists on bucket ` +
                `"${props.bucket}" (${props.region}) with a different configuration, and this resource will not ` +
                `overwrite a job it does not own. To take it over and update it to the declared configuration, ` +
                `set "adopt: true" on the resource (see "Import" in the README); to keep it, choose another ` +
                `"inventoryId".`,
            );
          }
          await api.update(props.bucket, desired);
        }
        // Equal (an interrupted create being retried) or adopted: it is ours now.
      }
      return { id, outs: withControl(props, inputs, control) };
    },

    async read(id, props) {
      const address = parseResourceId(id) ?? (props as JobAddress | undefined);
      if (!address || !address.region || !address.bucket || !address.inventoryId) {
        throw new Error(
          `${dialect.typeName}: cannot read "${id}": the ID must be "<region>/<bucket>/<inventoryId>"`,
        );
      }
      let model: Model;
      try {
        model = await dialect.api(address.region).get(address.bucket, address.inventoryId);
      } catch (e) {
        if (e instanceof NotFoundError) {
          // Gone: an empty ID tells the engine to drop it from state.
          return { id: "", props: {} };
        }
        throw e;
      }
      const current = dialect.fromModel(model, address) as unknown as Record<string, unknown>;
      const adopt = props?.adopt;
      const outs = adopt === true ? { ...current, adopt } : current;
      return { id: resourceId(address), props: outs, inputs: outs };
    },

    async update(_id, _olds, news) {
      const props = jobProps(news, control) as unknown as Inputs;
      await dialect.api(props.region).update(props.bucket, dialect.toModel(props));
      return { outs: withControl(props, news, control) };
    },

    async delete(_id, props) {
      const p = props as Inputs;
      try {
        await dialect.api(p.region).delete(p.bucket, p.inventoryId);
      } catch (e) {
        // Already gone is what we wanted.
        if (!(e instanceof NotFoundError)) throw e;
      }
    },
  };
}
