/**
 * Reading an HTTP request into the emulator's {@link EmulatorRequest}: the
 * body (capped at {@link MAX_BODY_BYTES}), the decoded path and query, and the
 * bucket named by the Host header or the first path segment. Pure apart from
 * {@link readBody}, which consumes the Node stream.
 */
import type * as http from "http";
import { isIP } from "net";
import { MAX_BODY_BYTES, type EmulatorRequest } from "./contract";

/** Splits a Host header value into host name and port, handling `[v6]:port`. */
function hostName(hostHeader: string): string {
  const v6 = /^\[([^\]]*)\]/.exec(hostHeader);
  if (v6) return v6[1];
  const colon = hostHeader.lastIndexOf(":");
  return (colon >= 0 ? hostHeader.slice(0, colon) : hostHeader).toLowerCase();
}

/** Decodes percent-escapes, or returns undefined when they are malformed. */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Parses a query string; `+` stays `+` (SDKs encode spaces as %20). */
function parseQuery(rawQuery: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (!rawQuery) return out;
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    const v = eq >= 0 ? safeDecode(part.slice(eq + 1)) : "";
    if (k === undefined || v === undefined) return undefined;
    if (!(k in out)) out[k] = v;
  }
  return out;
}

/** An absolute-form request target: scheme, `://`, authority, then the path (maybe empty). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)([^#]*)/;

/**
 * Splits a request target into its path and query (without `?`), and the
 * authority when the target is in absolute form (`GET http://host/path`,
 * which clients send through a proxy). RFC 9112 §3.2.2 has a server accept
 * that form and use its authority in place of the Host header.
 */
function splitTarget(rawUrl: string): { rawPath: string; rawQuery: string; authority?: string } {
  const absolute = ABSOLUTE_FORM.exec(rawUrl);
  const origin = absolute ? absolute[2] || "/" : rawUrl;
  const q = origin.indexOf("?");
  const parts = {
    rawPath: q >= 0 ? origin.slice(0, q) : origin,
    rawQuery: q >= 0 ? origin.slice(q + 1) : "",
  };
  // userinfo is not part of the host (RFC 9112 forbids it in the target, but do not misread it as a name).
  return absolute ? { ...parts, authority: absolute[1].slice(absolute[1].lastIndexOf("@") + 1) } : parts;
}

/** The bucket a request names: path style first, then a virtual-host name (not an IP). */
function addressOf(pathname: string, host: string): Pick<EmulatorRequest, "bucket" | "addressing" | "key"> {
  if (pathname !== "/") {
    const slash = pathname.indexOf("/", 1);
    const bucket = slash >= 0 ? pathname.slice(1, slash) : pathname.slice(1);
    const key = slash >= 0 ? pathname.slice(slash) : "/";
    return bucket ? { bucket, addressing: "path", key } : { addressing: "none", key };
  }
  const name = hostName(host);
  if (name && isIP(name) === 0 && name.includes(".")) {
    const bucket = name.slice(0, name.indexOf("."));
    if (bucket) return { bucket, addressing: "virtual-host", key: pathname };
  }
  return { addressing: "none", key: pathname };
}

/** Builds an {@link EmulatorRequest} from what Node parsed; undefined for an undecodable URL. */
export function buildRequest(
  method: string,
  rawUrl: string,
  rawHeaders: http.IncomingHttpHeaders,
  body: Buffer,
  bodyTooLarge: boolean,
): EmulatorRequest | undefined {
  const { rawPath, rawQuery, authority } = splitTarget(rawUrl);
  const pathname = safeDecode(rawPath);
  const query = parseQuery(rawQuery);
  if (pathname === undefined || query === undefined || !pathname.startsWith("/")) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  if (authority !== undefined && authority !== "") headers.host = authority;
  return {
    method: method.toUpperCase(),
    rawUrl,
    rawPath,
    pathname,
    rawQuery,
    query,
    headers,
    body,
    bodyTooLarge,
    ...addressOf(pathname, headers.host ?? ""),
  };
}

/**
 * The stand-in for a request {@link buildRequest} could not decode, so that
 * a dialect can still answer it (with `InvalidURI`): the raw path, no query,
 * only the Host header, no bucket.
 */
export function undecodableRequest(
  method: string,
  rawUrl: string,
  host: string,
  body: Buffer,
  bodyTooLarge: boolean,
): EmulatorRequest {
  const { rawPath, authority } = splitTarget(rawUrl);
  return {
    method: method.toUpperCase(),
    rawUrl,
    rawPath,
    pathname: rawPath,
    rawQuery: "",
    query: {},
    headers: { host: authority || host },
    body,
    bodyTooLarge,
    addressing: "none",
    key: rawPath,
  };
}

/** A request body read up to {@link MAX_BODY_BYTES}. */
export interface ReadBody {
  /** The body, truncated when too large. */
  body: Buffer;
  /** Whether it exceeded {@link MAX_BODY_BYTES}. */
  tooLarge: boolean;
}

/** Reads a request body up to {@link MAX_BODY_BYTES}; keeps draining past it. */
export function readBody(req: http.IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}
