// Taking over inventory jobs that already exist (made by hand, by an SDK
// script or by Terraform). `adopt: true` makes the first `pulumi up` read the
// existing job and update it to this declaration instead of refusing to
// overwrite it; afterwards it is managed like any other job. Remove `adopt`
// once imported if you want later creates to refuse existing jobs again.
import * as inventory from "pulumi-bucket-inventory";

const legacy = new inventory.cos.BucketInventory("legacy-weekly", {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  inventoryId: "legacy-weekly", // the id of the existing job
  adopt: true,
  schedule: { frequency: "Weekly" },
  optionalFields: ["Size", "StorageClass"],
  destination: { bucket: "inventorybucket-1250000000", accountId: "100000000001", prefix: "legacy" },
});

export const legacyId = legacy.id;
