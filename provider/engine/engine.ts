/**
 * The cloud-neutral inventory resource engine: check, diff, create, read,
 * update and delete over a dialect (one per cloud). It runs in the dynamic
 * provider process, loaded at run time by the thin shim kept in state.
 */
import { randomUUID } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { CloudError, NotFoundError, ValidationFailure } from "../core/errors";
import { isUnknown } from "../core/unknown";
import { GET_KEY, IMPORT_KEY } from "./contract";
import {
  checkImport,
  getMissingMessage,
  importIdFailure,
  importMismatchMessage,
  importMissingMessage,
} from "./importing";
import { type JobAddress, fieldDifferences, jsonEqual, parseResourceId, resourceId } from "./job";
import { Journal, JournalAddress, JournalEntry, interrupted, pendingNow } from "./journal";

export type { JobAddress } from "./job";

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
  /** The cloud, as the journal names it. */
  cloud: "cos" | "oss";
  /**
   * Whether the cloud refuses to create a job whose id exists (OSS answers 409).
   * When it does not (COS overwrites), a create reads the job back to catch a
   * concurrent writer.
   */
  exclusiveCreate: boolean;
  /** The endpoint jobs are reached through (`default` or the override text), as the journal keys jobs. */
  endpointId(): string;
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

/**
 * Input naming the stack (`<project>/<stack>`) that declares the resource; set
 * by the resource class, never diffed.
 */
export const STACK_KEY = "__stack";

/**
 * Output holding the random token of the resource that manages the job (see
 * `./journal`); never diffed, carried over by update and read.
 */
export const CLAIM_KEY = "__claim";

/**
 * Output holding the configuration a job had when `adopt: true` took it over
 * with a different one, so what was overwritten stays recoverable.
 */
export const ADOPTED_KEY = "adoptedConfiguration";

/** Props that say who manages a job and how, not what the job is: never written to the cloud. */
const BOOKKEEPING_KEYS = new Set(["__provider", STACK_KEY, CLAIM_KEY, ADOPTED_KEY, IMPORT_KEY, GET_KEY]);

/** The props the engine keeps in state besides the normalized inputs: never diffed. */
const INTERNAL_KEYS = new Set([...BOOKKEEPING_KEYS, "schemaVersion"]);

/** Whether a value holds the unknown marker anywhere (a value only known after an apply). */
export function containsUnknown(x: unknown): boolean {
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

/** What the engine needs besides the dialect: the journal, a place for warnings, and a clock. */
export interface EngineEnvironment {
  /** The journal (see `./journal`); called lazily so a preview that changes nothing touches no file. */
  journal(): Journal;
  /** Shows a warning to the user (the engine prints a provider's stderr). */
  warn(message: string): void;
  /** Waits; tests may replace it. */
  sleep(ms: number): Promise<void>;
}

/** Longest pause before reading a new job back (see {@link settleDelayMs}). */
const MAX_SETTLE_MS = 5000;

/**
 * How long to wait after creating a job before reading it back: as long as
 * the PUT took (capped). A writer elsewhere that also saw the id free could
 * only have done so before our PUT landed, so its own PUT lands within about
 * one more round trip; reading back after that makes such an overwrite show.
 */
export function settleDelayMs(putMs: number): number {
  return Math.min(MAX_SETTLE_MS, Math.max(0, Math.ceil(putMs)));
}

/** Inputs without the provider-steering and internal properties: the job itself. */
function jobProps(inputs: Record<string, unknown>, control: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (!control.includes(k) && !BOOKKEEPING_KEYS.has(k) && v !== undefined) {
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

/**
 * Whether an error is the cloud refusing a request outright (a 4xx other than
 * timeout, conflict or throttling): the request changed nothing. A 409 may
 * answer a retry of a write that landed. Anything else (5xx, no
 * answer, a failed restore) may have changed the job.
 */
export function refused(e: unknown): boolean {
  return (
    e instanceof CloudError && e.statusCode >= 400 && e.statusCode < 500 && ![408, 429].includes(e.statusCode)
  );
}

function text(x: unknown): string | undefined {
  return typeof x === "string" && x !== "" ? x : undefined;
}

/** Builds the dynamic-provider methods for a dialect. */
export function inventoryProvider<Inputs extends JobAddress, Model>(
  dialect: InventoryDialect<Inputs, Model>,
  env: EngineEnvironment,
): Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
> {
  const control = dialect.controlProperties;
  const where = (a: JobAddress) => `"${a.inventoryId}" on bucket "${a.bucket}" (${a.region})`;
  const journalAddress = (a: JobAddress): JournalAddress => ({
    cloud: dialect.cloud,
    endpoint: dialect.endpointId(),
    region: a.region,
    bucket: a.bucket,
    inventoryId: a.inventoryId,
  });
  const entryFor = (a: JobAddress, previous: JournalEntry | undefined): JournalEntry => ({
    ...previous,
    version: 1,
    ...journalAddress(a),
  });
  const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    jsonEqual(jobProps(a, control), jobProps(b, control));
  /** Runs `work` holding the job's journal lock. */
  const locked = async <T>(a: JobAddress, work: (journal: Journal) => Promise<T>): Promise<T> => {
    const journal = env.journal();
    const release = await journal.lock(journalAddress(a));
    try {
      return await work(journal);
    } finally {
      release();
    }
  };
  /**
   * Runs a write; when the cloud refused it outright (so nothing changed), puts
   * the journal entry back as it was before the write was announced.
   */
  const undoIfRefused = async (
    journal: Journal,
    address: JobAddress,
    before: JournalEntry | undefined,
    write: () => Promise<void>,
  ) => {
    try {
      await write();
    } catch (e) {
      if (refused(e)) {
        if (before === undefined) journal.remove(journalAddress(address));
        else journal.put(before);
      }
      throw e;
    }
  };
  const read = async (api: InventoryApi<Model>, a: JobAddress): Promise<Model | undefined> => {
    try {
      return await api.get(a.bucket, a.inventoryId);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  };

  return {
    async check(olds, news) {
      // The stack name and the import ID are the program's, not part of the job: not the dialect's to validate.
      const { [STACK_KEY]: stack, [IMPORT_KEY]: importId, ...job } = news;
      const r = dialect.check(job);
      const inputs = r.inputs;
      if (typeof stack === "string" || isUnknown(stack)) inputs[STACK_KEY] = stack;
      const imported = checkImport(importId, inputs, olds.inventoryId !== undefined);
      if (imported.id !== undefined) inputs[IMPORT_KEY] = imported.id;
      return { inputs, failures: [...r.failures, ...imported.failures] };
    },

    async diff(_id, olds, news) {
      const result = diffInventory(olds, news, dialect.replaceProperties, control);
      if (result.changes) {
        return result;
      }
      // Nothing changed in the program, but a change to this job was cut off (the provider process died
      // half-way): the cloud may hold anything, so let update put the declared configuration back.
      const address = olds as unknown as JobAddress;
      if (address.region && address.bucket && address.inventoryId) {
        const entry = env.journal().get(journalAddress(address));
        if (interrupted(entry?.pending)) {
          env.warn(
            `${dialect.typeName} ${where(address)}: a ${entry!.pending!.op} of this job was interrupted ` +
              `(process ${entry!.pending!.pid} stopped at ${entry!.pending!.since}); it will be written again.`,
          );
          return { ...result, changes: true };
        }
      }
      return result;
    },

    async create(inputs) {
      const job = jobProps(inputs, control);
      const props = job as unknown as Inputs;
      const api = dialect.api(props.region);
      const desired = dialect.toModel(props);
      const stack = text(inputs[STACK_KEY]);
      const claim = randomUUID();
      const outs = withControl(props, inputs, control);
      outs[CLAIM_KEY] = claim;
      await locked(props, async (journal) => {
        const address = journalAddress(props);
        const entry = journal.get(address);
        const existing = await read(api, props);
        if (inputs[IMPORT_KEY] !== undefined) {
          // The `import` option: take the job over as it is, never writing it.
          const bad = importIdFailure(inputs[IMPORT_KEY], props as unknown as Record<string, unknown>);
          if (bad) throw new Error(`${dialect.typeName}: ${bad.property}: ${bad.reason}`);
          if (existing === undefined) throw new Error(importMissingMessage(dialect.typeName, where(props)));
          const current = jobProps(
            dialect.fromModel(existing, props) as unknown as Record<string, unknown>,
            control,
          );
          const diffs = fieldDifferences(current, job);
          if (diffs.length > 0) throw new Error(importMismatchMessage(dialect.typeName, where(props), diffs));
          if (entry?.stack !== undefined && entry.stack !== stack) {
            env.warn(
              `${dialect.typeName} ${where(props)}: stack ${entry.stack} managed this job on this machine; ` +
                `this resource manages it now, and that stack's delete will leave it in place.`,
            );
          }
          journal.put({ ...entryFor(props, entry), stack: stack ?? entry?.stack, claim, pending: undefined });
          return;
        }
        if (existing === undefined) {
          journal.put({
            ...entryFor(props, entry),
            stack,
            claim,
            pending: pendingNow("create", { after: job }),
          });
          const started = Date.now();
          await undoIfRefused(journal, props, entry, async () => {
            try {
              await api.create(props.bucket, desired);
            } catch (e) {
              // A cloud that refuses existing ids answers 409 when a PUT of ours that timed out had landed
              // after all and the transport sent it again: the job is then exactly what we wrote.
              if (!(e instanceof CloudError && e.statusCode === 409)) throw e;
              const now = await read(api, props);
              if (
                now === undefined ||
                !same(dialect.fromModel(now, props) as unknown as Record<string, unknown>, job)
              ) {
                journal.remove(address);
                throw new Error(
                  `${dialect.typeName}: the inventory job ${where(props)} was created by another writer between this ` +
                    `resource's check and its write (${e.message}). This resource does not own it and was not recorded; ` +
                    `choose another "inventoryId", or set "adopt: true" to take it over.`,
                  { cause: e },
                );
              }
            }
          });
          const back = dialect.exclusiveCreate
            ? desired
            : await env.sleep(settleDelayMs(Date.now() - started)).then(() => read(api, props));
          if (
            back === undefined ||
            !same(dialect.fromModel(back, props) as unknown as Record<string, unknown>, job)
          ) {
            // Someone else wrote this id between our check and our write: it is theirs now.
            journal.remove(address);
            throw new Error(
              `${dialect.typeName}: the inventory job ${where(props)} was ` +
                `${back === undefined ? "deleted" : "overwritten with a different configuration"} by another writer ` +
                `right after this resource created it (another stack, script or console user creating the same id?). ` +
                `This resource does not own it and was not recorded. Check the job in the console, then either ` +
                `choose another "inventoryId" or, to take the job over, set "adopt: true".`,
            );
          }
        } else {
          const current = dialect.fromModel(existing, props) as unknown as Record<string, unknown>;
          const equal = same(current, job);
          // Ours when this stack's resource last created or managed it on this machine: an interrupted
          // create being retried, or a resource renamed in the program (its old name's delete comes later).
          const ours = stack !== undefined && entry?.stack === stack;
          if (!ours && inputs.adopt !== true) {
            throw new Error(
              `${dialect.typeName}: an inventory job ${where(props)} already exists` +
                `${equal ? "" : " with a different configuration"}, and this resource will not take over a job it ` +
                `did not create. If you renamed this resource, give it \`aliases: [{ name: "<old name>" }]\` so ` +
                `Pulumi moves it instead; to take the job over as it is, give the resource the option ` +
                `\`import: "${resourceId(props)}"\`, or to overwrite it, set "adopt: true" (see "Import" in the ` +
                `README); to keep it out of this stack, choose another "inventoryId".`,
            );
          }
          journal.put({
            ...entryFor(props, entry),
            stack: stack ?? entry?.stack,
            claim,
            pending: equal ? undefined : pendingNow("update", { before: current, after: job }),
          });
          if (!equal) {
            await undoIfRefused(journal, props, entry, () => api.update(props.bucket, desired));
            if (!ours) {
              outs[ADOPTED_KEY] = current;
              env.warn(
                `${dialect.typeName} ${where(props)}: adopt: true replaced the job's previous configuration; ` +
                  `it is kept in this resource's "${ADOPTED_KEY}" output.`,
              );
            }
          }
        }
        journal.put({ ...entryFor(props, journal.get(address)), pending: undefined });
      });
      return { id: resourceId(props), outs };
    },

    async read(id, props) {
      const address = parseResourceId(id) ?? (props as JobAddress | undefined);
      if (!address || !address.region || !address.bucket || !address.inventoryId) {
        throw new Error(
          `${dialect.typeName}: cannot read "${id}": the ID must be "<region>/<bucket>/<inventoryId>"`,
        );
      }
      const model = await read(dialect.api(address.region), address);
      if (model === undefined) {
        // Gone, so this resource manages nothing now: forget its claim, lest a later create take a job
        // someone else makes with this id for this stack's own, then drop it from state (empty ID).
        const entry = env.journal().get(journalAddress(address));
        if (entry?.claim !== undefined && entry.claim === props?.[CLAIM_KEY] && entry.pending === undefined) {
          env.journal().remove(journalAddress(address));
        }
        if (props?.[GET_KEY] === true) throw new Error(getMissingMessage(dialect.typeName, id));
        return { id: "", props: {} };
      }
      const current = dialect.fromModel(model, address) as unknown as Record<string, unknown>;
      const adopt = props?.adopt;
      const inputs = adopt === true ? { ...current, adopt } : { ...current };
      const outs: Record<string, unknown> = { ...inputs };
      for (const k of [CLAIM_KEY, ADOPTED_KEY]) {
        if (props?.[k] !== undefined) outs[k] = props[k];
      }
      return { id: resourceId(address), props: outs, inputs };
    },

    async update(_id, olds, news) {
      const job = jobProps(news, control);
      const props = job as unknown as Inputs;
      const claim = text(olds[CLAIM_KEY]) ?? randomUUID();
      await locked(props, async (journal) => {
        const address = journalAddress(props);
        const entry = journal.get(address);
        journal.put({
          ...entryFor(props, entry),
          stack: text(news[STACK_KEY]) ?? entry?.stack,
          claim,
          pending: pendingNow("update", { before: jobProps(olds, control), after: job }),
        });
        await undoIfRefused(journal, props, entry, () =>
          dialect.api(props.region).update(props.bucket, dialect.toModel(props)),
        );
        journal.put({ ...entryFor(props, journal.get(address)), pending: undefined });
      });
      const outs = withControl(props, news, control);
      outs[CLAIM_KEY] = claim;
      if (olds[ADOPTED_KEY] !== undefined) outs[ADOPTED_KEY] = olds[ADOPTED_KEY];
      return { outs };
    },

    async delete(_id, props) {
      const p = props as Inputs;
      await locked(p, async (journal) => {
        const address = journalAddress(p);
        const entry = journal.get(address);
        if (entry?.claim !== undefined && entry.claim !== props[CLAIM_KEY]) {
          // Another resource (this one's new name after a rename, or an adopting stack) manages the job now.
          env.warn(
            `${dialect.typeName} ${where(p)}: not deleted, because another resource` +
              `${entry.stack ? ` of stack ${entry.stack}` : ""} manages this job now (a renamed resource?). ` +
              `Only this resource's state entry is removed. If no other resource manages it (that stack's state ` +
              `was deleted, or it was imported here with \`pulumi import --file\`), run \`bucket-inventory journal ` +
              `--forget ${dialect.cloud}:${p.region}/${p.bucket}/${p.inventoryId}\` and delete the job in the ` +
              `console, or import it again and destroy.`,
          );
          return;
        }
        journal.put({
          ...entryFor(p, entry),
          pending: pendingNow("delete", { before: jobProps(props, control) }),
        });
        try {
          await dialect.api(p.region).delete(p.bucket, p.inventoryId);
        } catch (e) {
          // Already gone is what we wanted.
          if (!(e instanceof NotFoundError)) throw e;
        }
        journal.remove(address);
      });
    },
  };
}
