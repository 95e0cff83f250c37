/**
 * Where OSS requests go: `https://<bucket>.oss-<region>.aliyuncs.com/` by
 * default, or an override (config `bucket-inventory:ossEndpoint`, env
 * `BUCKET_INVENTORY_OSS_ENDPOINT`) for the local emulator and private
 * endpoints. Also the region and bucket-name rules, checked before any request.
 */
import { ValidationFailure } from "../../core/errors";
import { EndpointOverride, RequestTarget, bucketTarget, parseEndpointOverride } from "../../http/endpoint";
import { quote } from "../common/rules";

/**
 * A bucket name: 3 to 63 lowercase letters, digits and `-`, starting and
 * ending with a letter or digit.
 */
export const OSS_BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * A region id such as `cn-hangzhou`, `cn-hongkong`, `ap-southeast-1`,
 * `us-west-1` or `cn-shanghai-finance-1`: lowercase words joined by `-`. The
 * endpoint spelling `oss-cn-hangzhou` is not a region id (the V4 signature
 * scope and our endpoint builder both want `cn-hangzhou`), so it is refused
 * here; the resource layer strips the prefix before checking.
 */
export const OSS_REGION_PATTERN = /^(?!oss-)[a-z]+(?:-[a-z0-9]+)+$/;

/** Checks a region id; returns failures naming `property`. */
export function checkOssRegion(region: string, property = "region"): ValidationFailure[] {
  if (OSS_REGION_PATTERN.test(region)) {
    return [];
  }
  const hint = /^oss-/.test(region)
    ? ` (the region id, without the endpoint's "oss-" prefix: ${quote(region.slice(4))})`
    : "";
  return [
    {
      property,
      reason: `${quote(region)} is not an OSS region; use a region id such as "cn-hangzhou" or "ap-southeast-1"${hint}`,
    },
  ];
}

/** Checks a bucket name; returns failures naming `property`. */
export function checkOssBucket(bucket: string, property = "bucket"): ValidationFailure[] {
  if (OSS_BUCKET_RE.test(bucket)) {
    return [];
  }
  return [
    {
      property,
      reason:
        `${quote(bucket)} is not an OSS bucket name; use 3 to 63 lowercase letters, digits and "-", ` +
        `starting and ending with a letter or digit, such as "examplebucket"`,
    },
  ];
}

/** The public virtual-host name of a bucket; `region` without the `oss-` prefix, e.g. `cn-hangzhou`. */
export function ossVirtualHost(bucket: string, region: string): string {
  return `${bucket}.oss-${region}.aliyuncs.com`;
}

/**
 * Parses an OSS endpoint override string (see {@link parseEndpointOverride}).
 *
 * @throws Error naming `source` when the string is not a supported form.
 */
export function parseOssEndpoint(
  text: string | undefined,
  source = "ossEndpoint",
): EndpointOverride | undefined {
  return parseEndpointOverride(text, source);
}

/**
 * Where a bucket-level request for `bucket` in `region` goes. OSS signs
 * `/<bucket>/` whatever the addressing, so the target's path is not what is
 * signed (unlike COS).
 */
export function ossTarget(bucket: string, region: string, endpoint?: EndpointOverride): RequestTarget {
  return bucketTarget(ossVirtualHost(bucket, region), bucket, endpoint);
}
