/**
 * Resource names for imported jobs: valid, stable (the same job always gets
 * the same name, whatever else is imported with it) and unique.
 */
import { createHash } from "crypto";
import type { JobRef } from "./job";

/** Characters kept as they are in a name: the job id rule's. */
const SAFE_ID = /^[A-Za-z0-9._-]+$/;

/**
 * The resource name of a job: `<bucket>.<inventoryId>`. Bucket names hold no
 * `.` on either cloud (lower-case letters, digits and `-`), so the first `.`
 * splits the two parts unambiguously, and names differing only in case stay
 * distinct (Pulumi names are case-sensitive). An id with other characters has
 * them replaced by `_` and gets `~` plus a hash of the exact id, so two such
 * ids never meet each other or a plain id (`~` is never part of one). The
 * cloud is in the resource type, so a COS and an OSS job may share a name.
 */
export function resourceName(ref: Pick<JobRef, "bucket" | "inventoryId">): string {
  if (SAFE_ID.test(ref.inventoryId)) return `${ref.bucket}.${ref.inventoryId}`;
  const hash = createHash("sha256").update(ref.inventoryId, "utf8").digest("hex").slice(0, 12);
  const readable = ref.inventoryId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
  return `${ref.bucket}.${readable}~${hash}`;
}
