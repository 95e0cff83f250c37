/**
 * The COS one-shot inventory run in the emulator: `POST /?inventory&id=<id>`
 * with a configuration body that has no `IsEnabled` and no `Schedule`.
 *
 * After the signature and bucket checks of every COS request:
 * 1. no or empty `id` → 400 `InvalidArgument`; Content-MD5 as on PUT (400
 *    `MissingContentMD5` / `InvalidDigest` / `BadDigest`);
 * 2. unparsable XML, a required element missing, or `IsEnabled` / `Schedule`
 *    present → 400 `MalformedXML`; body `Id` ≠ URL id or a rule broken → 400
 *    `InvalidArgument` naming the field(s);
 * 3. the id of a periodic job of the bucket, or an id already run on this
 *    bucket the same UTC day (server clock) → 409 `DuplicateInventoryTask`
 *    (COS documents a "duplicate" error without its code: the code is ours,
 *    see docs/protocol.md "One-shot runs");
 * 4. success: 200 `<PostInventoryResult><JobId>…</JobId></PostInventoryResult>`.
 *
 * Runs are kept in the store under their own namespace ({@link COS_RUN_NAMESPACE},
 * id `<id>@<JobId>`), so `GET /_emulator/jobs` shows them; no report is written
 * (the emulator has no objects), and they neither count towards the
 * 1,000-job limit nor appear in `GET /?inventory` (COS lists periodic jobs only).
 */
import { randomBytes } from "crypto";
import { decodeInventoryRun, encodeInventoryRun, encodePostInventoryResult } from "../../clouds/cos/codec";
import type { CosInventoryConfiguration } from "../../clouds/cos/model";
import type { EmulatorResponse } from "../contract";
import { DialectReply, checkContentMd5, failureText, okReply } from "./common";
import { type OperationCall, decodeRequestBody, requireIdParam } from "./inventory";

/** The store namespace of COS one-shot runs. */
export const COS_RUN_NAMESPACE = "cos-run";

/** The error code the emulator answers a reused run id with (COS documents none). */
export const COS_DUPLICATE_RUN_CODE = "DuplicateInventoryTask";

/** The UTC day (`YYYY-MM-DD`) of an ISO time or epoch ms. */
function utcDay(t: string | number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** POST /?inventory&id= : checks the body and the id, then records the run and answers its JobId. */
export async function postInventoryRun(
  call: OperationCall<CosInventoryConfiguration>,
): Promise<EmulatorResponse> {
  const { spec, req, ctx, bucket } = call;
  const id = requireIdParam(req, spec.idParam);
  checkContentMd5(req, spec.md5);
  const run = decodeRequestBody(req, decodeInventoryRun, spec.malformedXml);
  // The periodic parts are not the run's: judge the rest with the job rules over neutral ones.
  const failures = spec.failures({ ...run, isEnabled: true, schedule: { frequency: "Daily" } }, id);
  if (failures.length > 0) {
    throw new DialectReply(
      400,
      "InvalidArgument",
      `Invalid inventory configuration: ${failureText(failures)}`,
    );
  }
  if (ctx.store.get(bucket, spec.name, id) !== undefined) {
    throw new DialectReply(
      409,
      COS_DUPLICATE_RUN_CODE,
      `The id "${id}" belongs to a periodic inventory job of this bucket; a one-shot inventory needs another id`,
    );
  }
  const today = utcDay(ctx.now());
  const earlier = ctx.store
    .list(bucket, COS_RUN_NAMESPACE)
    .find((r) => r.id.startsWith(`${id}@`) && utcDay(r.updated) === today);
  if (earlier !== undefined) {
    throw new DialectReply(
      409,
      COS_DUPLICATE_RUN_CODE,
      `A one-shot inventory with the id "${id}" already ran on this bucket today (${today}, UTC); use another id`,
    );
  }
  const jobId = randomBytes(16).toString("hex");
  await ctx.store.put(
    bucket,
    { dialect: COS_RUN_NAMESPACE, id: `${id}@${jobId}`, body: encodeInventoryRun(run) },
    { now: new Date(ctx.now()) },
  );
  return okReply(spec.replies, 200, ctx.now(), encodePostInventoryResult({ jobId }));
}
