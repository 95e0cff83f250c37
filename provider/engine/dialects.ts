/**
 * The engine dialects of both clouds as the provider process runs them: each
 * cloud's schema, codec and client plugged into {@link InventoryDialect}.
 *
 * Stack config is read through a getter at call time, and clients are made
 * lazily, one per region, so that a preview never needs credentials. What
 * differs between the clouds is a {@link CloudPlug}; {@link pluggedDialect}
 * builds the dialect around it once.
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
import type { ValidationFailure } from "../core/errors";
import { cancellation } from "./cancel";
import type { RuntimeKind } from "./contract";
import type { InventoryDialect } from "./dialect";
import type { JobAddress } from "./job";
import { INVENTORY_MAX_CONFIGURATIONS, INVENTORY_PAGE_SIZE } from "../clouds/common/rules";
import { defaultRegion } from "./region";
import { RefreshingKeyPair } from "../credentials/common/cache";
import { isStaleKeyError, staleKeyHint } from "../credentials/common/stale-key";
import type { KeyPair, KeyPairProvider } from "../credentials/common/types";
import {
  type CloudSettings,
  type ConfigSource,
  cosCredentials,
  cosSettings,
  ossCredentials,
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
  /** Read-only access to each cloud's jobs, with the dialects' clients and credentials (for the CLI). */
  readonly readers: {
    readonly cos: (region: string) => JobReader<CosInventoryConfiguration>;
    readonly oss: (region: string) => JobReader<OssInventoryConfiguration>;
  };
  /**
   * Runs `op` on a cloud's client for `region` with fresh credentials and the
   * stale-key hint, as the dialects' own calls (for what they do not cover:
   * one-shot runs).
   */
  readonly withClient: {
    readonly cos: <T>(region: string, op: (c: CosInventoryClient) => Promise<T>) => Promise<T>;
    readonly oss: <T>(region: string, op: (c: OssInventoryClient) => Promise<T>) => Promise<T>;
  };
  /** Forgets the cached clients, so the next call builds them from the current config. */
  resetClients(): void;
}

/** Reads one cloud's jobs in one region; only GET and list requests. */
export interface JobReader<Model> {
  /** Reads a job; rejects with `NotFoundError` when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /** Every job on `bucket`, all pages. */
  list(bucket: string): Promise<Model[]>;
}

/** What the engine calls on a cloud's client: both clients' `get`, `put`, `delete` and `list`. */
interface JobClient<Model> {
  /** Reads a job; rejects with `NotFoundError` when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /** Writes a job. */
  put(bucket: string, model: Model): Promise<void>;
  /** Deletes a job; rejects with `NotFoundError` when it does not exist. */
  delete(bucket: string, id: string): Promise<void>;
  /** Every job on a bucket, all pages. */
  list(bucket: string): Promise<Model[]>;
}

/** How both clouds list a bucket (see `InventoryDialect.listing`). */
const LISTING = {
  maxPages: Math.ceil(INVENTORY_MAX_CONFIGURATIONS / INVENTORY_PAGE_SIZE),
  pageSize: INVENTORY_PAGE_SIZE,
} as const;

/** What one cloud plugs into {@link pluggedDialect}. */
interface CloudPlug<
  Inputs extends JobAddress,
  Model extends { id: string },
  Client extends JobClient<Model>,
> {
  /** The cloud. */
  kind: RuntimeKind;
  /** See {@link InventoryDialect.exclusiveCreate}. */
  exclusiveCreate: boolean;
  /** The cloud's settings from a config source (and the environment). */
  settings(config: ConfigSource): CloudSettings;
  /** The cloud's credential chain's choice for a config source (and the environment, files). */
  credentials(config: ConfigSource): KeyPairProvider;
  /** The cloud's schema check, given args whose region is already defaulted. */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ValidationFailure[] };
  /** See {@link InventoryDialect.toModel}. */
  toModel(inputs: Inputs): Model;
  /** See {@link InventoryDialect.fromModel}. */
  fromModel(model: Model, address: JobAddress): Inputs;
  /**
   * A client for `region` (with the process's cancellation signal); `keys`
   * is called on every request and returns the pair fetched just before.
   */
  client(
    s: CloudSettings,
    keys: () => KeyPair,
    region: string,
    config: ConfigSource,
    signal: AbortSignal,
  ): Client;
  /** Changes an existing job (see `InventoryApi.update` in ./engine); creating is always `put`. */
  update(client: Client, bucket: string, model: Model): Promise<void>;
}

/** A dialect around `plug`, with its clients cached per region until `reset`. */
function pluggedDialect<
  Inputs extends JobAddress,
  Model extends { id: string },
  Client extends JobClient<Model>,
>(
  plug: CloudPlug<Inputs, Model, Client>,
  config: () => ConfigSource,
): {
  dialect: InventoryDialect<Inputs, Model>;
  reader(region: string): JobReader<Model>;
  withClient<T>(region: string, op: (c: Client) => Promise<T>): Promise<T>;
  reset(): void;
} {
  const typeName = `${plug.kind}.BucketInventory`;
  const clients = new Map<string, Client>();
  let keys: RefreshingKeyPair | undefined;
  function keyPair(): RefreshingKeyPair {
    if (!keys) {
      try {
        keys = new RefreshingKeyPair(plug.credentials(config()));
      } catch (err) {
        throw new Error(`${typeName}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
    return keys;
  }
  function client(region: string): Client {
    let c = clients.get(region);
    if (!c) {
      const k = keyPair();
      c = plug.client(plug.settings(config()), () => k.current(), region, config(), cancellation());
      clients.set(region, c);
    }
    return c;
  }
  /**
   * Runs `op` with fresh credentials (temporary ones are refreshed before
   * they expire, one fetch shared by concurrent calls). A signature or key
   * refusal of credentials from stack config gets the stale-key hint.
   */
  async function withKeys<T>(op: () => Promise<T>): Promise<T> {
    const k = keyPair();
    try {
      await k.get(cancellation());
      return await op();
    } catch (err) {
      if (k.provider.fromStackConfig && isStaleKeyError(err)) err.message += staleKeyHint(k.provider.source);
      throw err;
    }
  }
  const dialect: InventoryDialect<Inputs, Model> = {
    typeName,
    cloud: plug.kind,
    exclusiveCreate: plug.exclusiveCreate,
    listing: LISTING,
    endpointId: () => plug.settings(config()).endpoint ?? "default",
    replaceProperties: REPLACE_PROPERTIES,
    controlProperties: CONTROL_PROPERTIES,
    check(news) {
      // A region the program could not default comes from the provider's config or env (see ./region).
      const region = defaultRegion(news.region, () => plug.settings(config()).region);
      return plug.check(region === undefined ? news : { ...news, region });
    },
    toModel: (inputs) => plug.toModel(inputs),
    fromModel: (model, address) => plug.fromModel(model, address),
    api(region) {
      const c = client(region);
      return {
        get: (bucket, id) => withKeys(() => c.get(bucket, id)),
        create: (bucket, model) => withKeys(() => c.put(bucket, model)),
        update: (bucket, model) => withKeys(() => plug.update(c, bucket, model)),
        delete: (bucket, id) => withKeys(() => c.delete(bucket, id)),
        list: (bucket) =>
          withKeys(async () => (await c.list(bucket)).map((model) => ({ id: model.id, model }))),
      };
    },
  };
  return {
    dialect,
    reader(region) {
      const c = client(region);
      return {
        get: (bucket, id) => withKeys(() => c.get(bucket, id)),
        list: (bucket) => withKeys(() => c.list(bucket)),
      };
    },
    withClient: (region, op) => withKeys(() => op(client(region))),
    reset: () => {
      clients.clear();
      keys = undefined;
    },
  };
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

const COS_PLUG: CloudPlug<CosInventoryInputs, CosInventoryConfiguration, CosInventoryClient> = {
  kind: "cos",
  // COS overwrites on PUT, so nothing stops two writers creating one id at once.
  exclusiveCreate: false,
  settings: cosSettings,
  credentials: cosCredentials,
  check: (news) => checkCosInputs(news),
  toModel: toCosConfiguration,
  fromModel: fromCosConfiguration,
  client: (s, keys, region, _config, signal) =>
    new CosInventoryClient({
      credentials: () => {
        const k = keys();
        return { secretId: k.keyId, secretKey: k.secret, securityToken: k.token };
      },
      region,
      transport: { signal },
      endpoint: parseCosEndpoint(s.endpoint, "bucket-inventory:cosEndpoint"),
    }),
  // COS overwrites on PUT, so an update is one request.
  update: (c, bucket, model) => c.put(bucket, model),
};

const OSS_PLUG: CloudPlug<OssInventoryInputs, OssInventoryConfiguration, OssInventoryClient> = {
  kind: "oss",
  // OSS answers 409 to a PUT on an existing id.
  exclusiveCreate: true,
  settings: ossSettings,
  credentials: ossCredentials,
  check: (news) => checkOssInputs(news),
  toModel: toOssConfiguration,
  fromModel: fromOssConfiguration,
  client: (s, keys, region, config, signal) =>
    new OssInventoryClient({
      credentials: () => {
        const k = keys();
        return { accessKeyId: k.keyId, accessKeySecret: k.secret, securityToken: k.token };
      },
      region,
      transport: { signal },
      endpoint: parseOssEndpoint(s.endpoint, "bucket-inventory:ossEndpoint"),
      signatureVersion: ossSignatureVersion(config),
    }),
  // OSS refuses a PUT on an existing id: replace() deletes and puts, restoring on failure.
  update: (c, bucket, model) => c.replace(bucket, model),
};

/**
 * Builds the dialects of both clouds. `config` is called whenever settings are
 * needed, so a later `configure` is seen once {@link CloudDialects.resetClients}
 * has dropped clients built from the earlier one.
 */
export function cloudDialects(config: () => ConfigSource): CloudDialects {
  const cos = pluggedDialect(COS_PLUG, config);
  const oss = pluggedDialect(OSS_PLUG, config);
  return {
    cos: cos.dialect,
    oss: oss.dialect,
    readers: { cos: cos.reader, oss: oss.reader },
    withClient: { cos: cos.withClient, oss: oss.withClient },
    resetClients() {
      cos.reset();
      oss.reset();
    },
  };
}
