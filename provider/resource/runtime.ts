/**
 * What the serialized provider shim loads at run time (package subpath
 * `pulumi-bucket-inventory/runtime`): the configured provider implementations.
 *
 * One instance per provider process; `configure` stores the stack config, and
 * clients are made lazily per region so a preview never needs credentials.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CosInventoryClient } from "../clouds/cos/client";
import { parseCosEndpoint } from "../clouds/cos/endpoint";
import { CosInventoryConfiguration } from "../clouds/cos/model";
import {
  CosInventoryInputs,
  checkCosInputs,
  fromCosConfiguration,
  toCosConfiguration,
} from "../clouds/cos/schema";
import { OssInventoryClient, OssSignatureVersion } from "../clouds/oss/client";
import { parseOssEndpoint } from "../clouds/oss/endpoint";
import { OssInventoryConfiguration } from "../clouds/oss/model";
import {
  OssInventoryInputs,
  checkOssInputs,
  fromOssConfiguration,
  toOssConfiguration,
} from "../clouds/oss/schema";
import {
  COS_CREDENTIALS_HELP,
  ConfigSource,
  NO_CONFIG,
  OSS_CREDENTIALS_HELP,
  cosSettings,
  ossSettings,
} from "./settings";
import { EngineEnvironment, InventoryApi, InventoryDialect, inventoryProvider } from "./engine";
import { cancellation } from "./cancel";
import { FileJournal, Journal, journalDir } from "./journal";

/** Version of this runtime's contract with the shim. */
export const RUNTIME_VERSION = 1;

let config: ConfigSource = NO_CONFIG;
const cosClients = new Map<string, CosInventoryClient>();
const ossClients = new Map<string, OssInventoryClient>();

function cosClient(region: string): CosInventoryClient {
  let client = cosClients.get(region);
  if (!client) {
    const s = cosSettings(config);
    if (!s.keyId || !s.secret) {
      throw new Error(`cos.BucketInventory: ${COS_CREDENTIALS_HELP}`);
    }
    const creds = { secretId: s.keyId, secretKey: s.secret, securityToken: s.securityToken };
    client = new CosInventoryClient({
      credentials: creds,
      region,
      transport: { signal: cancellation() },
      endpoint: parseCosEndpoint(s.endpoint, "bucket-inventory:cosEndpoint"),
    });
    cosClients.set(region, client);
  }
  return client;
}

/** The COS dialect of the engine. */
export const cosDialect: InventoryDialect<CosInventoryInputs, CosInventoryConfiguration> = {
  typeName: "cos.BucketInventory",
  cloud: "cos",
  // COS overwrites on PUT, so nothing stops two writers creating one id at once.
  exclusiveCreate: false,
  endpointId: () => cosSettings(config).endpoint ?? "default",
  replaceProperties: ["region", "bucket", "inventoryId"],
  controlProperties: ["adopt"],
  check: (news) => checkCosInputs(news, { defaultRegion: cosSettings(config).region }),
  toModel: toCosConfiguration,
  fromModel: fromCosConfiguration,
  api(region): InventoryApi<CosInventoryConfiguration> {
    const c = cosClient(region);
    return {
      get: (bucket, id) => c.get(bucket, id),
      create: (bucket, model) => c.put(bucket, model),
      // COS overwrites on PUT, so an update is one request.
      update: (bucket, model) => c.put(bucket, model),
      delete: (bucket, id) => c.delete(bucket, id),
    };
  },
};

/** `v4` unless config `bucket-inventory:ossSignatureVersion` or env `BUCKET_INVENTORY_OSS_SIGNATURE_VERSION` says `v1`. */
function ossSignatureVersion(): OssSignatureVersion {
  const text = (
    config.get("bucket-inventory:ossSignatureVersion") ||
    process.env.BUCKET_INVENTORY_OSS_SIGNATURE_VERSION ||
    "v4"
  ).toLowerCase();
  if (text !== "v4" && text !== "v1") {
    throw new Error(
      `oss.BucketInventory: bucket-inventory:ossSignatureVersion is "${text}"; use "v4" (the default) or "v1"`,
    );
  }
  return text;
}

function ossClient(region: string): OssInventoryClient {
  let client = ossClients.get(region);
  if (!client) {
    const s = ossSettings(config);
    if (!s.keyId || !s.secret) {
      throw new Error(`oss.BucketInventory: ${OSS_CREDENTIALS_HELP}`);
    }
    client = new OssInventoryClient({
      credentials: { accessKeyId: s.keyId, accessKeySecret: s.secret, securityToken: s.securityToken },
      region,
      transport: { signal: cancellation() },
      endpoint: parseOssEndpoint(s.endpoint, "bucket-inventory:ossEndpoint"),
      signatureVersion: ossSignatureVersion(),
    });
    ossClients.set(region, client);
  }
  return client;
}

/** The OSS dialect of the engine. */
export const ossDialect: InventoryDialect<OssInventoryInputs, OssInventoryConfiguration> = {
  typeName: "oss.BucketInventory",
  cloud: "oss",
  // OSS answers 409 to a PUT on an existing id.
  exclusiveCreate: true,
  endpointId: () => ossSettings(config).endpoint ?? "default",
  replaceProperties: ["region", "bucket", "inventoryId"],
  controlProperties: ["adopt"],
  check: (news) => checkOssInputs(news, { defaultRegion: ossSettings(config).region }),
  toModel: toOssConfiguration,
  fromModel: fromOssConfiguration,
  api(region): InventoryApi<OssInventoryConfiguration> {
    const c = ossClient(region);
    return {
      get: (bucket, id) => c.get(bucket, id),
      create: (bucket, model) => c.put(bucket, model),
      // OSS refuses a PUT on an existing id: replace() deletes and puts, restoring on failure.
      update: (bucket, model) => c.replace(bucket, model),
      delete: (bucket, id) => c.delete(bucket, id),
    };
  },
};

/** Stores the stack config for later client creation (called once per provider process). */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  void import("./watchdog").then((w) => w.watchEngine()); // exit with the engine; no-op outside providers
  config = req.config;
  cosClients.clear();
  ossClients.clear();
}

let journal: Journal | undefined;

/** The journal, the provider's stderr (which the engine shows) for warnings, and the real clock. */
const environment: EngineEnvironment = {
  journal: () => (journal ??= new FileJournal(journalDir())),
  warn: (message) => console.error(`warning: ${message}`),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The COS provider methods. */
export const cos = inventoryProvider(cosDialect, environment);

/** The OSS provider methods. */
export const oss = inventoryProvider(ossDialect, environment);
