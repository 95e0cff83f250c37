/**
 * `cos.BucketInventory`: a Tencent Cloud COS bucket inventory job as a Pulumi
 * resource.
 *
 * The provider kept in stack state is the thin shim of `./shim`.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CommonInventoryArgs, InventoryResource } from "./base";

/**
 * Extra report columns COS offers: the fixed names, or a user-metadata column
 * `x-cos-meta-<name>` (lowercase letters, digits, `-`, `_`; checked at preview).
 */
export type CosOptionalField =
  | "Size"
  | "LastModifiedDate"
  | "ETag"
  | "StorageClass"
  | "IsMultipartUploaded"
  | "ReplicationStatus"
  | "Tag"
  | "Crc64"
  | `x-cos-meta-${string}`;

/** A tag an object must carry to be listed. */
export interface CosTagFilterArgs {
  /** Tag key. */
  key: pulumi.Input<string>;
  /** Tag value. */
  value: pulumi.Input<string>;
}

/** Which objects the report lists. Leave out (or empty) for the whole bucket. */
export interface CosInventoryFilterArgs {
  /** Only objects whose key starts with this prefix. */
  prefix?: pulumi.Input<string>;
  /** Only objects carrying all of these tags; requires `"Tag"` in `optionalFields`. */
  tags?: pulumi.Input<pulumi.Input<CosTagFilterArgs>[]>;
  /** Only objects created in this window, unix seconds; `startTime` ≤ `endTime`. */
  period?: pulumi.Input<{ startTime?: pulumi.Input<number>; endTime?: pulumi.Input<number> }>;
  /** Only objects in these storage classes. Order and repeats do not matter. */
  storageClasses?: pulumi.Input<pulumi.Input<CosStorageClass>[]>;
}

/** COS storage classes a report can be limited to. */
export type CosStorageClass =
  | "STANDARD"
  | "STANDARD_IA"
  | "ARCHIVE"
  | "DEEP_ARCHIVE"
  | "INTELLIGENT_TIERING"
  | "MAZ_STANDARD"
  | "MAZ_STANDARD_IA"
  | "MAZ_INTELLIGENT_TIERING";

/** How often COS produces the report. */
export interface CosScheduleArgs {
  /** `"Daily"`, `"Weekly"` or `"Monthly"`. */
  frequency: pulumi.Input<"Daily" | "Weekly" | "Monthly">;
  /** Day of the month (1–28) a `"Monthly"` report is produced; required with `"Monthly"`, refused otherwise. */
  monthlyDate?: pulumi.Input<number>;
}

/** Where reports are delivered. */
export interface CosInventoryDestinationArgs {
  /** Destination bucket: `"<name>-<appid>"` (same region as the source) or `"qcs::cos:<region>::<name>-<appid>"`. */
  bucket: pulumi.Input<string>;
  /** Account id (UIN) owning the destination bucket, e.g. `"100000000001"`. */
  accountId?: pulumi.Input<string>;
  /** Key prefix of the reports (COS appends `/`). */
  prefix?: pulumi.Input<string>;
  /** Report format; only `"CSV"`. Default `"CSV"`. */
  format?: pulumi.Input<"CSV">;
  /** `"SSE-COS"` to encrypt reports; leave out for none. */
  encryption?: pulumi.Input<"SSE-COS">;
}

/** Arguments of {@link BucketInventory}. */
export interface BucketInventoryArgs extends CommonInventoryArgs<
  CosInventoryFilterArgs,
  CosInventoryDestinationArgs
> {
  /** How often the report is produced. */
  schedule: pulumi.Input<CosScheduleArgs>;
  /** Source bucket, `"<name>-<appid>"`; may be an output of another resource. Changing it replaces the job. */
  bucket: pulumi.Input<string>;
  /**
   * Region of the source bucket, e.g. `"ap-guangzhou"`. Default: config `tencentcloud:region`, else env
   * `TENCENTCLOUD_REGION`. Changing it replaces the job.
   */
  region?: pulumi.Input<string>;
  /**
   * Extra report columns: `Size`, `LastModifiedDate`, `ETag`, `StorageClass`, `IsMultipartUploaded`,
   * `ReplicationStatus`, `Tag`, `Crc64`, or `x-cos-meta-<name>`. Order does not matter.
   */
  optionalFields?: pulumi.Input<pulumi.Input<CosOptionalField>[]>;
}

/** A COS bucket inventory job. The resource ID is `<region>/<bucket>/<inventoryId>`. */
export class BucketInventory extends InventoryResource<CosOptionalField> {
  /** The cloud, as `get` and `isInstance` use it. */
  static readonly kind = "cos";

  /** Source bucket region. */
  declare public readonly region: pulumi.Output<string>;
  /** Report frequency, and the day of a monthly one. */
  declare public readonly schedule: pulumi.Output<{
    frequency: "Daily" | "Weekly" | "Monthly";
    monthlyDate?: number;
  }>;
  /** Normalized filter; undefined when every object is listed. */
  declare public readonly filter: pulumi.Output<
    | {
        prefix?: string;
        tags?: { key: string; value: string }[];
        period?: { startTime?: number; endTime?: number };
        storageClasses?: CosStorageClass[];
      }
    | undefined
  >;
  /** Normalized destination; `bucket` in the `qcs::cos:<region>::<name>-<appid>` form. */
  declare public readonly destination: pulumi.Output<{
    bucket: string;
    accountId?: string;
    prefix?: string;
    format: "CSV";
    encryption?: "SSE-COS";
  }>;

  /**
   * Declares an inventory job on a COS bucket. With the `import` option (the job's ID,
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
    super("cos", name, args, opts);
  }
}
