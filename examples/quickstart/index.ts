// The quick start: one COS inventory job, run by `npm run demo` against the
// local emulator (see tools/demo.sh). Against the real COS, set region,
// credentials and buckets of your own and drop the endpoint override.
import * as inventory from "pulumi-bucket-inventory";

const daily = new inventory.cos.BucketInventory("daily", {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  schedule: { frequency: "Daily" },
  filter: { prefix: "logs/" },
  optionalFields: ["Size", "LastModifiedDate", "ETag"],
  destination: { bucket: "inventorybucket-1250000000", accountId: "100000000001", prefix: "reports" },
});

export const dailyId = daily.id;
export const dailyDestination = daily.destination;
