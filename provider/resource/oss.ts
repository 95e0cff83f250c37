/**
 * `oss.BucketInventory`: an Alibaba Cloud OSS bucket inventory job as a
 * Pulumi resource.
 *
 * The provider kept in stack state is the thin shim of `./shim`.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CommonInventoryArgs, InventoryResource } from "./base";

/** OSS storage classes a report can be limited to. */
export type OssStorageClass = "Standard" | "IA" | "Archive" | "ColdArchive" | "All";

/** Extra report columns OSS offers. */
export type OssOptionalField =
  | "Size"
  | "LastModifiedDate"
  | "ETag"
  | "StorageClass"
  | "IsMultipartUploaded"
  | "EncryptionStatus"
  | "TransitionTime"
  | "ObjectAcl"
  | "TaggingCount"
  | "ObjectType"
  | "Crc64";

/** Which objects the report lists. Leave out (or empty) for the whole bucket. */
export interface OssInventoryFilterArgs {
  /** Only objects whose key starts with this prefix. */
  prefix?: pulumi.Input<string>;
  /** Only objects last modified at or after this time, unix seconds (1262275200–253402271999). */
  lastModifyBeginTime?: pulumi.Input<number>;
  /** Only objects last modified at or before this time, unix seconds; not before `lastModifyBeginTime`. */
  lastModifyEndTime?: pulumi.Input<number>;
  /** Only objects of at least this many bytes. */
  lowerSizeBound?: pulumi.Input<number>;
  /** Only objects of at most this many bytes; not below `lowerSizeBound`. */
  upperSizeBound?: pulumi.Input<number>;
  /** Only objects in these storage classes; `["All"]` (alone) for every class. Order does not matter. */
  storageClasses?: pulumi.Input<pulumi.Input<OssStorageClass>[]>;
}

/** Server-side encryption of the reports. */
export type OssInventoryEncryptionArgs =
  { type: pulumi.Input<"SSE-OSS"> } | { type: pulumi.Input<"SSE-KMS">; keyId: pulumi.Input<string> };

/** Where reports are delivered. */
export interface OssInventoryDestinationArgs {
  /** Destination bucket, `"<name>"` or `"acs:oss:::<name>"`, in the source bucket's region. */
  bucket: pulumi.Input<string>;
  /** Account id (UID) owning the destination bucket, e.g. `"1000000000000000"`. */
  accountId: pulumi.Input<string>;
  /** RAM role OSS assumes to write the reports: `"acs:ram::<uid>:role/<name>"`. */
  roleArn: pulumi.Input<string>;
  /** Key prefix of the reports. */
  prefix?: pulumi.Input<string>;
  /** Report format; only `"CSV"`. Default `"CSV"`. */
  format?: pulumi.Input<"CSV">;
  /** Encrypt the reports: `{ type: "SSE-OSS" }` or `{ type: "SSE-KMS", keyId }`; leave out for none. */
  encryption?: pulumi.Input<OssInventoryEncryptionArgs>;
}

/** How often OSS produces the report. */
export interface OssScheduleArgs {
  /** `"Daily"`, `"Weekly"`, `"Monthly"` or `"Once"` (one report, then the job is done). */
  frequency: pulumi.Input<"Daily" | "Weekly" | "Monthly" | "Once">;
  /** Day of the month (1–28) a `"Monthly"` report is produced; required with `"Monthly"`, refused otherwise. */
  dayOfMonth?: pulumi.Input<number>;
  /** Whether OSS deletes a `"Once"` job after its report; only with `"Once"`. */
  autoDelete?: pulumi.Input<boolean>;
}

/** Extra report columns of the incremental inventory. */
export type OssIncrementalField =
  | "SequenceNumber"
  | "RecordType"
  | "RecordTimestamp"
  | "Requester"
  | "SourceIp"
  | "RequestId"
  | "Size"
  | "StorageClass"
  | "LastModifiedDate"
  | "ETag"
  | "IsMultipartUploaded"
  | "ObjectType"
  | "ObjectAcl"
  | "Crc64"
  | "EncryptionStatus";

/** The incremental inventory: object changes every 600 seconds, next to the scheduled report (region-limited). */
export interface OssIncrementalInventoryArgs {
  /** Whether it runs. Default `true`. */
  enabled?: pulumi.Input<boolean>;
  /** Its report columns. Order and repeats do not matter. */
  optionalFields?: pulumi.Input<pulumi.Input<OssIncrementalField>[]>;
}

/** Arguments of {@link BucketInventory}. */
export interface BucketInventoryArgs extends CommonInventoryArgs<
  OssInventoryFilterArgs,
  OssInventoryDestinationArgs
> {
  /** How often the report is produced. */
  schedule: pulumi.Input<OssScheduleArgs>;
  /** The incremental inventory; leave out for none. */
  incrementalInventory?: pulumi.Input<OssIncrementalInventoryArgs>;
  /** Source bucket name; may be an output of another resource. Changing it replaces the job. */
  bucket: pulumi.Input<string>;
  /**
   * Region of the source bucket, e.g. `"cn-hangzhou"` (`"oss-cn-hangzhou"` is accepted too). Default:
   * config `alicloud:region`, else env `ALICLOUD_REGION`. Changing it replaces the job.
   */
  region?: pulumi.Input<string>;
  /** Extra report columns. Order does not matter. */
  optionalFields?: pulumi.Input<pulumi.Input<OssOptionalField>[]>;
}

/** An OSS bucket inventory job. The resource ID is `<region>/<bucket>/<inventoryId>`. */
export class BucketInventory extends InventoryResource<OssOptionalField> {
  /** The cloud, as `get` and `isInstance` use it. */
  static readonly kind = "oss";

  /** Source bucket region, without the `oss-` prefix. */
  declare public readonly region: pulumi.Output<string>;
  /** Report frequency, and the day of a monthly job or the auto-delete switch of a one-shot job. */
  declare public readonly schedule: pulumi.Output<{
    frequency: "Daily" | "Weekly" | "Monthly" | "Once";
    dayOfMonth?: number;
    autoDelete?: boolean;
  }>;
  /** Normalized incremental inventory; undefined when there is none (or it is off with no column). */
  declare public readonly incrementalInventory: pulumi.Output<
    { enabled: boolean; optionalFields: OssIncrementalField[] } | undefined
  >;
  /** Normalized filter; undefined when every object is listed. */
  declare public readonly filter: pulumi.Output<
    | {
        prefix?: string;
        lastModifyBeginTime?: number;
        lastModifyEndTime?: number;
        lowerSizeBound?: number;
        upperSizeBound?: number;
        storageClasses?: OssStorageClass[];
      }
    | undefined
  >;
  /** Normalized destination; `bucket` in the `acs:oss:::<name>` form. */
  declare public readonly destination: pulumi.Output<{
    bucket: string;
    accountId: string;
    roleArn: string;
    prefix?: string;
    format: "CSV";
    encryption?: { type: "SSE-OSS" } | { type: "SSE-KMS"; keyId: string };
  }>;

  /**
   * Declares an inventory job on an OSS bucket. With the `import` option (the job's ID,
   * `<region>/<bucket>/<inventoryId>`), takes over the job that already exists instead, without writing it: the
   * deployment fails, changing nothing, when the job is missing or differs from `args` (see "Import" in the README).
   *
   * @param name the resource name, and the default `inventoryId`
   * @param args the job
   * @param opts resource options
   */
  constructor(name: string, args: BucketInventoryArgs, opts?: pulumi.CustomResourceOptions);
  /**
   * Reads an existing job, as {@link BucketInventory.get} does: with `opts.id` set, `args` is ignored.
   *
   * @param name the resource name
   * @param args ignored
   * @param opts resource options, with `id` the job's ID
   */
  constructor(
    name: string,
    args: BucketInventoryArgs | undefined,
    opts: pulumi.CustomResourceOptions & { id: pulumi.Input<pulumi.ID> },
  );
  constructor(name: string, args: BucketInventoryArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    // Named even when not given: a resource gets an output only for each input it names.
    super("oss", name, args && { incrementalInventory: undefined, ...args }, opts);
  }
}
