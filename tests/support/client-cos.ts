/**
 * The COS side of the client integration suites: the emulator's bucket and
 * keys, jobs that use every field of the model, and our client pointed at a
 * base URL in either endpoint mode.
 */
import { CosInventoryClient, type CosClientOptions } from "../../provider/clouds/cos/client";
import { parseCosEndpoint } from "../../provider/clouds/cos/endpoint";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { FILTER_PREFIX, REPORT_PREFIX, type Mode } from "./client-emulator";

export const BUCKET = "examplebucket-1250000000";
export const OTHER_BUCKET = "inventorybucket-1250000000";
export const REGION = "ap-guangzhou";
export const VHOST = `${BUCKET}.cos.${REGION}.myqcloud.com`;
export const AK = "AKIDCLIENTTESTEXAMPLE";
export const SK = "client-test-secret-key";

export const START = 1_700_000_000;
export const END = 1_800_000_000;
export const ALL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "Tag",
  "Crc64",
  "x-cos-meta-owner",
];

/** A job using every field of the model: Weekly, all versions, prefix + tags + period, SSE-COS. */
export function fullConfig(id: string): CosInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Weekly" },
    filter: {
      prefix: FILTER_PREFIX,
      tags: [
        { key: "team", value: "data & <ops>" },
        { key: "env", value: "prod" },
      ],
      period: { startTime: START, endTime: END },
    },
    optionalFields: [...ALL_FIELDS],
    destination: {
      format: "CSV",
      accountId: "100000000001",
      bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`,
      prefix: REPORT_PREFIX,
      encryption: "SSE-COS",
    },
  };
}

/** The other values of the enumerations: disabled, Daily, current versions only. */
export function dailyConfig(id: string): CosInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    includedObjectVersions: "Current",
    schedule: { frequency: "Daily" },
    filter: { prefix: FILTER_PREFIX },
    optionalFields: ["Size", "x-cos-meta-owner"],
    destination: { format: "CSV", bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`, prefix: REPORT_PREFIX },
  };
}

/** Our client pointed at `baseUrl` (the emulator or a recorder in front of it). */
export function ourClient(baseUrl: string, mode: Mode = "path", extra: Partial<CosClientOptions> = {}) {
  return new CosInventoryClient({
    credentials: { secretId: AK, secretKey: SK },
    region: REGION,
    endpoint: parseCosEndpoint(mode === "connect" ? `connect+${baseUrl}` : baseUrl),
    transport: { baseDelayMs: 1 },
    ...extra,
  });
}
