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
import { COS_CREDENTIALS_HELP, ConfigSource, NO_CONFIG, cosSettings } from "./settings";
import { InventoryApi, InventoryDialect, inventoryProvider } from "./engine";

/** Version of this runtime's contract with the shim. */
export const RUNTIME_VERSION = 1;

let config: ConfigSource = NO_CONFIG;
const cosClients = new Map<string, CosInventoryClient>();

function cosClient(region: string): CosInventoryClient {
  let client = cosClients.get(region);
  if (!client) {
    const s = cosSettings(config);
    if (!s.secretId || !s.secretKey) {
      throw new Error(`cos.BucketInventory: ${COS_CREDENTIALS_HELP}`);
    }
    const creds = { secretId: s.secretId, secretKey: s.secretKey, securityToken: s.securityToken };
    client = new CosInventoryClient({
      credentials: creds,
      region,
      endpoint: parseCosEndpoint(s.endpoint, "bucket-inventory:cosEndpoint"),
    });
    cosClients.set(region, client);
  }
  return client;
}

/** The COS dialect of the engine. */
export const cosDialect: InventoryDialect<CosInventoryInputs, CosInventoryConfiguration> = {
  typeName: "cos.BucketInventory",
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

/** Stores the stack config for later client creation (called once per provider process). */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  config = req.config;
  cosClients.clear();
}

/** The COS provider methods. */
export const cos = inventoryProvider(cosDialect);
