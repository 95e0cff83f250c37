// Every argument of oss.BucketInventory.
import * as inventory from "pulumi-bucket-inventory";

const job = new inventory.oss.BucketInventory("daily", {
  bucket: "examplebucket", // required; may be an Output of another resource
  region: "cn-hangzhou", // default: config alicloud:region or env ALICLOUD_REGION; "oss-cn-hangzhou" works too
  inventoryId: "daily", // default: the resource name
  enabled: true, // default true
  includedObjectVersions: "All", // "All" | "Current", default "Current"
  schedule: { frequency: "Weekly" }, // "Daily" | "Weekly"
  filter: {
    prefix: "logs/",
    lastModifyBeginTime: 1637883649, // unix seconds, 1262275200..253402271999, begin <= end
    lastModifyEndTime: 1638347592,
    lowerSizeBound: 1024, // bytes, lower <= upper
    upperSizeBound: 1048576,
    storageClasses: ["Standard", "IA"], // Standard, IA, Archive, ColdArchive, or ["All"] alone
  },
  optionalFields: [
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
  ],
  destination: {
    bucket: "destination-bucket", // or "acs:oss:::destination-bucket"
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    prefix: "reports",
    format: "CSV",
    encryption: { type: "SSE-KMS", keyId: "kms-key-id" }, // or { type: "SSE-OSS" }
  },
});

export const id = job.id;
