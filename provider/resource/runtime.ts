/**
 * What the serialized provider shim loads at run time (package subpath
 * `pulumi-bucket-inventory/runtime`). Every stack's state depends on this
 * module across package versions, so it exports exactly the members of
 * {@link BucketInventoryRuntime} and nothing else; the shim in `shim.ts`
 * calls only those.
 *
 * One instance per provider process; `configure` stores the stack config, and
 * clients are made lazily per region so a preview never needs credentials.
 */
import type * as pulumi from "@pulumi/pulumi";
import { cloudDialects } from "./dialects";
import { type EngineEnvironment, inventoryProvider } from "./engine";
import { FileJournal, type Journal, journalDir } from "./journal";
import { type ConfigSource, NO_CONFIG } from "./settings";
import type { RuntimeKind } from "./shim";

/** The provider methods the shim forwards for one cloud's resources. */
export type RuntimeProvider = Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
>;

/**
 * The contract between the shim kept in state and the installed package: a
 * `configure` for the provider process, and one {@link RuntimeProvider} per
 * cloud under the name the shim uses ({@link RuntimeKind}). Changing a member
 * breaks every existing stack, so members may be added but never removed.
 */
export type BucketInventoryRuntime = {
  /** Stores the stack config for later client creation (called once per provider process). */
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
} & { readonly [K in RuntimeKind]: RuntimeProvider };

let config: ConfigSource = NO_CONFIG;
const dialects = cloudDialects(() => config);
let journal: Journal | undefined;

/** The journal, the provider's stderr (which the engine shows) for warnings, and the real clock. */
const environment: EngineEnvironment = {
  journal: () => (journal ??= new FileJournal(journalDir())),
  warn: (message) => console.error(`warning: ${message}`),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Stores the stack config for later client creation (called once per provider process). */
export const configure: BucketInventoryRuntime["configure"] = async (req) => {
  void import("./watchdog").then((w) => w.watchEngine()); // exit with the engine; no-op outside providers
  config = req.config;
  dialects.resetClients();
};

/** The COS provider methods. */
export const cos: BucketInventoryRuntime["cos"] = inventoryProvider(dialects.cos, environment);

/** The OSS provider methods. */
export const oss: BucketInventoryRuntime["oss"] = inventoryProvider(dialects.oss, environment);
