/**
 * Where OSS requests go: `https://<bucket>.oss-<region>.aliyuncs.com/` by
 * default, or an override (config `bucket-inventory:ossEndpoint`, env
 * `BUCKET_INVENTORY_OSS_ENDPOINT`) for the local emulator and private
 * endpoints.
 */
import { EndpointOverride, RequestTarget, bucketTarget, parseEndpointOverride } from "../../http/endpoint";

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
