/**
 * The run dialects of both clouds (see `./run`), over the same checks and
 * clients as the jobs (`./dialects`), so credentials, endpoints and regions
 * come from the same settings.
 *
 * - COS: `POST /?inventory&id=<runId>`; the cloud keeps nothing to delete,
 *   so deleting the resource sends no request.
 * - OSS has no POST: a run is a configuration with `Frequency` `Once`. Create
 *   reads the id first and refuses when any configuration holds it (never
 *   overwriting a user's job), then PUTs (OSS itself refuses an existing id).
 *   With `autoDelete: true` (the default) OSS deletes the configuration after
 *   the run and deleting the resource sends no request; with `false` the
 *   configuration stays until the resource is deleted, which deletes it only
 *   while it is still the `Once` configuration the run wrote.
 */
import type { CosInventoryRun } from "../clouds/cos/model";
import { type CosInventoryInputs, toCosConfiguration } from "../clouds/cos/schema";
import type { OssInventoryConfiguration } from "../clouds/oss/model";
import { type OssInventoryInputs, toOssConfiguration } from "../clouds/oss/schema";
import { NotFoundError, type ValidationFailure } from "../core/errors";
import { isUnknown } from "../core/unknown";
import type { CloudDialects } from "./dialects";
import type { InventoryDialect } from "./engine";
import { type JobAddress, jsonEqual } from "./job";
import type { RunDialect, RunResult } from "./run";

/** A valid id lent to the job check when the run's id is left to be generated. */
const PLACEHOLDER_ID = "run";

/** The job arguments a run fixes: it is enabled and has no schedule of its own. */
const NEUTRAL_PERIODIC = { enabled: true, schedule: { frequency: "Daily" } };

/**
 * The job check of `dialect` over a run's declaration: the periodic parts are
 * lent (and dropped again), as is an id when none is declared; `extra` are
 * the cloud's own run arguments, judged by the caller.
 */
function checkRun(
  dialect: InventoryDialect<JobAddress, unknown>,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: ValidationFailure[] } {
  const declaredId = news.inventoryId !== undefined && news.inventoryId !== null;
  const r = dialect.check({
    ...news,
    ...NEUTRAL_PERIODIC,
    inventoryId: declaredId ? news.inventoryId : PLACEHOLDER_ID,
  });
  const { enabled: _e, schedule: _s, adopt: _a, ...inputs } = r.inputs;
  if (!declaredId) delete inputs.inventoryId;
  return { inputs, failures: r.failures };
}

/** `<prefix>/` or nothing. */
const folder = (prefix: unknown): string => (typeof prefix === "string" && prefix !== "" ? `${prefix}/` : "");

/** `YYYYMMDD` of `now` in China Standard Time (UTC+8), the day COS dates a report's folder by. */
function chinaDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");
}

/** The COS run dialect. */
export function cosRunDialect(dialects: CloudDialects): RunDialect {
  const typeName = "cos.InventoryRun";
  return {
    typeName,
    deleteBeforeReplace: false,
    check: (news) => checkRun(dialects.cos as InventoryDialect<JobAddress, unknown>, news),
    async start(inputs, runId, now): Promise<RunResult> {
      const job = { ...inputs, ...NEUTRAL_PERIODIC, inventoryId: runId } as unknown as CosInventoryInputs;
      const { isEnabled: _e, schedule: _s, ...rest } = toCosConfiguration(job);
      const run: CosInventoryRun = rest;
      const { jobId } = await dialects.withClient.cos(job.region, (c) => c.postRun(job.bucket, run));
      // Reports go to <prefix>/<appid>/<bucket name without appid>/<id>/<YYYYMMDD>/ (docs/protocol.md).
      const cut = job.bucket.lastIndexOf("-");
      const reportPrefix = `${folder(job.destination.prefix)}${job.bucket.slice(cut + 1)}/${job.bucket.slice(0, cut)}/${runId}/`;
      return {
        runId,
        jobId,
        reportBucket: job.destination.bucket,
        reportPrefix,
        manifestKey: `${reportPrefix}${chinaDay(now)}/manifest.json`,
      };
    },
    // COS keeps no configuration for a run: nothing to delete.
    finish: async () => {},
  };
}

/** The `Once` configuration an OSS run writes. */
function onceConfiguration(inputs: Record<string, unknown>, runId: string): OssInventoryConfiguration {
  const job = { ...inputs, ...NEUTRAL_PERIODIC, inventoryId: runId } as unknown as OssInventoryInputs;
  const cfg = toOssConfiguration(job);
  cfg.schedule = { frequency: "Once", autoDelete: inputs.autoDelete !== false };
  return cfg;
}

/** The OSS run dialect. */
export function ossRunDialect(dialects: CloudDialects): RunDialect {
  const typeName = "oss.InventoryRun";
  return {
    typeName,
    // A leftover configuration of the old run (autoDelete: false) may hold the id the new run needs.
    deleteBeforeReplace: true,
    check(news) {
      const { autoDelete, ...job } = news;
      const r = checkRun(dialects.oss as InventoryDialect<JobAddress, unknown>, job);
      const failures = [...r.failures];
      if (autoDelete === undefined || autoDelete === null) {
        r.inputs.autoDelete = true;
      } else if (typeof autoDelete === "boolean" || isUnknown(autoDelete)) {
        r.inputs.autoDelete = autoDelete;
      } else {
        failures.push({
          property: "autoDelete",
          reason:
            "autoDelete must be true (OSS deletes the one-shot configuration after the run) or false (it stays until this resource is deleted)",
        });
      }
      return { inputs: r.inputs, failures };
    },
    async start(inputs, runId): Promise<RunResult> {
      const cfg = onceConfiguration(inputs, runId);
      const region = String(inputs.region);
      const bucket = String(inputs.bucket);
      const existing = await dialects.withClient
        .oss(region, (c) => c.get(bucket, runId))
        .catch((e: unknown) => {
          if (e instanceof NotFoundError) return undefined;
          throw e;
        });
      if (existing !== undefined) {
        throw new Error(
          `${typeName}: bucket "${bucket}" (${region}) already has an inventory configuration "${runId}" ` +
            `(frequency ${existing.schedule.frequency}); a run never overwrites or deletes it. Leave "inventoryId" ` +
            `out (each run then gets a fresh id) or choose another; if it is a run's leftover you no longer need, ` +
            `delete it first.`,
        );
      }
      await dialects.withClient.oss(region, (c) => c.put(bucket, cfg));
      // OSS writes reports to <prefix>/<bucket>/<id>/<YYYY-MM-DDTHH-MMZ>/ (docs/protocol.md).
      return {
        runId,
        reportBucket: cfg.destination.bucket,
        reportPrefix: `${folder(cfg.destination.prefix)}${bucket}/${runId}/`,
      };
    },
    async finish(props, warn) {
      // With autoDelete OSS removes the configuration itself; deleting it before the run would cancel the run.
      if (props.autoDelete !== false || typeof props.runId !== "string") return;
      const region = String(props.region);
      const bucket = String(props.bucket);
      const runId = props.runId;
      let now: OssInventoryConfiguration;
      try {
        now = await dialects.withClient.oss(region, (c) => c.get(bucket, runId));
      } catch (e) {
        if (e instanceof NotFoundError) return;
        throw e;
      }
      if (!jsonEqual(now, onceConfiguration(props, props.runId))) {
        warn(
          `${typeName}: the inventory configuration "${props.runId}" on bucket "${bucket}" (${region}) is no ` +
            `longer the one-shot configuration this run wrote; it is left alone.`,
        );
        return;
      }
      await dialects.withClient
        .oss(region, (c) => c.delete(bucket, runId))
        .catch((e: unknown) => {
          if (!(e instanceof NotFoundError)) throw e;
        });
    },
  };
}
