/**
 * The emulator's side of COS signatures (`docs/protocol.md` §1): parsing an
 * `Authorization` header strictly and recomputing its signature with the same
 * steps the client signs with (`./signer`), so both sides of the wire share one reading.
 */
import { constantTimeEqual } from "../common/signing";
import {
  type CosSignableRequest,
  canonicalize,
  httpString,
  selectByName,
  signKey,
  signature,
  splitList,
  stringToSign,
} from "./signer";

/** The fields of an `Authorization` header, as produced by {@link parseAuthorization}. */
export interface ParsedCosAuthorization {
  /** `q-ak`: the SecretId. */
  ak: string;
  /** `q-sign-time`, unix seconds. Goes into StringToSign. */
  signTime: { start: number; end: number };
  /** `q-key-time`, unix seconds. Keys the SignKey HMAC. */
  keyTime: { start: number; end: number };
  /** `q-header-list`, split on `;`: lowercased, URL-encoded header names. */
  headerList: string[];
  /** `q-url-param-list`, split on `;`: lowercased, URL-encoded parameter names. */
  urlParamList: string[];
  /** `q-signature`: 40 lowercase hex digits. */
  signature: string;
}

/** The fields of a COS signature, in `Authorization` order (also its query-string form). */
export const AUTH_FIELDS = [
  "q-sign-algorithm",
  "q-ak",
  "q-sign-time",
  "q-key-time",
  "q-header-list",
  "q-url-param-list",
  "q-signature",
] as const;

/** `"<start>;<end>"` in canonical decimal (no leading zeros), so that re-joining it gives back the signed text. */
function parseTimeWindow(text: string): { start: number; end: number } | undefined {
  const m = /^(0|[1-9][0-9]*);(0|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return undefined;
  return { start, end };
}

/**
 * Parses an `Authorization` header of the `q-sign-algorithm=sha1` form. Strict: each of the
 * seven fields exactly once and nothing else, algorithm `sha1`, decimal time windows, a
 * 40-digit lowercase hex signature.
 *
 * It only checks syntax: whether the window covers "now" and whether the signature is right
 * are the caller's and {@link verifyAuthorization}'s business.
 *
 * @returns the fields, or `undefined` if the header is not of this form.
 */
export function parseAuthorization(header: string): ParsedCosAuthorization | undefined {
  const fields = new Map<string, string>();
  for (const part of header.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    const key = part.slice(0, eq);
    if (fields.has(key) || !(AUTH_FIELDS as readonly string[]).includes(key)) return undefined;
    fields.set(key, part.slice(eq + 1));
  }
  const get = (k: (typeof AUTH_FIELDS)[number]): string | undefined => fields.get(k);

  const ak = get("q-ak");
  const signTime = parseTimeWindow(get("q-sign-time") ?? "");
  const keyTimeWindow = parseTimeWindow(get("q-key-time") ?? "");
  const headerList = get("q-header-list");
  const urlParamList = get("q-url-param-list");
  const sig = get("q-signature");
  if (
    get("q-sign-algorithm") !== "sha1" ||
    !ak ||
    !signTime ||
    !keyTimeWindow ||
    headerList === undefined ||
    urlParamList === undefined ||
    sig === undefined ||
    !/^[0-9a-f]{40}$/.test(sig)
  ) {
    return undefined;
  }
  const headerNames = splitList(headerList);
  const paramNames = splitList(urlParamList);
  // "a;;b" would name an empty header; no signer produces it.
  if (headerNames.includes("") || paramNames.includes("")) return undefined;
  return {
    ak,
    signTime,
    keyTime: keyTimeWindow,
    headerList: headerNames,
    urlParamList: paramNames,
    signature: sig,
  };
}

/**
 * Recomputes the signature of `req` over exactly the headers and parameters the
 * `Authorization` names and compares it in constant time.
 *
 * Names are looked up case-insensitively. A named header or parameter that the request
 * lacks, or that appears twice, fails; request headers and parameters the lists do not
 * name are ignored (node, for one, sends `x-cos-security-token` unsigned). The lists must
 * be in canonical sorted order, as every SDK sends them.
 *
 * The time window is not checked here (see {@link parseAuthorization}).
 */
export function verifyAuthorization(
  parsed: ParsedCosAuthorization,
  secretKey: string,
  req: CosSignableRequest,
): boolean {
  try {
    const headers = selectByName(req.headers, parsed.headerList, false);
    const query = selectByName(req.query, parsed.urlParamList, true);
    if (canonicalize(headers).list !== parsed.headerList.join(";")) return false;
    if (canonicalize(query).list !== parsed.urlParamList.join(";")) return false;

    const key = signKey(secretKey, `${parsed.keyTime.start};${parsed.keyTime.end}`);
    const sts = stringToSign(
      `${parsed.signTime.start};${parsed.signTime.end}`,
      httpString(req, parsed.headerList, parsed.urlParamList),
    );
    return constantTimeEqual(signature(key, sts), parsed.signature);
  } catch (e) {
    // A lone surrogate in the request cannot be encoded, hence cannot have been signed.
    if (e instanceof URIError) return false;
    throw e;
  }
}
