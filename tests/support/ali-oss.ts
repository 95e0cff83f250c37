// The official OSS SDK, ali-oss 6.23.0, loadable under jest, with the slice of
// its (untyped) API our tests use.
//
// ali-oss ships each TypeScript source next to its compiled .js, and our jest
// config resolves "ts" before "js", so its internal `require("./x")` would
// load the untranspiled .ts (ESM syntax) and fail. Importing this module points
// every such module at its compiled sibling (what Node itself loads) with
// `jest.mock`, then loads the SDK. Import it before anything else that could
// load ali-oss. The mappings are registered in the importing test file's module
// registry (jest's mocks are per test file), so every test file that needs
// ali-oss imports this module.
import * as fs from "fs";
import * as path from "path";

/** `Encryption` as putBucketInventory takes it and formatInventoryConfig gives it back. */
export type AliEncryption = { "SSE-OSS": "" } | { "SSE-KMS": { keyId: string } };

/** `OSSBucketDestination` without its encryption, the same going in and coming back. */
export interface AliDestination {
  format: string;
  accountId: string;
  rolename: string;
  bucket: string;
  prefix?: string;
}

/** The camelCase input putBucketInventory takes. */
export interface AliInventoryInput {
  id: string;
  isEnabled: boolean;
  prefix?: string;
  OSSBucketDestination: AliDestination & { encryption?: AliEncryption };
  frequency: string;
  includedObjectVersions: string;
  optionalFields?: { field: string[] };
}

/** What formatInventoryConfig makes of a parsed configuration. */
export interface AliInventoryView {
  id: string;
  isEnabled: boolean | string;
  prefix?: string;
  OSSBucketDestination: AliDestination & {
    encryption?: { "SSE-OSS"?: string; "SSE-KMS"?: { keyId: string } } | string;
  };
  frequency: string;
  schedule: unknown;
  includedObjectVersions: string;
  optionalFields?: { field: string[] };
}

/** What ali-oss hands its HTTP layer (`urllib.request`). */
export interface AliRequestParams {
  method: string;
  content?: string;
  headers: Record<string, string>;
}

/** What ali-oss expects back from its HTTP layer. */
export interface AliResponse {
  status: number;
  headers: Record<string, string>;
  data: Buffer;
  res: { status: number; headers: Record<string, string> };
}

/** The error ali-oss rejects with (built by its `requestError`). */
export interface AliError extends Error {
  code?: string;
  status?: number;
  requestId?: string;
  hostId?: string;
  ecCode?: string;
}

/** The raw response ali-oss returns next to a call's result. */
export interface AliRes {
  status: number;
  headers: Record<string, string>;
}

/** The inventory calls of an ali-oss client. */
export interface AliClient {
  urllib: { request(url: string, params: AliRequestParams): Promise<AliResponse> };
  putBucketInventory(bucket: string, inventory: AliInventoryInput): Promise<{ status: number; res: AliRes }>;
  getBucketInventory(
    bucket: string,
    id: string,
  ): Promise<{ status: number; res: AliRes; inventory: AliInventoryView }>;
  deleteBucketInventory(bucket: string, id: string): Promise<{ status: number; res: AliRes }>;
  listBucketInventory(
    bucket: string,
    options?: { continuationToken?: string },
  ): Promise<{
    status: number;
    res: AliRes;
    isTruncated: boolean;
    nextContinuationToken?: string;
    inventoryList?: AliInventoryView[];
  }>;
}

/** The constructor options of ali-oss this project uses. */
export interface AliOssOptions {
  /** Endpoint-style region, e.g. `oss-cn-hangzhou`; V4 signs it without the `oss-` prefix. */
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket?: string;
  /** `http(s)://host[:port]`; with an IP host ali-oss keeps the virtual-host `Host` header. */
  endpoint?: string;
  secure?: boolean;
  cname?: boolean;
  /** Path-style: `/<bucket>/` in the path instead of the host name. */
  sldEnable?: boolean;
  /** Sign with `OSS4-HMAC-SHA256` instead of V1. */
  authorizationV4?: boolean;
  stsToken?: string;
  /** Milliseconds added to the local clock when dating requests. */
  amendTimeSkewed?: number;
  timeout?: number;
}

(function useCompiledAliOss(): void {
  const lib = path.join(path.dirname(require.resolve("ali-oss/package.json")), "lib");
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : [p];
    });
  for (const file of walk(lib)) {
    if (!file.endsWith(".ts") || file.endsWith(".d.ts")) continue;
    const compiled = file.replace(/\.ts$/, ".js");
    if (fs.existsSync(compiled)) jest.mock(file, () => jest.requireActual(compiled));
  }
})();

/** The ali-oss client constructor. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const AliOss = require("ali-oss") as new (options: AliOssOptions) => AliClient;
