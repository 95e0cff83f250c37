/**
 * What the serialized provider shim loads at run time (package subpath
 * `pulumi-bucket-inventory/runtime`). Every stack's state depends on this
 * module across package versions, so at run time it exports exactly the
 * members of {@link BucketInventoryRuntime} and nothing else; the shim in
 * `../resource/shim` calls only those. One runtime per provider process (see
 * `./instance`).
 */
import type { BucketInventoryRuntime } from "./contract";
import { createRuntime } from "./instance";

export type { BucketInventoryRuntime, RuntimeProvider } from "./contract";

const runtime = createRuntime();

/** Stores the stack config for later client creation (called once per provider process). */
export const configure: BucketInventoryRuntime["configure"] = (req) => runtime.configure(req);

/** The COS provider methods. */
export const cos: BucketInventoryRuntime["cos"] = runtime.cos;

/** The OSS provider methods. */
export const oss: BucketInventoryRuntime["oss"] = runtime.oss;

/** The COS one-shot run methods (`cos.InventoryRun`). */
export const cosRun: BucketInventoryRuntime["cosRun"] = runtime.cosRun;

/** The OSS one-shot run methods (`oss.InventoryRun`). */
export const ossRun: BucketInventoryRuntime["ossRun"] = runtime.ossRun;
