/**
 * The engine's create: make a job that does not exist, take over one the
 * `import` option names, or meet one that exists (this stack's own after an
 * interruption or a rename, `adopt: true`, or a refusal).
 *
 * Requests per created job: on a cloud that refuses a taken id (OSS, 409),
 * one PUT, because the PUT is itself the check that the id is free and there
 * is no window between check and write; a 409 is then read and judged as a
 * job found existing. On a cloud that overwrites (COS), a GET first (so an
 * existing job is never overwritten), the PUT, and a read-back after
 * {@link settleDelayMs} (so a concurrent writer's overwrite shows): three.
 */
import { randomUUID } from "crypto";
import { CloudError } from "../core/errors";
import { IMPORT_KEY } from "./contract";
import type { InventoryApi } from "./dialect";
import { importIdFailure, importMismatchMessage, importMissingMessage } from "./importing";
import { type JobAddress, fieldDifferences, resourceId } from "./job";
import { type Journal, type JournalEntry, pendingNow } from "./journal";
import { ADOPTED_KEY, CLAIM_KEY, STACK_KEY, jobProps, takenBeforeCreate, text, withControl } from "./props";
import { type EngineSteps, settleDelayMs } from "./steps";

/** What one create works on, worked out once. */
interface CreateContext<Inputs extends JobAddress, Model> {
  steps: EngineSteps<Inputs, Model>;
  inputs: Record<string, unknown>;
  /** The job's props (inputs without control and bookkeeping props). */
  job: Record<string, unknown>;
  props: Inputs;
  api: InventoryApi<Model>;
  desired: Model;
  stack: string | undefined;
  claim: string;
  journal: Journal;
  /** The journal entry before this create touched it. */
  entry: JournalEntry | undefined;
  /** Outputs; the adopt path adds to them. */
  outs: Record<string, unknown>;
}

/** Creates (or takes over) the job `inputs` declare; the dynamic provider's `create`. */
export async function createJob<Inputs extends JobAddress, Model>(
  steps: EngineSteps<Inputs, Model>,
  inputs: Record<string, unknown>,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const { dialect } = steps;
  const job = jobProps(inputs, dialect.controlProperties);
  const props = job as unknown as Inputs;
  const claim = randomUUID();
  const outs = withControl(props, inputs, dialect.controlProperties);
  outs[CLAIM_KEY] = claim;
  steps.wrote(props);
  await steps.locked(props, async (journal) => {
    const ctx: CreateContext<Inputs, Model> = {
      steps,
      inputs,
      job,
      props,
      api: dialect.api(props.region),
      desired: dialect.toModel(props),
      stack: text(inputs[STACK_KEY]),
      claim,
      journal,
      entry: journal.get(steps.journalAddress(props)),
      outs,
    };
    if (inputs[IMPORT_KEY] !== undefined) {
      await takeOver(ctx);
      return;
    }
    // Where the cloud refuses taken ids, the PUT is the check; elsewhere a GET must come first.
    const found = dialect.exclusiveCreate ? undefined : await steps.get(ctx.api, props);
    const existing = found ?? (await createNew(ctx));
    if (existing !== undefined) await meetExisting(ctx, existing);
    journal.put({ ...steps.entryFor(props, journal.get(steps.journalAddress(props))), pending: undefined });
  });
  return { id: resourceId(props), outs };
}

/** The job as normalized inputs. */
function currentOf<Inputs extends JobAddress, Model>(
  ctx: CreateContext<Inputs, Model>,
  model: Model,
): Record<string, unknown> {
  return ctx.steps.dialect.fromModel(model, ctx.props) as unknown as Record<string, unknown>;
}

/** The `import` option: take the job over as it is, never writing it. */
async function takeOver<Inputs extends JobAddress, Model>(ctx: CreateContext<Inputs, Model>): Promise<void> {
  const { steps, props, journal, entry, stack } = ctx;
  const typeName = steps.dialect.typeName;
  const bad = importIdFailure(ctx.inputs[IMPORT_KEY], props as unknown as Record<string, unknown>);
  if (bad) throw new Error(`${typeName}: ${bad.property}: ${bad.reason}`);
  const existing = await steps.get(ctx.api, props);
  if (existing === undefined) throw new Error(importMissingMessage(typeName, steps.where(props)));
  const current = jobProps(currentOf(ctx, existing), steps.dialect.controlProperties);
  const diffs = fieldDifferences(current, ctx.job);
  if (diffs.length > 0) throw new Error(importMismatchMessage(typeName, steps.where(props), diffs));
  if (entry?.stack !== undefined && entry.stack !== stack) {
    steps.env.warn(
      `${typeName} ${steps.where(props)}: stack ${entry.stack} managed this job on this machine; ` +
        `this resource manages it now, and that stack's delete will leave it in place.`,
    );
  }
  journal.put({
    ...steps.entryFor(props, entry),
    stack: stack ?? entry?.stack,
    claim: ctx.claim,
    pending: undefined,
  });
}

/**
 * Writes the job, announced in the journal first. Resolves with `undefined`
 * once it is ours, or with the job that already held the id when an
 * exclusive cloud refused the first send (the journal entry is then as it
 * was).
 */
async function createNew<Inputs extends JobAddress, Model>(
  ctx: CreateContext<Inputs, Model>,
): Promise<Model | undefined> {
  const { steps, props, journal, entry, job } = ctx;
  const { dialect } = steps;
  const address = steps.journalAddress(props);
  journal.put({
    ...steps.entryFor(props, entry),
    stack: ctx.stack,
    claim: ctx.claim,
    pending: pendingNow("create", { after: job }),
  });
  const started = Date.now();
  try {
    await steps.undoIfRefused(journal, props, entry, () => ctx.api.create(props.bucket, ctx.desired));
  } catch (e) {
    if (!(e instanceof CloudError && e.statusCode === 409)) throw e;
    const now = await steps.get(ctx.api, props);
    if (takenBeforeCreate(e)) {
      // The id was taken before we wrote (undoIfRefused has put the entry back); a 409 with no job is some other refusal.
      if (now === undefined) throw e;
      return now;
    }
    // A 409 to a retry: our earlier send may have landed, and then the job is exactly what we wrote.
    if (now === undefined || !steps.same(currentOf(ctx, now), job)) {
      journal.remove(address);
      throw new Error(
        `${dialect.typeName}: the inventory job ${steps.where(props)} was created by another writer between this ` +
          `resource's check and its write (${e.message}). This resource does not own it and was not recorded; ` +
          `choose another "inventoryId", or set "adopt: true" to take it over.`,
        { cause: e },
      );
    }
    return undefined;
  }
  if (dialect.exclusiveCreate) return undefined;
  await steps.env.sleep(settleDelayMs(Date.now() - started));
  const back = await steps.get(ctx.api, props);
  if (back === undefined || !steps.same(currentOf(ctx, back), job)) {
    // Someone else wrote this id between our check and our write: it is theirs now.
    journal.remove(address);
    throw new Error(
      `${dialect.typeName}: the inventory job ${steps.where(props)} was ` +
        `${back === undefined ? "deleted" : "overwritten with a different configuration"} by another writer ` +
        `right after this resource created it (another stack, script or console user creating the same id?). ` +
        `This resource does not own it and was not recorded. Check the job in the console, then either ` +
        `choose another "inventoryId" or, to take the job over, set "adopt: true".`,
    );
  }
  return undefined;
}

/**
 * A job already holds the id: keep it when it is this stack's own (an
 * interrupted create being retried, or a renamed resource), overwrite it
 * with `adopt: true`, refuse otherwise.
 */
async function meetExisting<Inputs extends JobAddress, Model>(
  ctx: CreateContext<Inputs, Model>,
  existing: Model,
): Promise<void> {
  const { steps, props, journal, entry, stack, job } = ctx;
  const { dialect } = steps;
  const current = currentOf(ctx, existing);
  const equal = steps.same(current, job);
  // Ours when this stack's resource last created or managed it on this machine. A create of ours that was
  // cut off makes it ours only if the job is what that create wrote: on a cloud that refuses taken ids, the
  // cut-off PUT may have been refused because someone else's job held the id.
  const cutOffCreate = entry?.pending?.op === "create" ? entry.pending.after : undefined;
  const ours =
    stack !== undefined &&
    entry?.stack === stack &&
    (cutOffCreate === undefined || steps.same(current, cutOffCreate));
  if (!ours && ctx.inputs.adopt !== true) {
    throw new Error(
      `${dialect.typeName}: an inventory job ${steps.where(props)} already exists` +
        `${equal ? "" : " with a different configuration"}, and this resource will not take over a job it ` +
        `did not create. If you renamed this resource, give it \`aliases: [{ name: "<old name>" }]\` so ` +
        `Pulumi moves it instead; to take the job over as it is, give the resource the option ` +
        `\`import: "${resourceId(props)}"\`, or to overwrite it, set "adopt: true" (see "Import" in the ` +
        `README); to keep it out of this stack, choose another "inventoryId".`,
    );
  }
  journal.put({
    ...steps.entryFor(props, entry),
    stack: stack ?? entry?.stack,
    claim: ctx.claim,
    pending: equal ? undefined : pendingNow("update", { before: current, after: job }),
  });
  if (equal) return;
  await steps.undoIfRefused(journal, props, entry, () => ctx.api.update(props.bucket, ctx.desired));
  if (!ours) {
    ctx.outs[ADOPTED_KEY] = current;
    steps.env.warn(
      `${dialect.typeName} ${steps.where(props)}: adopt: true replaced the job's previous configuration; ` +
        `it is kept in this resource's "${ADOPTED_KEY}" output.`,
    );
  }
}
