/**
 * One provider process's runtime: the stack config `configure` received, the
 * clients made from it, and the engine providers of both clouds. The state
 * lives in the closure of {@link createRuntime}, not in module variables, so
 * tests can make as many independent runtimes as they like and nothing
 * carries credentials from one runtime to another.
 */
import { tracked } from "./cancel";
import type { BucketInventoryRuntime, RuntimeProvider } from "./contract";
import { cloudDialects } from "./dialects";
import { type EngineEnvironment, inventoryProvider } from "./engine";
import { runProvider } from "./run";
import { cosRunDialect, ossRunDialect } from "./run-dialects";
import { FileJournal, type Journal, journalDir } from "./journal";
import { type ConfigSource, NO_CONFIG } from "./settings";

/** The journal under {@link journalDir}, the provider's stderr (which the engine shows) for warnings, and the real clock. */
function processEnvironment(): EngineEnvironment {
  let journal: Journal | undefined;
  return {
    journal: () => (journal ??= new FileJournal(journalDir())),
    warn: (message) => console.error(`warning: ${message}`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** `provider` with every method {@link tracked}, so a stop signal lets calls running answer before exiting. */
function trackedProvider(provider: RuntimeProvider): RuntimeProvider {
  return {
    check: (...args) => tracked(() => provider.check(...args)),
    diff: (...args) => tracked(() => provider.diff(...args)),
    create: (...args) => tracked(() => provider.create(...args)),
    read: (...args) => tracked(() => provider.read(...args)),
    update: (...args) => tracked(() => provider.update(...args)),
    delete: (...args) => tracked(() => provider.delete(...args)),
  };
}

/**
 * Makes a runtime. `configure` stores the stack config and drops clients
 * built from an earlier one; clients are made lazily per region, so a
 * preview never needs credentials. `environment` defaults to the provider
 * process's own (file journal, stderr, real clock).
 */
export function createRuntime(environment: EngineEnvironment = processEnvironment()): BucketInventoryRuntime {
  let config: ConfigSource = NO_CONFIG;
  const dialects = cloudDialects(() => config);
  return {
    async configure(req) {
      void import("./watchdog").then((w) => w.watchEngine()); // exit with the engine; no-op outside providers
      config = req.config;
      dialects.resetClients();
    },
    cos: trackedProvider(inventoryProvider(dialects.cos, environment)),
    oss: trackedProvider(inventoryProvider(dialects.oss, environment)),
    cosRun: trackedProvider(runProvider(cosRunDialect(dialects), environment)),
    ossRun: trackedProvider(runProvider(ossRunDialect(dialects), environment)),
  };
}
