// Every argument of cos.BucketInventory.
import * as inventory from "pulumi-bucket-inventory";

const job = new inventory.cos.BucketInventory("daily", {
  bucket: "examplebucket-1250000000", // required; may be an Output of another resource
  region: "ap-guangzhou", // default: config tencentcloud:region or env TENCENTCLOUD_REGION
  inventoryId: "daily", // default: the resource name
  enabled: true, // default true
  includedObjectVersions: "All", // "All" | "Current", default "Current"
  schedule: { frequency: "Daily" }, // "Daily" | "Weekly"
  filter: {
    prefix: "logs/",
    tags: [{ key: "age", value: "18" }], // requires "Tag" in optionalFields
    period: { startTime: 1568688761, endTime: 1568688762 },
  },
  optionalFields: ["Size", "ETag", "Tag", "Crc64", "x-cos-meta-owner"],
  destination: {
    bucket: "inventorybucket-1250000000", // or "qcs::cos:ap-guangzhou::inventorybucket-1250000000"
    accountId: "100000000001",
    prefix: "reports",
    format: "CSV",
    encryption: "SSE-COS",
  },
});

export const id = job.id;
