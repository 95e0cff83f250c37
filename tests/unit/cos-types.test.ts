/**
 * `cos.BucketInventory`'s `optionalFields` type. The `@ts-expect-error` lines
 * are checked by `npm run typecheck` (tsc on tests/): a misspelt column must
 * not compile. At run time, the type's fixed names must be the ones the
 * validator accepts, so the two cannot drift apart.
 */
import type { CosOptionalField } from "../../provider/cos";
import { COS_META_FIELD_PATTERN, COS_OPTIONAL_FIELDS } from "../../provider/clouds/cos/rules";

type FixedField = Exclude<CosOptionalField, `x-cos-meta-${string}`>;

// Every fixed name, exactly once: adding one to the type without this map fails to compile.
const FIXED: Record<FixedField, true> = {
  Size: true,
  LastModifiedDate: true,
  ETag: true,
  StorageClass: true,
  IsMultipartUploaded: true,
  ReplicationStatus: true,
  Tag: true,
  Crc64: true,
};

describe("CosOptionalField", () => {
  it("names exactly the fixed columns the validator accepts", () => {
    expect(Object.keys(FIXED).sort()).toEqual([...COS_OPTIONAL_FIELDS].sort());
  });

  it("accepts metadata columns and refuses typos at compile time", () => {
    const ok: CosOptionalField[] = ["Size", "Crc64", "x-cos-meta-owner"];
    // @ts-expect-error a misspelt fixed column
    const typo: CosOptionalField = "size";
    // @ts-expect-error the OSS-only column
    const ossOnly: CosOptionalField = "EncryptionStatus";
    expect(ok.filter((f) => f.startsWith("x-cos-meta-")).every((f) => COS_META_FIELD_PATTERN.test(f))).toBe(
      true,
    );
    expect(COS_OPTIONAL_FIELDS).not.toContain(typo);
    expect(COS_OPTIONAL_FIELDS).not.toContain(ossOnly);
  });
});
