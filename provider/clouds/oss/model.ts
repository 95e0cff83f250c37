/**
 * The OSS inventory configuration as it travels on the wire, in our own
 * camelCase shape. Values are kept as the service spells them (the
 * destination bucket as `acs:oss:::<name>`, storage classes as the comma list
 * of the `StorageClass` element); turning user input into this shape is the
 * resource layer's job.
 */

/** `IncludedObjectVersions` values. */
export type OssIncludedObjectVersions = "All" | "Current";

/** `Schedule/Frequency` values this package manages. */
export type OssFrequency = "Daily" | "Weekly";

/**
 * `Schedule/Frequency` values on the wire: the managed ones, and `Once` (a
 * one-shot report, which `oss.InventoryRun` writes).
 */
export type OssWireFrequency = OssFrequency | "Once";

/** `Filter`: which objects the report lists. */
export interface OssInventoryFilter {
  /** Object key prefix. */
  prefix?: string;
  /** `LastModifyBeginTimeStamp`: objects modified at or after this time, unix seconds. */
  lastModifyBeginTimeStamp?: number;
  /** `LastModifyEndTimeStamp`: objects modified at or before this time, unix seconds. */
  lastModifyEndTimeStamp?: number;
  /** `LowerSizeBound`: smallest object size listed, bytes. */
  lowerSizeBound?: number;
  /** `UpperSizeBound`: largest object size listed, bytes. */
  upperSizeBound?: number;
  /** `StorageClass`: comma-separated storage classes, as sent (e.g. `Standard,IA`). */
  storageClass?: string;
}

/** `Encryption` of the reports: `<SSE-OSS/>` or `<SSE-KMS><KeyId/></SSE-KMS>`. */
export type OssEncryption = { type: "SSE-OSS" } | { type: "SSE-KMS"; keyId: string };

/** `Destination/OSSBucketDestination`: where reports are written. */
export interface OssInventoryDestination {
  /** Report format; OSS accepts `CSV`. */
  format: string;
  /** Owner account (UID) of the destination bucket. */
  accountId: string;
  /** RAM role OSS assumes to write reports: `acs:ram::<uid>:role/<name>`. */
  roleArn: string;
  /** Destination bucket, as sent: `acs:oss:::<name>`. */
  bucket: string;
  /** Key prefix for the reports. */
  prefix?: string;
  /** Server-side encryption of the reports; absent for none. */
  encryption?: OssEncryption;
}

/** One `InventoryConfiguration`. */
export interface OssInventoryConfiguration {
  /** Job id. */
  id: string;
  /** Whether the job runs. */
  isEnabled: boolean;
  /** Which objects are listed; absent means the whole bucket. */
  filter?: OssInventoryFilter;
  /** Where reports go. */
  destination: OssInventoryDestination;
  /**
   * How often the report is produced. `autoDelete` (`Schedule/AutoDelete`,
   * only with `Once`): whether OSS deletes the configuration after its run.
   */
  schedule: { frequency: OssWireFrequency; autoDelete?: boolean };
  /** Which object versions are listed. */
  includedObjectVersions: OssIncludedObjectVersions;
  /** Extra report columns, in the order given. */
  optionalFields: string[];
}

/** One page of `GET /?inventory` (`ListInventoryConfigurationsResult`). */
export interface OssInventoryListPage {
  /** The jobs on this page. */
  configurations: OssInventoryConfiguration[];
  /** Whether more pages follow. */
  isTruncated: boolean;
  /** The token for the next page, when truncated. */
  nextContinuationToken?: string;
}
