/**
 * The OSS side of the client integration suites: the emulator's bucket and
 * keys, jobs that use every field of the model (and the other enumeration
 * values, and only the required parts), and our client pointed at a base URL
 * with either signature version in either endpoint mode.
 */
import {
  OssInventoryClient,
  type OssClientOptions,
  type OssSignatureVersion,
} from "../../provider/clouds/oss/client";
import { parseOssEndpoint } from "../../provider/clouds/oss/endpoint";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { OSS_OPTIONAL_FIELDS } from "../../provider/clouds/oss/rules";
import { FILTER_PREFIX, REPORT_PREFIX, SPECIAL, type Mode } from "./client-emulator";

export const BUCKET = "examplebucket";
export const DEST_BUCKET = "destination-bucket";
export const REGION = "cn-hangzhou";
export const VHOST = `${BUCKET}.oss-${REGION}.aliyuncs.com`;
export const ACCOUNT = "1000000000000000";
export const AK = "LTAI5tOssClientTestKey";
export const SK = "oss-client-test-access-key-secret";

export const REQUEST_ID = /^[0-9A-F]{24}$/;

/** A job using every field of the model: every filter element, SSE-KMS with a key id, all 11 optional fields. */
export function fullConfig(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    filter: {
      prefix: FILTER_PREFIX,
      lastModifyBeginTimeStamp: 1637883649,
      lastModifyEndTimeStamp: 1638347592,
      lowerSizeBound: 1024,
      upperSizeBound: 1048576,
      storageClass: "Standard,IA,Archive,ColdArchive",
    },
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      prefix: REPORT_PREFIX,
      encryption: { type: "SSE-KMS", keyId: `key-${SPECIAL}` },
    },
    schedule: { frequency: "Weekly" },
    includedObjectVersions: "All",
    optionalFields: [...OSS_OPTIONAL_FIELDS],
  };
}

/** The other values of the enumerations: disabled, Daily, current versions, SSE-OSS, a partial filter. */
export function sseOssConfig(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: false,
    filter: { prefix: FILTER_PREFIX, storageClass: "All", upperSizeBound: 1 },
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/inventory_writer.v2`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      encryption: { type: "SSE-OSS" },
    },
    schedule: { frequency: "Daily" },
    includedObjectVersions: "Current",
    optionalFields: ["Crc64", "Size"],
  };
}

/** Only the required parts: no filter, no report prefix, no encryption, no optional fields. */
export function minimalConfig(id: string): OssInventoryConfiguration {
  return {
    id,
    isEnabled: true,
    destination: {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
    },
    schedule: { frequency: "Daily" },
    includedObjectVersions: "All",
    optionalFields: [],
  };
}

/** Our client pointed at `baseUrl` (the emulator or a recorder in front of it). */
export function ourClient(
  baseUrl: string,
  version: OssSignatureVersion = "v4",
  mode: Mode = "path",
  extra: Partial<OssClientOptions> = {},
): OssInventoryClient {
  return new OssInventoryClient({
    credentials: { accessKeyId: AK, accessKeySecret: SK },
    region: REGION,
    endpoint: parseOssEndpoint(mode === "connect" ? `connect+${baseUrl}` : baseUrl),
    signatureVersion: version,
    transport: { baseDelayMs: 1 },
    ...extra,
  });
}
