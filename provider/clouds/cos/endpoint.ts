/**
 * Where COS requests go: the real virtual-host endpoint by default, or an
 * override for the local emulator and private endpoints. Also the region and
 * bucket-name rules, checked before any request.
 */
import { ValidationFailure } from "../../core/errors";
import { COS_REGION_PATTERN } from "./rules";

/**
 * An endpoint override.
 * - `path`: a base URL used path-style: `http://host:port/<bucket>/?inventory…`.
 * - `connect`: connect to this address but keep the real virtual-host `Host`
 *   header (`<bucket>.cos.<region>.myqcloud.com`), like the official SDK's `Ip` option.
 */
export type CosEndpoint = { kind: "path"; baseUrl: string } | { kind: "connect"; address: string };

/** A request target: the URL to open, the `Host` header, and the path that is signed. */
export interface CosTarget {
  /** URL up to and excluding the query, e.g. `https://b-125.cos.ap-guangzhou.myqcloud.com/`. */
  url: string;
  /** `Host` header value (signed). */
  host: string;
  /** Decoded path that the signature covers. */
  pathname: string;
}

/** `<name>-<appid>`: name of lowercase letters, digits and `-`, then the numeric APPID. */
export const COS_BUCKET_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]{1,20}$/;

/** Longest bucket name including `-<appid>`, per the COS naming rules. */
export const COS_BUCKET_MAX_LENGTH = 60;

/** Checks a region name; returns failures naming `property`. */
export function checkRegion(region: string, property = "region"): ValidationFailure[] {
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
export function checkBucket(bucket: string, property = "bucket"): ValidationFailure[] {
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
 * Parses an endpoint override string: `http(s)://host[:port]` is a path-style
 * base URL; `connect+http(s)://host[:port]` connects there but keeps the
 * virtual-host `Host` header. Empty means no override.
 *
 * @throws Error naming `source` when the string is not one of these forms.
 */
export function parseCosEndpoint(text: string | undefined, source = "cosEndpoint"): CosEndpoint | undefined {
  const value = (text ?? "").trim();
  if (value === "") {
    return undefined;
  }
  const connect = value.startsWith("connect+");
  const raw = connect ? value.slice("connect+".length) : value;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `${source}: "${value}" is not a URL; use "http://127.0.0.1:9100" (path-style) or "connect+http://127.0.0.1:9100" (keep the virtual-host Host header)`,
    );
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash || url.username) {
    throw new Error(`${source}: "${value}" must be an http(s) URL without query, fragment or credentials`);
  }
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  return connect ? { kind: "connect", address: base } : { kind: "path", baseUrl: base };
}

/** The default virtual-host name of a bucket. */
export function cosVirtualHost(bucket: string, region: string): string {
  return `${bucket}.cos.${region}.myqcloud.com`;
}

/** Where a bucket-level request for `bucket` in `region` goes. */
export function cosTarget(bucket: string, region: string, endpoint?: CosEndpoint): CosTarget {
  const vhost = cosVirtualHost(bucket, region);
  if (!endpoint) {
    return { url: `https://${vhost}/`, host: vhost, pathname: "/" };
  }
  if (endpoint.kind === "connect") {
    return { url: `${endpoint.address}/`, host: vhost, pathname: "/" };
  }
  const base = new URL(endpoint.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const pathname = `${decodeURIComponent(prefix)}/${bucket}/`;
  return { url: `${base.protocol}//${base.host}${prefix}/${bucket}/`, host: base.host, pathname };
}
