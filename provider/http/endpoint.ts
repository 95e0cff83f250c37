/**
 * Endpoint overrides shared by every cloud: a path-style base URL (the local
 * emulator, private gateways) or a `connect+` address that keeps the real
 * virtual-host `Host` header. Each cloud supplies its own virtual-host name.
 */

/**
 * An endpoint override.
 * - `path`: a base URL used path-style: `http://host:port/<bucket>/?inventory…`.
 * - `connect`: connect to this address but keep the real virtual-host `Host`
 *   header (like the official SDKs' `Ip`/`cname` options).
 */
export type EndpointOverride = { kind: "path"; baseUrl: string } | { kind: "connect"; address: string };

/** A request target: the URL to open and the `Host` header to send. */
export interface RequestTarget {
  /** URL up to and excluding the query, e.g. `https://b-125.cos.ap-guangzhou.myqcloud.com/`. */
  url: string;
  /** `Host` header value. */
  host: string;
  /** Decoded path of the URL (what path-based signatures cover). */
  pathname: string;
}

/**
 * Parses an endpoint override string: `http(s)://host[:port]` is a path-style
 * base URL; `connect+http(s)://host[:port]` connects there but keeps the
 * virtual-host `Host` header. Empty means no override.
 *
 * @param source the config key or variable the text came from, for messages
 * @throws Error naming `source` when the string is not one of these forms.
 */
export function parseEndpointOverride(
  text: string | undefined,
  source: string,
): EndpointOverride | undefined {
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

/**
 * Where a bucket-level request goes: `https://<virtualHost>/` by default, the
 * override's address with the virtual host as `Host` for `connect`, or
 * `<baseUrl>/<bucket>/` for `path`.
 */
export function bucketTarget(
  virtualHost: string,
  bucket: string,
  endpoint?: EndpointOverride,
): RequestTarget {
  if (!endpoint) {
    return { url: `https://${virtualHost}/`, host: virtualHost, pathname: "/" };
  }
  if (endpoint.kind === "connect") {
    return { url: `${endpoint.address}/`, host: virtualHost, pathname: "/" };
  }
  const base = new URL(endpoint.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const pathname = `${decodeURIComponent(prefix)}/${bucket}/`;
  return { url: `${base.protocol}//${base.host}${prefix}/${bucket}/`, host: base.host, pathname };
}
