/**
 * Each cloud's side of the e2e lifecycle suite (lifecycle.test.ts): the job
 * every suite deploys, how its state and requests look, and a way to change
 * the job out of band. COS goes out of band through the official SDK; OSS
 * through our client in V1 mode (the resource signs V4), so either way the
 * change takes another signing path than the resource under test.
 */
import COS from "cos-nodejs-sdk-v5";
import { OssInventoryClient } from "../../provider/clouds/oss/client";
import { parseOssEndpoint } from "../../provider/clouds/oss/endpoint";
import { E2E_CREDENTIALS, E2eEmulator, LoggedRequest, countByOperation } from "./emulator";
import type { ProjectOptions } from "./harness";

/** The COS job of the suites. */
export const COS_JOB = {
  type: "pulumi-nodejs:dynamic/cos:BucketInventory",
  region: "ap-guangzhou",
  bucket: "examplebucket-1250000000",
} as const;

/** The OSS job of the suites. */
export const OSS_JOB = {
  type: "pulumi-nodejs:dynamic/oss:BucketInventory",
  region: "cn-hangzhou",
  bucket: "examplebucket",
  role: "acs:ram::1000000000000000:role/AliyunOSSRole",
} as const;

/** The start of a full argument object: the fields both clouds spell alike (the tests rewrite some of them). */
function fullArgsHead(job: { bucket: string; region: string }): string {
  return `  bucket: "${job.bucket}",
  region: "${job.region}",
  enabled: true,
  includedObjectVersions: "All",
  schedule: { frequency: "Daily" },`;
}

/** Every COS field, as a user would write it. */
export const COS_FULL_ARGS = `{
${fullArgsHead(COS_JOB)}
  filter: { prefix: "logs/", tags: [{ key: "age", value: "18" }], period: { startTime: 1568688761, endTime: 1568688762 } },
  optionalFields: ["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"],
  destination: { bucket: "inventorybucket-1250000000", accountId: "100000000001", prefix: "reports", format: "CSV", encryption: "SSE-COS" },
}`;

/** Every OSS report column. */
export const OSS_ALL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "TransitionTime",
  "ObjectAcl",
  "TaggingCount",
  "ObjectType",
  "Crc64",
];

/** Every OSS field, as a user would write it. */
export const OSS_FULL_ARGS = `{
${fullArgsHead(OSS_JOB)}
  filter: {
    prefix: "logs/",
    lastModifyBeginTime: 1637883649,
    lastModifyEndTime: 1638347592,
    lowerSizeBound: 1024,
    upperSizeBound: 1048576,
    storageClasses: ["Standard", "IA"],
  },
  optionalFields: ${JSON.stringify(OSS_ALL_FIELDS)},
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "${OSS_JOB.role}",
    prefix: "reports",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
  },
}`;

/** The official COS SDK, pointed at the emulator. */
export function cosSdk(emu: E2eEmulator): COS {
  const port = new URL(emu.url).port;
  return new COS({
    SecretId: E2E_CREDENTIALS.id,
    SecretKey: E2E_CREDENTIALS.secret,
    Ip: `127.0.0.1:${port}`,
    Protocol: "http:",
  });
}

/** Our OSS client for out-of-band changes, signing V1. */
export function ossOutOfBand(emu: E2eEmulator): OssInventoryClient {
  return new OssInventoryClient({
    credentials: { accessKeyId: E2E_CREDENTIALS.id, accessKeySecret: E2E_CREDENTIALS.secret },
    region: OSS_JOB.region,
    endpoint: parseOssEndpoint(emu.url),
    signatureVersion: "v1",
  });
}

/** Out-of-band access to the jobs on the suite's source bucket, each value as the cloud's own API gives it. */
export interface OutOfBand {
  /** The job's stored schedule frequency. */
  frequency(id: string): Promise<string>;
  /** The job's stored enabled flag (COS: the text `"true"`/`"false"`; OSS: a boolean). */
  enabled(id: string): Promise<unknown>;
  /** Turns the job off. */
  disable(id: string): Promise<void>;
  /** Deletes the job. */
  delete(id: string): Promise<void>;
  /**
   * Writes the job `id` with {@link LifecycleCase.minimalDestination}, as a program declares it with
   * `minimalArgs(frequency)` (enabled, current versions, no filter, no extra columns).
   */
  putMinimal(id: string, frequency: "Daily" | "Weekly"): Promise<void>;
  /** The ids of every job on the bucket. */
  ids(): Promise<string[]>;
}

/** What the table-driven lifecycle suite needs from one cloud. */
export interface LifecycleCase {
  /** The cloud. */
  cloud: "cos" | "oss";
  /** The resource type token. */
  type: string;
  /** The source bucket's region. */
  region: string;
  /** The source bucket. */
  bucket: string;
  /** Every field, as a user would write it. */
  fullArgs: string;
  /** The outputs {@link fullArgs} gives (for `toMatchObject`). */
  fullOutputs: Record<string, unknown>;
  /** {@link fullArgs} respelled in ways that normalize to the same job. */
  respelled: string;
  /** The enabled flag of an enabled job, as {@link OutOfBand.enabled} reads it. */
  enabledValue: unknown;
  /** A minimal destination argument, for programs that only need some job. */
  minimalDestination: string;
  /** Arguments of a minimal job on the suite's bucket (the one {@link OutOfBand.putMinimal} writes). */
  minimalArgs(frequency: "Daily" | "Weekly", extra?: string): string;
  /** The `destination` output of {@link minimalDestination}, normalized. */
  minimalDestinationOutput: Record<string, unknown>;
  /** Out-of-band access to the suite's bucket. */
  outOfBand(emu: E2eEmulator): OutOfBand;
  /** Checks what the emulator stored after the first up, where a cloud has more to check. */
  checkStored?(emu: E2eEmulator): Promise<void>;
  /** Request counts: creating a job (a free id), replacing it under a new id. */
  requests: { create: Record<string, number>; replace: Record<string, number> };
  /** Checks the request log of an in-place update of one field. */
  checkUpdateLog(log: LoggedRequest[]): void;
  /** Request counts of the up that repairs drift, where the cloud's are asserted. */
  repairRequests?: Record<string, number>;
  /** Invalid input, and the properties its failure must name. */
  invalid: { args: string; properties: string[] };
  /** A fault of three 503s on `operation`, and the statuses the next up then logs. */
  flaky: { operation: "get" | "put"; statuses: number[] };
  /** Credentials from stack config: the env to blank, the config to set, and the endpoint's config key. */
  configCredentials: { env: Record<string, string>; endpointKey: string } & Pick<
    ProjectOptions,
    "config" | "secretConfig"
  >;
  /** Credentials from the environment: which, the env, and the requests of the first up. */
  envCredentials: { what: string; env: Record<string, string>; requests: Record<string, number> };
}

/** Both clouds' {@link LifecycleCase}s. */
export function lifecycleCases(): LifecycleCase[] {
  return [cosCase(), ossCase()];
}

/** The outputs of the fields both clouds' full arguments set alike. */
function fullCommonOutputs(region: string, bucket: string): Record<string, unknown> {
  return {
    schemaVersion: 1,
    region,
    bucket,
    inventoryId: "daily",
    enabled: true,
    includedObjectVersions: "All",
    schedule: { frequency: "Daily" },
  };
}

function cosCase(): LifecycleCase {
  const { region: REGION, bucket: BUCKET } = COS_JOB;
  return {
    cloud: "cos",
    type: COS_JOB.type,
    region: REGION,
    bucket: BUCKET,
    fullArgs: COS_FULL_ARGS,
    fullOutputs: {
      ...fullCommonOutputs(REGION, BUCKET),
      filter: {
        prefix: "logs/",
        tags: [{ key: "age", value: "18" }],
        period: { startTime: 1568688761, endTime: 1568688762 },
      },
      optionalFields: ["Crc64", "ETag", "Size", "Tag", "x-cos-meta-owner"],
      destination: {
        bucket: `qcs::cos:${REGION}::inventorybucket-1250000000`,
        accountId: "100000000001",
        prefix: "reports",
        format: "CSV",
        encryption: "SSE-COS",
      },
    },
    // Reordered optional fields, the qcs destination form, "true" as a string.
    respelled: COS_FULL_ARGS.replace(
      `["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"]`,
      `["x-cos-meta-owner", "Crc64", "Tag", "ETag", "Size", "Size"]`,
    )
      .replace(
        `bucket: "inventorybucket-1250000000"`,
        `bucket: "qcs::cos:${REGION}::inventorybucket-1250000000"`,
      )
      .replace("enabled: true", `enabled: "true" as unknown as boolean`),
    enabledValue: "true",
    minimalDestination: `{ bucket: "inventorybucket-1250000000" }`,
    minimalArgs: (frequency, extra = "") =>
      `{ bucket: "${BUCKET}", region: "${REGION}", schedule: { frequency: "${frequency}" }, ${extra}
        destination: { bucket: "inventorybucket-1250000000" } }`,
    minimalDestinationOutput: { bucket: `qcs::cos:${REGION}::inventorybucket-1250000000`, format: "CSV" },
    outOfBand(emu) {
      const sdk = cosSdk(emu);
      const get = async (id: string) =>
        (await sdk.getBucketInventory({ Bucket: BUCKET, Region: REGION, Id: id })).InventoryConfiguration;
      return {
        frequency: async (id) => (await get(id)).Schedule.Frequency,
        enabled: async (id) => (await get(id)).IsEnabled,
        async disable(id) {
          const changed: COS.InventoryConfiguration = { ...(await get(id)), IsEnabled: "false" };
          await sdk.putBucketInventory({
            Bucket: BUCKET,
            Region: REGION,
            Id: id,
            InventoryConfiguration: changed,
          });
        },
        async delete(id) {
          await sdk.deleteBucketInventory({ Bucket: BUCKET, Region: REGION, Id: id });
        },
        async putMinimal(id, frequency) {
          const cfg: COS.InventoryConfiguration = {
            Id: id,
            IsEnabled: "true",
            IncludedObjectVersions: "Current",
            Schedule: { Frequency: frequency },
            Destination: {
              COSBucketDestination: {
                Format: "CSV",
                Bucket: `qcs::cos:${REGION}::inventorybucket-1250000000`,
              },
            },
          };
          await sdk.putBucketInventory({
            Bucket: BUCKET,
            Region: REGION,
            Id: id,
            InventoryConfiguration: cfg,
          });
        },
        ids: async () =>
          (await sdk.listBucketInventory({ Bucket: BUCKET, Region: REGION })).InventoryConfigurations.map(
            (c: COS.InventoryConfiguration) => c.Id,
          ),
      };
    },
    // The id is free (GET 404), the PUT, then a read back that catches a concurrent writer.
    requests: { create: { get: 2, put: 1 }, replace: { get: 2, put: 1, delete: 1 } },
    // COS overwrites on PUT: one request, in place.
    checkUpdateLog: (log) => expect(countByOperation(log)).toEqual({ put: 1 }),
    repairRequests: { put: 1 },
    invalid: {
      args: `{ bucket: "${BUCKET}", region: "${REGION}", inventoryId: "bad id!", schedule: { frequency: "Hourly" as "Daily" },
        filter: { tags: [{ key: "age", value: "18" }], period: { startTime: 20, endTime: 10 } },
        optionalFields: ["Size", "x-cos-meta-"],
        destination: { bucket: "Not_A_Bucket" } }`,
      properties: [
        "inventoryId",
        "schedule.frequency",
        "filter.period",
        "optionalFields",
        "destination.bucket",
      ],
    },
    flaky: { operation: "put", statuses: [503, 503, 503, 200] },
    configCredentials: {
      env: { TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "", BUCKET_INVENTORY_COS_ENDPOINT: "" },
      endpointKey: "bucket-inventory:cosEndpoint",
      config: { "tencentcloud:secretId": E2E_CREDENTIALS.id },
      secretConfig: { "tencentcloud:secretKey": E2E_CREDENTIALS.secret },
    },
    envCredentials: { what: "TENCENTCLOUD_* variables", env: {}, requests: { get: 2, put: 1 } },
  };
}

function ossCase(): LifecycleCase {
  const { region: REGION, bucket: BUCKET, role: ROLE } = OSS_JOB;
  return {
    cloud: "oss",
    type: OSS_JOB.type,
    region: REGION,
    bucket: BUCKET,
    fullArgs: OSS_FULL_ARGS,
    fullOutputs: {
      ...fullCommonOutputs(REGION, BUCKET),
      filter: {
        prefix: "logs/",
        lastModifyBeginTime: 1637883649,
        lastModifyEndTime: 1638347592,
        lowerSizeBound: 1024,
        upperSizeBound: 1048576,
        storageClasses: ["IA", "Standard"],
      },
      optionalFields: [...OSS_ALL_FIELDS].sort(),
      destination: {
        bucket: "acs:oss:::destination-bucket",
        accountId: "1000000000000000",
        roleArn: ROLE,
        prefix: "reports",
        format: "CSV",
        encryption: { type: "SSE-KMS", keyId: "kms-key-1" },
      },
    },
    // Reordered lists, the acs: destination form, the oss- region prefix, "true".
    respelled: OSS_FULL_ARGS.replace(
      JSON.stringify(OSS_ALL_FIELDS),
      JSON.stringify([...OSS_ALL_FIELDS].reverse()),
    )
      .replace(`["Standard", "IA"]`, `["IA", "Standard", "IA"]`)
      .replace(`bucket: "destination-bucket"`, `bucket: "acs:oss:::destination-bucket"`)
      .replace(`region: "${REGION}"`, `region: "oss-${REGION}"`)
      .replace("enabled: true", `enabled: "true" as unknown as boolean`),
    enabledValue: true,
    minimalDestination: `{ bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${ROLE}" }`,
    minimalArgs: (frequency, extra = "") =>
      `{ bucket: "${BUCKET}", region: "${REGION}", schedule: { frequency: "${frequency}" }, ${extra}
        destination: { bucket: "destination-bucket", accountId: "1000000000000000", roleArn: "${ROLE}" } }`,
    minimalDestinationOutput: {
      bucket: "acs:oss:::destination-bucket",
      accountId: "1000000000000000",
      roleArn: ROLE,
      format: "CSV",
    },
    outOfBand(emu) {
      const client = ossOutOfBand(emu);
      return {
        frequency: async (id) => (await client.get(BUCKET, id)).schedule.frequency,
        enabled: async (id) => (await client.get(BUCKET, id)).isEnabled,
        async disable(id) {
          await client.replace(BUCKET, { ...(await client.get(BUCKET, id)), isEnabled: false });
        },
        delete: (id) => client.delete(BUCKET, id),
        putMinimal: (id, frequency) =>
          client.put(BUCKET, {
            id,
            isEnabled: true,
            includedObjectVersions: "Current",
            schedule: { frequency },
            optionalFields: [],
            destination: {
              format: "CSV",
              accountId: "1000000000000000",
              roleArn: ROLE,
              bucket: "acs:oss:::destination-bucket",
            },
          }),
        ids: async () => (await client.list(BUCKET)).map((c) => c.id),
      };
    },
    async checkStored(emu) {
      const stored = await ossOutOfBand(emu).get(BUCKET, "daily");
      expect(stored.filter).toEqual({
        prefix: "logs/",
        lastModifyBeginTimeStamp: 1637883649,
        lastModifyEndTimeStamp: 1638347592,
        lowerSizeBound: 1024,
        upperSizeBound: 1048576,
        storageClass: "IA,Standard",
      });
    },
    // A create is one PUT: the cloud refuses a taken id itself (409), so no GET is needed first.
    requests: { create: { put: 1 }, replace: { put: 1, delete: 1 } },
    // OSS refuses a PUT on an existing id, so the update reads the job (to restore it on failure),
    // deletes and puts.
    checkUpdateLog: (log) =>
      expect(log.map((r) => `${r.operation} ${r.status}`)).toEqual(["get 200", "delete 204", "put 200"]),
    invalid: {
      args: `{ bucket: "${BUCKET}", region: "${REGION}", inventoryId: "bad id!", schedule: { frequency: "Hourly" as "Daily" },
        filter: { lastModifyBeginTime: 20, lowerSizeBound: 10, upperSizeBound: 5, storageClasses: ["Cold" as "IA"] },
        destination: { bucket: "Not_A_Bucket", accountId: "1", roleArn: "role/x",
          encryption: { type: "SSE-OSS", keyId: "k" } as unknown as { type: "SSE-OSS" } } }`,
      properties: [
        "inventoryId",
        "schedule.frequency",
        "filter.lastModifyBeginTime",
        "filter.upperSizeBound",
        "filter.storageClasses",
        "destination.bucket",
        "destination.roleArn",
        "destination.encryption",
      ],
    },
    flaky: { operation: "get", statuses: [503, 503, 503, 200, 204, 200] },
    configCredentials: {
      env: { ALICLOUD_ACCESS_KEY: "", ALICLOUD_SECRET_KEY: "", BUCKET_INVENTORY_OSS_ENDPOINT: "" },
      endpointKey: "bucket-inventory:ossEndpoint",
      config: { "alicloud:accessKey": E2E_CREDENTIALS.id },
      secretConfig: { "alicloud:secretKey": E2E_CREDENTIALS.secret },
    },
    envCredentials: {
      what: "OSS SDK variables and V1 signing",
      env: {
        ALICLOUD_ACCESS_KEY: "",
        ALICLOUD_SECRET_KEY: "",
        OSS_ACCESS_KEY_ID: E2E_CREDENTIALS.id,
        OSS_ACCESS_KEY_SECRET: E2E_CREDENTIALS.secret,
        BUCKET_INVENTORY_OSS_SIGNATURE_VERSION: "v1",
      },
      requests: { put: 1 },
    },
  };
}
