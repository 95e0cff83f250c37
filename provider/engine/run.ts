/**
 * The cloud-neutral engine of one-shot inventory runs (`cos.InventoryRun`,
 * `oss.InventoryRun`): a run happens on create, every change of its inputs
 * (its configuration or its `triggers`) replaces it, which runs it again,
 * and refresh reads nothing (a run is a past event, not a thing to drift).
 * What a run does on its cloud, and what its delete does, is the cloud's
 * {@link RunDialect} (see `./run-dialects`).
 */
import { randomBytes } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ValidationFailure } from "../core/errors";
import { isUnknown } from "../core/unknown";
import { RUN_NAME_KEY, type RuntimeProvider } from "./contract";
import { type EngineEnvironment, containsUnknown } from "./engine";
import { jsonEqual } from "./job";

/** The outputs a run adds to its inputs: what it started and where its report goes. Never diffed. */
export const RUN_RESULT_KEYS: readonly string[] = [
  "runId",
  "jobId",
  "startedAt",
  "reportBucket",
  "reportPrefix",
  "manifestKey",
];

/** Inputs of the job engine that a run does not take, and why (named in check's failure). */
const NOT_RUN_ARGUMENTS: Readonly<Record<string, string>> = {
  enabled: "a one-shot run has no on/off switch",
  schedule: "a one-shot run runs once, when it is created (use BucketInventory for a schedule)",
  adopt: "a run takes nothing over",
};

/** Keys the engine keeps in state besides the declaration: never diffed. */
const INTERNAL_KEYS = new Set(["__provider", RUN_NAME_KEY, ...RUN_RESULT_KEYS]);

/** What a started run reports. */
export interface RunResult {
  /** The id the run was submitted under (COS: the `id` of the POST; OSS: the `Once` configuration's id). */
  runId: string;
  /** The service's id of the run, when it gives one (COS `JobId`). */
  jobId?: string;
  /** The bucket the report is written to, as the cloud names it. */
  reportBucket: string;
  /** The key prefix under which the report's folder appears. */
  reportPrefix: string;
  /** The expected key of the report's manifest, when it can be known in advance. */
  manifestKey?: string;
}

/** One cloud's part of the run engine. */
export interface RunDialect {
  /** Public type name for messages, e.g. `cos.InventoryRun`. */
  typeName: string;
  /**
   * Validates and normalizes the run's declaration (no network): the cloud's
   * job check, with the run's own arguments (`triggers` excluded: they are
   * judged here).
   */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ValidationFailure[] };
  /** Starts the run with id `runId` over checked inputs. */
  start(inputs: Record<string, unknown>, runId: string, now: Date): Promise<RunResult>;
  /** What deleting the run does on the cloud (COS: nothing). */
  finish(props: Record<string, unknown>, warn: (message: string) => void): Promise<void>;
  /** Whether a replacement deletes the old run first (OSS: its leftover configuration may hold the id). */
  deleteBeforeReplace: boolean;
}

/** Longest run id the clouds accept. */
const RUN_ID_MAX = 64;

/**
 * A fresh run id `<stem>-<YYYYMMDDhhmmss>-<4 hex>`: COS refuses an id used the
 * same day, so every run gets its own. The stem is the resource name with
 * characters outside `a-z A-Z 0-9 - _ .` replaced by `-`, shortened to fit 64.
 */
export function generatedRunId(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const suffix = `-${stamp}-${randomBytes(2).toString("hex")}`;
  const stem = (name.replace(/[^a-zA-Z0-9._-]/g, "-") || "run").slice(0, RUN_ID_MAX - suffix.length);
  return `${stem}${suffix}`;
}

/**
 * Diffs a run's recorded outputs against its checked inputs: any change of
 * the declaration or the triggers replaces the run (so it runs again);
 * results and internal keys are never compared; unknown values count as changes.
 */
export function diffRun(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  deleteBeforeReplace: boolean,
): pulumi.dynamic.DiffResult {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const replaces = [...keys].filter(
    (k) => !INTERNAL_KEYS.has(k) && (containsUnknown(news[k]) || !jsonEqual(olds[k], news[k])),
  );
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace };
}

/** Checks `triggers`: absent, or a list (of anything, compared as JSON). */
function checkTriggers(triggers: unknown): ValidationFailure[] {
  if (triggers === undefined || triggers === null || Array.isArray(triggers) || isUnknown(triggers))
    return [];
  return [
    {
      property: "triggers",
      reason:
        "triggers must be a list of values (e.g. [release.version]); a change of any of them runs the inventory again",
    },
  ];
}

/** The dynamic-provider methods of a run resource over `dialect`. */
export function runProvider(dialect: RunDialect, env: Pick<EngineEnvironment, "warn">): RuntimeProvider {
  return {
    async check(_olds, news) {
      const { triggers, [RUN_NAME_KEY]: name, ...job } = news;
      const refused: ValidationFailure[] = Object.entries(NOT_RUN_ARGUMENTS)
        .filter(([k]) => job[k] !== undefined && job[k] !== null)
        .map(([k, why]) => ({
          property: k,
          reason: `${k} is not an argument of ${dialect.typeName}: ${why}; remove it`,
        }));
      for (const k of Object.keys(NOT_RUN_ARGUMENTS)) delete job[k];
      const r = dialect.check(job);
      const inputs: Record<string, unknown> = { ...r.inputs };
      if (triggers !== undefined && triggers !== null) inputs.triggers = triggers;
      if (typeof name === "string") inputs[RUN_NAME_KEY] = name;
      return { inputs, failures: [...refused, ...checkTriggers(triggers), ...r.failures] };
    },

    async diff(_id, olds, news) {
      return diffRun(olds, news, dialect.deleteBeforeReplace);
    },

    async create(inputs) {
      const now = new Date();
      const declared = typeof inputs.inventoryId === "string" ? inputs.inventoryId : undefined;
      const name = typeof inputs[RUN_NAME_KEY] === "string" ? (inputs[RUN_NAME_KEY] as string) : "run";
      const runId = declared ?? generatedRunId(name, now);
      const result = await dialect.start(inputs, runId, now);
      const outs: Record<string, unknown> = { ...inputs, ...result, startedAt: now.toISOString() };
      return { id: `${String(inputs.region)}/${String(inputs.bucket)}/${runId}`, outs };
    },

    async read(id, props) {
      // A run is a past event: nothing in the cloud describes it for long, so refresh keeps what was recorded.
      return { id, props: props ?? {} };
    },

    async update() {
      // diffRun replaces on every change, so the engine never asks for an update.
      throw new Error(
        `${dialect.typeName}: a run is never updated in place; this is a bug, please report it`,
      );
    },

    async delete(_id, props) {
      await dialect.finish(props, env.warn);
    },
  };
}
