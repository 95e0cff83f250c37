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
import type { InventoryDialect, JobAddress } from "./engine";
import { defaultRegion } from "./region";
import {
  COS_CREDENTIALS_HELP,
  type CloudSettings,
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
  /** The clients the dialects use, one per region (for what the dialects do not cover: one-shot runs). */
  readonly clients: {
    /** The COS client for `region`. */
    cos(region: string): CosInventoryClient;
    /** The OSS client for `region`. */
    oss(region: string): OssInventoryClient;
  };
  /** Forgets the cached clients, so the next call builds them from the current config. */
  resetClients(): void;
}

/** Settings whose key pair was found. */
type Credentialed = CloudSettings & { keyId: string; secret: string };

/** What the engine calls on a cloud's client: both clients' `get`, `put` and `delete`. */
interface JobClient<Model> {
  /** Reads a job; rejects with `NotFoundError` when it does not exist. */
  get(bucket: string, id: string): Promise<Model>;
  /** Writes a job. */
  put(bucket: string, model: Model): Promise<void>;
  /** Deletes a job; rejects with `NotFoundError` when it does not exist. */
  delete(bucket: string, id: string): Promise<void>;
}

/** What one cloud plugs into {@link pluggedDialect}. */
interface CloudPlug<Inputs extends JobAddress, Model, Client extends JobClient<Model>> {
  /** The cloud. */
  kind: RuntimeKind;
  /** See {@link InventoryDialect.exclusiveCreate}. */
  exclusiveCreate: boolean;
  /** The cloud's settings from a config source (and the environment). */
  settings(config: ConfigSource): CloudSettings;
  /** What to say when no key pair is found. */
  credentialsHelp: string;
  /** The cloud's schema check, given args whose region is already defaulted. */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ValidationFailure[] };
  /** See {@link InventoryDialect.toModel}. */
  toModel(inputs: Inputs): Model;
  /** See {@link InventoryDialect.fromModel}. */
  fromModel(model: Model, address: JobAddress): Inputs;
  /** A client for `region` (with the process's cancellation signal). */
  client(s: Credentialed, region: string, config: ConfigSource, signal: AbortSignal): Client;
  /** Changes an existing job (see `InventoryApi.update` in ./engine); creating is always `put`. */
  update(client: Client, bucket: string, model: Model): Promise<void>;
}

/** A dialect around `plug`, with its clients cached per region until `reset`. */
function pluggedDialect<Inputs extends JobAddress, Model, Client extends JobClient<Model>>(
  plug: CloudPlug<Inputs, Model, Client>,
  config: () => ConfigSource,
): { dialect: InventoryDialect<Inputs, Model>; client(region: string): Client; reset(): void } {
  const typeName = `${plug.kind}.BucketInventory`;
  const clients = new Map<string, Client>();
  function client(region: string): Client {
    let c = clients.get(region);
    if (!c) {
      const s = plug.settings(config());
      if (!s.keyId || !s.secret) {
        throw new Error(`${typeName}: ${plug.credentialsHelp}`);
      }
      c = plug.client({ ...s, keyId: s.keyId, secret: s.secret }, region, config(), cancellation());
      clients.set(region, c);
    }
    return c;
  }
  const dialect: InventoryDialect<Inputs, Model> = {
    typeName,
    cloud: plug.kind,
    exclusiveCreate: plug.exclusiveCreate,
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
        get: (bucket, id) => c.get(bucket, id),
        create: (bucket, model) => c.put(bucket, model),
        update: (bucket, model) => plug.update(c, bucket, model),
        delete: (bucket, id) => c.delete(bucket, id),
      };
    },
  };
  return { dialect, client, reset: () => clients.clear() };
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
  credentialsHelp: COS_CREDENTIALS_HELP,
  check: (news) => checkCosInputs(news),
  toModel: toCosConfiguration,
  fromModel: fromCosConfiguration,
  client: (s, region, _config, signal) =>
    new CosInventoryClient({
      credentials: { secretId: s.keyId, secretKey: s.secret, securityToken: s.securityToken },
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
  credentialsHelp: OSS_CREDENTIALS_HELP,
  check: (news) => checkOssInputs(news),
  toModel: toOssConfiguration,
  fromModel: fromOssConfiguration,
  client: (s, region, config, signal) =>
    new OssInventoryClient({
      credentials: { accessKeyId: s.keyId, accessKeySecret: s.secret, securityToken: s.securityToken },
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
    clients: { cos: cos.client, oss: oss.client },
    resetClients() {
      cos.reset();
      oss.reset();
    },
  };
}
