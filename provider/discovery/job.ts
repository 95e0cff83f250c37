/**
 * A job as the discovery commands (`bucket-inventory list | import | status`)
 * see it: its address, and its configuration read from the cloud, normalized
 * by the same schema code the resource's `check` runs, so what is written to
 * state and to the program is exactly what the program's `check` produces.
 */
import type { CosInventoryConfiguration } from "../clouds/cos/model";
import { checkCosInputs, fromCosConfiguration } from "../clouds/cos/schema";
import type { OssInventoryConfiguration } from "../clouds/oss/model";
import { checkOssInputs, fromOssConfiguration } from "../clouds/oss/schema";
import type { ValidationFailure } from "../core/errors";
import type { RuntimeKind } from "../engine/contract";
import { isDeepStrictEqual } from "util";

/** Where a job lives and what it is called. */
export interface JobRef {
  /** The cloud. */
  cloud: RuntimeKind;
  /** Region of the source bucket (normalized, e.g. `cn-hangzhou`). */
  region: string;
  /** Source bucket. */
  bucket: string;
  /** Job id, exactly as the cloud has it. */
  inventoryId: string;
}

/** A job's configuration as one cloud's client returns it. */
export type CloudJob =
  { cloud: "cos"; model: CosInventoryConfiguration } | { cloud: "oss"; model: OssInventoryConfiguration };

/** A job read from the cloud, normalized. */
export interface NormalizedJob extends JobRef {
  /**
   * The normalized configuration as refresh would record it (`from*Configuration`),
   * `schemaVersion` included.
   */
  read: Record<string, unknown>;
  /** The resource arguments to declare: {@link NormalizedJob.read} without `schemaVersion`. */
  args: Record<string, unknown>;
  /** What `check` makes of {@link NormalizedJob.args}: the inputs and outputs to import. */
  inputs: Record<string, unknown>;
  /** Why the job cannot be managed by this package as it is (empty when it can). */
  failures: ValidationFailure[];
}

/** The resource ID of a job: `<region>/<bucket>/<inventoryId>` (as the engine forms it). */
export function jobResourceId(ref: Pick<JobRef, "region" | "bucket" | "inventoryId">): string {
  return `${ref.region}/${ref.bucket}/${ref.inventoryId}`;
}

/** A key naming a job uniquely across clouds, for maps and messages. */
export function jobKey(ref: JobRef): string {
  return `${ref.cloud} ${jobResourceId(ref)}`;
}

/**
 * Normalizes a job read from the cloud: `from*Configuration` (what refresh
 * records), then the cloud's `check` over it as a program would declare it.
 * A job `check` refuses (an id outside the rule, a value past a limit), or one
 * whose checked form differs from what the cloud holds (it would show a change
 * on every preview), gets {@link NormalizedJob.failures}.
 */
export function normalizeJob(job: CloudJob, address: { region: string; bucket: string }): NormalizedJob {
  const read: Record<string, unknown> =
    job.cloud === "cos"
      ? { ...fromCosConfiguration(job.model, address) }
      : { ...fromOssConfiguration(job.model, { ...address, inventoryId: job.model.id }) };
  const { schemaVersion: _version, ...args } = read;
  const checked = job.cloud === "cos" ? checkCosInputs(args) : checkOssInputs(args);
  const failures = [...checked.failures];
  if (failures.length === 0 && !isDeepStrictEqual(checked.inputs, read)) {
    failures.push({
      property: "(job)",
      reason:
        "reads back from the cloud in a form this package does not write, so it would show a change on every " +
        "preview; declare it by hand (see the README's Import section)",
    });
  }
  return {
    cloud: job.cloud,
    region: address.region,
    bucket: address.bucket,
    inventoryId: job.model.id,
    read,
    args,
    inputs: checked.inputs,
    failures,
  };
}
