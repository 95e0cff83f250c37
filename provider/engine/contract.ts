/**
 * The contract between the shim kept in every stack's state (written by
 * `../resource/shim`) and the installed package's runtime (`./runtime`, the
 * `pulumi-bucket-inventory/runtime` subpath). Both sides import it from here,
 * so the program side never loads provider code to learn the names.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The clouds the runtime serves, by the name of their provider export. */
export type RuntimeKind = "cos" | "oss";

/**
 * Input carrying the `import` resource option's ID from the resource class to
 * the provider (see `./importing`); never diffed, never written to the cloud.
 */
export const IMPORT_KEY = "__import";

/**
 * Input marking the read of `BucketInventory.get` (see `./importing`), so a
 * missing job fails it instead of reading as gone.
 */
export const GET_KEY = "__get";

/** The runtime members serving one-shot runs (`cos.InventoryRun`, `oss.InventoryRun`), one per cloud. */
export type RunMember = `${RuntimeKind}Run`;

/** Every provider member of the runtime: the jobs' ({@link RuntimeKind}) and the runs' ({@link RunMember}). */
export type RuntimeMember = RuntimeKind | RunMember;

/** Input of a run naming its resource, the stem of a generated run id; never diffed. */
export const RUN_NAME_KEY = "__runName";

/** The package's runtime entry point, as the shim requires it. */
export const RUNTIME_MODULE = "pulumi-bucket-inventory/runtime";

/** The provider methods the shim forwards for one cloud's resources. */
export type RuntimeProvider = Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
>;

/**
 * What the runtime module exports: a `configure` for the provider process,
 * and one {@link RuntimeProvider} per cloud and resource under the name the
 * shim uses ({@link RuntimeMember}: `cos`, `oss` for jobs, `cosRun`, `ossRun`
 * for one-shot runs). Changing a member breaks every existing stack, so
 * members may be added but never removed.
 */
export type BucketInventoryRuntime = {
  /** Stores the stack config for later client creation (called once per provider process). */
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
} & { readonly [K in RuntimeMember]: RuntimeProvider };
