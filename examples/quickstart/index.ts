// The quick start: one inventory job on each cloud, run by `npm run demo`
// against the local emulator (see tools/demo.sh), which serves COS and OSS on
// one port. Against the real clouds, set regions, credentials and buckets of
// your own and drop the endpoint overrides.
import * as inventory from "pulumi-bucket-inventory";

// Tencent Cloud COS: daily report of logs/ into another bucket.
const cosDaily = new inventory.cos.BucketInventory("daily", {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  schedule: { frequency: "Daily" },
  filter: { prefix: "logs/" },
  optionalFields: ["Size", "LastModifiedDate", "ETag"],
  destination: { bucket: "inventorybucket-1250000000", accountId: "100000000001", prefix: "reports" },
});

// Alibaba Cloud OSS: the same job; OSS writes reports through a RAM role.
const ossDaily = new inventory.oss.BucketInventory("oss-daily", {
  bucket: "examplebucket",
  region: "cn-hangzhou",
  schedule: { frequency: "Daily" },
  filter: { prefix: "logs/" },
  optionalFields: ["Size", "LastModifiedDate", "ETag"],
  destination: {
    bucket: "destination-bucket",
    accountId: "1000000000000000",
    roleArn: "acs:ram::1000000000000000:role/AliyunOSSRole",
    prefix: "reports",
  },
});

export const cosJobId = cosDaily.id;
export const cosDestination = cosDaily.destination;
export const ossJobId = ossDaily.id;
export const ossDestination = ossDaily.destination;
