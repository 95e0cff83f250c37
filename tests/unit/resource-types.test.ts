/**
 * The types of `BucketInventory.get` and `isInstance`, which both clouds
 * inherit from one base: each returns or narrows to its own cloud's class.
 * The `@ts-expect-error` line is checked by `npm run typecheck`. Their run-time
 * behaviour is on the real engine, in tests/e2e/import.test.ts.
 */
import { BucketInventory as CosInventory } from "../../provider/resource/cos";
import { BucketInventory as OssInventory } from "../../provider/resource/oss";

/** Compiles only if `get` and `isInstance` are typed per cloud; never called. */
export function typedPerCloud(value: unknown): void {
  const cos: CosInventory = CosInventory.get("a", "ap-guangzhou/examplebucket-1250000000/daily");
  const oss: OssInventory = OssInventory.get("b", "cn-hangzhou/examplebucket/daily", { protect: true });
  // @ts-expect-error a COS get is no OSS resource
  const wrong: OssInventory = CosInventory.get("c", "ap-guangzhou/examplebucket-1250000000/daily");
  if (CosInventory.isInstance(value)) {
    const narrowed: CosInventory = value;
    void narrowed.destination;
  }
  void [cos, oss, wrong];
}

describe("BucketInventory statics", () => {
  it("know their cloud, which isInstance compares type tokens by", () => {
    expect([CosInventory.kind, OssInventory.kind]).toEqual(["cos", "oss"]);
  });
});
