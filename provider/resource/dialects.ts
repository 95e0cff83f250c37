/**
 * The engine dialects of both clouds as the provider process runs them: each
 * cloud's schema, codec and client plugged into {@link InventoryDialect}.
 *
 * Stack config is read through a getter at call time, and clients are made
 * lazily, one per region, so that a preview never needs credentials.
 */
import { CosInventoryClient } from "../clouds/cos/client";
import { parseCosEndpoint } from "../clouds/cos/endpoint";
import type { CosInventoryConfiguration } from "../clouds/cos/model";
import {
  type CosInventoryInputs,
  checkCosInputs,
  fromCosConfiguration,
  toCosConfiguration,
} from "../clouds/cos/schema";
import { OssInventoryClient, type OssSignatureVersion } from "../clouds/oss/client";
import { parseOssEndpoint } from "../clouds/oss/endpoint";
import type { OssInventoryConfiguration } from "../clouds/oss/model";
import {
  type OssInventoryInputs,
  checkOssInputs,
  fromOssConfiguration,
  toOssConfiguration,
} from "../clouds/oss/schema";
import { cancellation } from "./cancel";
import type { InventoryApi, InventoryDialect } from "./engine";
import {
  COS_CREDENTIALS_HELP,
  type ConfigSource,
  OSS_CREDENTIALS_HELP,
  cosSettings,
  ossSettings,
} from "./settings";

/** Properties whose change replaces a job on either cloud: they are its address. */
const REPLACE_PROPERTIES: readonly string[] = ["region", "bucket", "inventoryId"];

/** Properties that steer the provider and are never part of the job. */
const CONTROL_PROPERTIES: readonly string[] = ["adopt"];

/** Both clouds' dialects, sharing one config source and client caches. */
export interface CloudDialects {
  /** The COS dialect. */
  readonly cos: InventoryDialect<CosInventoryInputs, CosInventoryConfiguration>;
  /** The OSS dialect. */
  readonly oss: InventoryDialect<OssInventoryInputs, OssInventoryConfiguration>;
  /** Forgets the cached clients, so the next call builds them from the current config. */
  resetClients(): void;
}

/** `v4` unless config `bucket-inventory:ossSignatureVersion` or env `BUCKET_INVENTORY_OSS_SIGNATURE_VERSION` says `v1`. */
function ossSignatureVersion(config: ConfigSource): OssSignatureVersion {
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

/**
 * Builds the dialects of both clouds. `config` is called whenever settings are
 * needed, so a later `configure` is seen once {@link CloudDialects.resetClients}
 * has dropped clients built from the earlier one.
 */
export function cloudDialects(config: () => ConfigSource): CloudDialects {
  const cosClients = new Map<string, CosInventoryClient>();
  const ossClients = new Map<string, OssInventoryClient>();

  function cosClient(region: string): CosInventoryClient {
    let client = cosClients.get(region);
    if (!client) {
      const s = cosSettings(config());
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

  function ossClient(region: string): OssInventoryClient {
    let client = ossClients.get(region);
    if (!client) {
      const s = ossSettings(config());
      if (!s.keyId || !s.secret) {
        throw new Error(`oss.BucketInventory: ${OSS_CREDENTIALS_HELP}`);
      }
      client = new OssInventoryClient({
        credentials: { accessKeyId: s.keyId, accessKeySecret: s.secret, securityToken: s.securityToken },
        region,
        transport: { signal: cancellation() },
        endpoint: parseOssEndpoint(s.endpoint, "bucket-inventory:ossEndpoint"),
        signatureVersion: ossSignatureVersion(config()),
      });
      ossClients.set(region, client);
    }
    return client;
  }

  const cos: CloudDialects["cos"] = {
    typeName: "cos.BucketInventory",
    cloud: "cos",
    // COS overwrites on PUT, so nothing stops two writers creating one id at once.
    exclusiveCreate: false,
    endpointId: () => cosSettings(config()).endpoint ?? "default",
    replaceProperties: REPLACE_PROPERTIES,
    controlProperties: CONTROL_PROPERTIES,
    check: (news) => checkCosInputs(news, { defaultRegion: cosSettings(config()).region }),
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

  const oss: CloudDialects["oss"] = {
    typeName: "oss.BucketInventory",
    cloud: "oss",
    // OSS answers 409 to a PUT on an existing id.
    exclusiveCreate: true,
    endpointId: () => ossSettings(config()).endpoint ?? "default",
    replaceProperties: REPLACE_PROPERTIES,
    controlProperties: CONTROL_PROPERTIES,
    check: (news) => checkOssInputs(news, { defaultRegion: ossSettings(config()).region }),
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

  return {
    cos,
    oss,
    resetClients() {
      cosClients.clear();
      ossClients.clear();
    },
  };
}
