/**
 * The OSS inventory configuration as it travels on the wire, in our own
 * camelCase shape. Values are kept as the service spells them (the
 * destination bucket as `acs:oss:::<name>`, storage classes as the comma list
 * of the `StorageClass` element); turning user input into this shape is the
 * resource layer's job.
 */

/** `IncludedObjectVersions` values. */
export type OssIncludedObjectVersions = "All" | "Current";

/** `Schedule/Frequency` values. */
export type OssFrequency = "Daily" | "Weekly" | "Monthly" | "Once";

/** `Schedule`: how often the report is produced. */
export interface OssSchedule {
  /** `Frequency`. */
  frequency: OssFrequency;
  /** `DayOfMonth`: the day of the month a `Monthly` report is produced; only with `Monthly`. */
  dayOfMonth?: number;
  /** `AutoDelete`: whether OSS deletes a `Once` job after its report; only with `Once`. */
  autoDelete?: boolean;
}

/** `IncrementalInventory`: a stream of object changes next to the scheduled report (region-limited). */
export interface OssIncrementalInventory {
  /** `IsEnabled`. */
  isEnabled: boolean;
  /** `Schedule/Frequency`: seconds between incremental files; OSS accepts only 600. */
  frequency: number;
  /** `OptionalFields/Field`: the incremental report's columns, in the order given. */
  optionalFields: string[];
}

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
  /** How often the report is produced. */
  schedule: OssSchedule;
  /** Which object versions are listed. */
  includedObjectVersions: OssIncludedObjectVersions;
  /** Extra report columns, in the order given. */
  optionalFields: string[];
  /** The incremental inventory; absent when the body has none. */
  incrementalInventory?: OssIncrementalInventory;
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
