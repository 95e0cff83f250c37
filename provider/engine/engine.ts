/**
 * The cloud-neutral inventory resource engine: check, diff, create, read,
 * update and delete over a dialect (one per cloud). It runs in the dynamic
 * provider process, loaded at run time by the thin shim kept in state.
 * Create lives in `./create`, the steps operations share in `./steps`, and
 * refresh reads by the page in `./reads`.
 */
import { randomUUID } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError } from "../core/errors";
import { isUnknown } from "../core/unknown";
import { GET_KEY, IMPORT_KEY } from "./contract";
import { createJob } from "./create";
import type { EngineEnvironment, InventoryDialect } from "./dialect";
import { checkImport, getMissingMessage } from "./importing";
import { type JobAddress, jsonEqual, parseResourceId, resourceId } from "./job";
import { interrupted, pendingNow } from "./journal";
import { ADOPTED_KEY, CLAIM_KEY, INTERNAL_KEYS, STACK_KEY, jobProps, text, withControl } from "./props";
import { engineSteps } from "./steps";

export type { JobAddress } from "./job";
export type { EngineEnvironment, InventoryApi, InventoryDialect } from "./dialect";
export { ADOPTED_KEY, CLAIM_KEY, STACK_KEY, refused } from "./props";
export { settleDelayMs } from "./steps";

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

/** Builds the dynamic-provider methods for a dialect. */
export function inventoryProvider<Inputs extends JobAddress, Model>(
  dialect: InventoryDialect<Inputs, Model>,
  env: EngineEnvironment,
): Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
> {
  const control = dialect.controlProperties;
  const steps = engineSteps(dialect, env);
  const { where, journalAddress, entryFor, locked, undoIfRefused } = steps;

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

    create: (inputs) => createJob(steps, inputs),

    async read(id, props) {
      const address = parseResourceId(id) ?? (props as JobAddress | undefined);
      if (!address || !address.region || !address.bucket || !address.inventoryId) {
        throw new Error(
          `${dialect.typeName}: cannot read "${id}": the ID must be "<region>/<bucket>/<inventoryId>"`,
        );
      }
      const model = await steps.refreshRead(address);
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
      steps.wrote(props);
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
      steps.wrote(p);
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
