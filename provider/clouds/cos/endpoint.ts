/**
 * Where COS requests go: the real virtual-host endpoint by default, or an
 * override for the local emulator and private endpoints. Also the region and
 * bucket-name rules, checked before any request.
 */
import { ValidationFailure } from "../../core/errors";
import { EndpointOverride, RequestTarget, bucketTarget, parseEndpointOverride } from "../../http/endpoint";

/** An endpoint override (see {@link EndpointOverride}). */
export type CosEndpoint = EndpointOverride;

/** A COS request target: the URL to open, the `Host` header, and the path that is signed. */
export type CosTarget = RequestTarget;

/** A COS region such as `ap-guangzhou`, `ap-shanghai-fsi` or `na-siliconvalley`. */
export const COS_REGION_PATTERN = /^[a-z]+(?:-[a-z0-9]+)+$/;

/** `<name>-<appid>`: name of lowercase letters, digits and `-`, then the numeric APPID. */
export const COS_BUCKET_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]{1,20}$/;

/** Longest bucket name including `-<appid>`, per the COS naming rules. */
export const COS_BUCKET_MAX_LENGTH = 60;

/** Checks a region name; returns failures naming `property`. */
export function checkCosRegion(region: string, property = "region"): ValidationFailure[] {
  if (!COS_REGION_PATTERN.test(region)) {
    return [
      {
        property,
        reason: `"${region}" is not a COS region; use a region name such as "ap-guangzhou" or "ap-beijing"`,
      },
    ];
  }
  return [];
}

/** Checks a bucket name of the `<name>-<appid>` form; returns failures naming `property`. */
export function checkCosBucket(bucket: string, property = "bucket"): ValidationFailure[] {
  if (!COS_BUCKET_RE.test(bucket) || bucket.length > COS_BUCKET_MAX_LENGTH) {
    return [
      {
        property,
        reason:
          `"${bucket}" is not a COS bucket name; use "<name>-<appid>" such as "examplebucket-1250000000" ` +
          `(lowercase letters, digits and "-", then "-" and your numeric APPID, at most ${COS_BUCKET_MAX_LENGTH} characters)`,
      },
    ];
  }
  return [];
}

/**
 * Parses a COS endpoint override string (see {@link parseEndpointOverride}).
 *
 * @throws Error naming `source` when the string is not a supported form.
 */
export function parseCosEndpoint(text: string | undefined, source = "cosEndpoint"): CosEndpoint | undefined {
  return parseEndpointOverride(text, source);
}

/** The default virtual-host name of a bucket. */
export function cosVirtualHost(bucket: string, region: string): string {
  return `${bucket}.cos.${region}.myqcloud.com`;
}

/** Where a bucket-level request for `bucket` in `region` goes. */
export function cosTarget(bucket: string, region: string, endpoint?: CosEndpoint): CosTarget {
  return bucketTarget(cosVirtualHost(bucket, region), bucket, endpoint);
}
