/**
 * The COS inventory configuration as it travels on the wire, in our own
 * camelCase shape. Values are kept as the service spells them (for example the
 * destination bucket in its `qcs::cos:<region>::<name-appid>` form); turning
 * user input into this shape is the resource layer's job.
 */

/** `IncludedObjectVersions` values. */
export type CosIncludedObjectVersions = "All" | "Current";

/** `Schedule/Frequency` values. */
export type CosFrequency = "Daily" | "Weekly" | "Monthly";

/** `Schedule`: how often the report is produced. */
export interface CosSchedule {
  /** `Frequency`. */
  frequency: CosFrequency;
  /** `MonthlyDate`: the day of the month a `Monthly` report is produced; only with `Monthly`. */
  monthlyDate?: number;
}

/** A tag filter entry (`Filter/And/Tag`). */
export interface CosTag {
  /** Tag key. */
  key: string;
  /** Tag value. */
  value: string;
}

/** `Filter`: which objects the report lists. */
export interface CosInventoryFilter {
  /** Object key prefix. */
  prefix?: string;
  /** Object tags; all must match. Sent inside `<And>`. */
  tags?: CosTag[];
  /** Objects created within this window (unix seconds). */
  period?: { startTime?: number; endTime?: number };
  /** `And/StorageClass`: storage classes listed, in the order sent (one comma-separated element on the wire). */
  storageClasses?: string[];
}

/** `Destination/COSBucketDestination`: where reports are written. */
export interface CosInventoryDestination {
  /** Report format; COS accepts `CSV`. */
  format: string;
  /** Owner account (UIN) of the destination bucket. */
  accountId?: string;
  /** Destination bucket, as sent: `qcs::cos:<region>::<name-appid>`. */
  bucket: string;
  /** Key prefix for the reports. */
  prefix?: string;
  /** Server-side encryption of the reports; `SSE-COS` when set. */
  encryption?: "SSE-COS";
}

/** One `InventoryConfiguration`. */
export interface CosInventoryConfiguration {
  /** Job id: `a-zA-Z0-9-_.`, at most 64 characters. */
  id: string;
  /** Whether the job runs. */
  isEnabled: boolean;
  /** Which object versions are listed. */
  includedObjectVersions: CosIncludedObjectVersions;
  /** How often the report is produced. */
  schedule: CosSchedule;
  /** Which objects are listed; absent means the whole bucket. */
  filter?: CosInventoryFilter;
  /** Extra report columns, in the order given. */
  optionalFields: string[];
  /** Where reports go. */
  destination: CosInventoryDestination;
}

/**
 * A one-shot inventory run (`POST /?inventory&id=<id>`): a configuration
 * without `IsEnabled` and `Schedule`, which COS runs once, at once.
 */
export type CosInventoryRun = Omit<CosInventoryConfiguration, "isEnabled" | "schedule">;

/** The answer to a one-shot run (`<PostInventoryResult>`). */
export interface CosPostInventoryResult {
  /** The service's id of the run (`JobId`). */
  jobId: string;
}

/** One page of `GET /?inventory`. */
export interface CosInventoryListPage {
  /** The jobs on this page. */
  configurations: CosInventoryConfiguration[];
  /** Whether more pages follow. */
  isTruncated: boolean;
  /** The token this page was asked with, if any. */
  continuationToken?: string;
  /** The token for the next page, when truncated. */
  nextContinuationToken?: string;
}
