/**
 * The COS dialect of the emulator: the four bucket inventory operations of
 * Tencent Cloud COS, with COS signatures, COS error bodies and COS limits.
 *
 * | request                                   | success                         |
 * |-------------------------------------------|---------------------------------|
 * | `PUT /?inventory&id=<id>` + XML           | 200, empty (overwrites an id)   |
 * | `GET /?inventory&id=<id>`                 | 200, `<InventoryConfiguration>` |
 * | `DELETE /?inventory&id=<id>`              | 204                             |
 * | `GET /?inventory[&continuation-token=<t>]` | 200, `<ListInventoryConfigurationResult>`, 100 per page, by id |
 * | `POST /?inventory&id=<id>` + XML (one-shot) | 200, `<PostInventoryResult>` (see `./cos-run`) |
 *
 * Checks run in this order; each failure is answered with the COS error body
 * (`Code`, `Message`, `Resource`, `RequestId`, `TraceId`):
 * 1. signature (`Authorization` header, or the same fields as query parameters):
 *    none or unparsable → 403 `AccessDenied`; unknown SecretId → 403 `InvalidAccessKeyId`; a
 *    temporary SecretId (from the emulator's STS or metadata) without `x-cos-security-token` → 403
 *    `InvalidAccessKeyId`, with another token → 400 `InvalidToken`, expired → 400 `ExpiredToken`;
 *    wrong signature → 403 `SignatureDoesNotMatch`; sign/key time ended → 403 `AccessDenied`
 *    `Request has expired`; starting more than 15 minutes ahead → 403 `RequestTimeTooSkewed`;
 *    `host` not in `q-header-list` → 403 `AccessDenied`; a query parameter the emulator acts on
 *    (`inventory`, `id`, `continuation-token`) sent but missing from `q-url-param-list`, or a PUT's
 *    (or POST's) `Content-MD5` missing from `q-header-list` → 403 `AccessDenied` naming it (a signature must
 *    vouch for which job it touches and, on PUT, for the body: otherwise a captured request could
 *    be replayed against another job. Stricter than COS's own doc examples, which sign only
 *    `inventory`; every official SDK signs all of these);
 * 2. bucket: none named or unknown → 404 `NoSuchBucket`;
 * 3. operation: not an inventory call → 501 `NotImplemented`, other methods → 405
 *    `MethodNotAllowed`; POST (a one-shot run) is served by `./cos-run`;
 * 4. PUT: no or empty `id` → 400 `InvalidArgument`; no `Content-MD5` → 400 `MissingContentMD5`;
 *    not base64 of 16 bytes → 400 `InvalidDigest`; not the body's MD5 → 400 `BadDigest`;
 *    unparsable XML or a required element missing → 400 `MalformedXML`; body `Id` ≠ URL id or
 *    a rule broken → 400 `InvalidArgument` naming the field(s); a new id when the bucket holds
 *    1,000 → 400 `TooManyConfigurations`;
 * 5. GET/DELETE by id: unknown id → 404 `NoSuchInventoryConfiguration` (COS does not document
 *    this code: clients must rely on the 404 status only); DELETE without `id` → 400 `InvalidArgument`;
 * 6. list: a token this emulator did not issue → 400 `InvalidArgument`.
 *
 * Every response carries `x-cos-request-id` (equal to the body's RequestId) and
 * the server adds `Date`, so the official SDK can correct its clock.
 */
import { randomBytes } from "crypto";
import {
  cosBodyShape,
  decodeInventoryConfiguration,
  encodeErrorBody,
  encodeInventoryConfiguration,
  encodeListPage,
  unknownConfigurationElements,
} from "../../clouds/cos/codec";
import type { CosInventoryConfiguration } from "../../clouds/cos/model";
import { INVENTORY_MAX_CONFIGURATIONS, INVENTORY_PAGE_SIZE } from "../../clouds/common/rules";
import { validateInventoryConfiguration } from "../../clouds/cos/rules";
import {
  AUTH_FIELDS,
  parseAuthorization,
  verifyAuthorization,
  type ParsedCosAuthorization,
} from "../../clouds/cos/verify";
import type { ValidationFailure } from "../../core/errors";
import type {
  Dialect,
  DialectContext,
  EmulatorErrorSpec,
  EmulatorRequest,
  EmulatorResponse,
} from "../contract";
import { DialectReply, xmlErrorReply, type ReplyStyle } from "./common";
import { postInventoryRun } from "./cos-run";
import { inventoryDialect } from "./inventory";
import { keySecret, type KeyStyle } from "./tokens";

/** The store namespace of COS jobs. */
export const COS_DIALECT_NAME = "cos";
/** How far (seconds) a signature's start may lie ahead of the server clock. */
export const COS_MAX_CLOCK_AHEAD_SECONDS = 15 * 60;

/** How COS answers Content-MD5 problems (it requires the header on PUT). */
const COS_MD5_CODES = { missing: "MissingContentMD5", invalid: "InvalidDigest", mismatch: "BadDigest" };

let requestCounter = 0;

/** A COS-looking request id (base64 of `<hex time>_<hex random>_<hex counter>_<hex random>`). */
function newRequestId(nowMs: number): string {
  requestCounter = (requestCounter + 1) % 0x1000000;
  const raw = [
    Math.floor(nowMs / 1000).toString(16),
    randomBytes(4).toString("hex"),
    requestCounter.toString(16),
    randomBytes(3).toString("hex"),
  ].join("_");
  return Buffer.from(raw, "utf8").toString("base64");
}

/** COS marks every response with `x-cos-request-id` and `Server: tencent-cos`. */
const COS_REPLIES: ReplyStyle = {
  requestIdHeader: "x-cos-request-id",
  server: "tencent-cos",
  newRequestId,
};

/** A COS-looking trace id. */
function newTraceId(): string {
  return Buffer.from(randomBytes(48).toString("hex"), "utf8").toString("base64");
}

/** The `Authorization` text from the header or from the query-string form, if any. */
function authorizationText(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined && header !== "") return header.trim();
  if (req.query["q-sign-algorithm"] === undefined) return undefined;
  const parts: string[] = [];
  for (const field of AUTH_FIELDS) {
    const value = req.query[field];
    if (value === undefined) return "";
    parts.push(`${field}=${value}`);
  }
  return parts.join("&");
}

/**
 * The `Resource` of an error body: host, path and query as received, minus
 * signature and token parameters (`q-*`, `x-cos-security-token`).
 */
function resourceOf(req: EmulatorRequest): string {
  const host = req.headers.host ?? "";
  const query = req.rawQuery
    .split("&")
    .filter((p) => p !== "" && !/^(q-|x-cos-security-token)/i.test(p))
    .join("&");
  return `${host}${req.rawPath}${query ? `?${query}` : ""}`;
}

/** Builds a COS error response. */
function errorReply(req: EmulatorRequest, error: EmulatorErrorSpec, nowMs: number): EmulatorResponse {
  return xmlErrorReply(COS_REPLIES, error, nowMs, (requestId) =>
    encodeErrorBody({
      code: error.code,
      message: error.message,
      resource: resourceOf(req),
      requestId,
      traceId: newTraceId(),
    }),
  );
}

/**
 * The query parameters the COS dialect acts on: a signature must cover each
 * one the request carries. Names are exact, as the handlers read them.
 */
const COS_OPERATION_PARAMETERS: readonly string[] = ["inventory", "id", "continuation-token"];

/**
 * What the request carries that decides what it does but that its signature
 * does not cover: {@link COS_OPERATION_PARAMETERS} absent from `q-url-param-list`
 * and, on PUT and POST, `content-md5` absent from `q-header-list` (it vouches for the body).
 * Both lists hold lower-cased names, as every signer writes them.
 */
function unsignedOperationParts(req: EmulatorRequest, parsed: ParsedCosAuthorization): string[] {
  const missing = COS_OPERATION_PARAMETERS.filter(
    (name) => name in req.query && !parsed.urlParamList.includes(name),
  );
  if ((req.method === "PUT" || req.method === "POST") && req.headers["content-md5"] !== undefined) {
    if (!parsed.headerList.includes("content-md5")) missing.push("the Content-MD5 header");
  }
  return missing;
}

/**
 * How COS refuses a temporary key's token (S3's codes, which COS's error list
 * mirrors; `docs/protocol.md` §7): none is an unknown key, a wrong one
 * `InvalidToken`, an expired one `ExpiredToken`.
 */
const COS_KEYS: KeyStyle = {
  cloud: COS_DIALECT_NAME,
  unknownMessage: "The SecretId you provided does not exist in our records",
  tokenHeader: "x-cos-security-token",
  tokenParam: "x-cos-security-token",
  replies: {
    missing: () =>
      new DialectReply(
        403,
        "InvalidAccessKeyId",
        "The SecretId is temporary and the request carries no x-cos-security-token",
      ),
    wrong: () =>
      new DialectReply(400, "InvalidToken", "The provided token is malformed or otherwise invalid"),
    expired: () => new DialectReply(400, "ExpiredToken", "The provided token has expired"),
  },
};

/** Checks the request's signature and time window; throws a {@link DialectReply} on failure. */
function authenticate(req: EmulatorRequest, ctx: DialectContext): void {
  const text = authorizationText(req);
  if (text === undefined) {
    throw new DialectReply(403, "AccessDenied", "Request is not signed: an Authorization header is required");
  }
  const parsed = text === "" ? undefined : parseAuthorization(text);
  if (!parsed) {
    throw new DialectReply(
      403,
      "AccessDenied",
      "The Authorization is malformed (expected q-sign-algorithm=sha1&q-ak=…)",
    );
  }
  const secret = keySecret(ctx, req, parsed.ak, COS_KEYS);
  if (!signatureMatches(req, parsed, secret)) {
    throw new DialectReply(
      403,
      "SignatureDoesNotMatch",
      "The Signature you specified is invalid. Check your SecretKey and signing method.",
    );
  }
  const nowSec = Math.floor(ctx.now() / 1000);
  if (Math.min(parsed.signTime.end, parsed.keyTime.end) < nowSec) {
    throw new DialectReply(403, "AccessDenied", "Request has expired");
  }
  if (Math.max(parsed.signTime.start, parsed.keyTime.start) > nowSec + COS_MAX_CLOCK_AHEAD_SECONDS) {
    throw new DialectReply(
      403,
      "RequestTimeTooSkewed",
      "The difference between the request time and the server's time is too large",
    );
  }
  if (!parsed.headerList.includes("host")) {
    throw new DialectReply(403, "AccessDenied", "The Host header must be signed: q-header-list lacks host");
  }
  const unsigned = unsignedOperationParts(req, parsed);
  if (unsigned.length > 0) {
    throw new DialectReply(
      403,
      "AccessDenied",
      `The signature must cover what the request acts on; unsigned: ${unsigned.join(", ")} ` +
        "(add query parameters to q-url-param-list, headers to q-header-list)",
    );
  }
}

/**
 * Whether the signature is right. Path-style requests are checked against the
 * path inside the bucket (what the SDKs sign) and, failing that, the full path.
 */
function signatureMatches(req: EmulatorRequest, parsed: ParsedCosAuthorization, secret: string): boolean {
  const candidates = req.key === req.pathname ? [req.pathname] : [req.key, req.pathname];
  return candidates.some((pathname) =>
    verifyAuthorization(parsed, secret, {
      method: req.method,
      pathname,
      query: req.query,
      headers: req.headers,
    }),
  );
}

/**
 * What is wrong with a PUT's configuration: a body `Id` other than the URL's,
 * then the COS rules (one `InvalidArgument` names them all).
 */
function failures(config: CosInventoryConfiguration, id: string): ValidationFailure[] {
  const found: ValidationFailure[] = [];
  if (config.id !== id) {
    found.push({
      property: "Id",
      reason: `Id "${config.id}" in the body differs from the id "${id}" in the URL`,
    });
  }
  found.push(...validateInventoryConfiguration(config));
  return found;
}

/** The COS dialect. */
export const cosDialect: Dialect = inventoryDialect<CosInventoryConfiguration>({
  name: COS_DIALECT_NAME,
  idParam: "id",

  recognise(req: EmulatorRequest): boolean {
    const auth = req.headers.authorization ?? "";
    if (auth.startsWith("q-sign-algorithm=") || req.query["q-sign-algorithm"] !== undefined) return true;
    if (/\.(cos|cos-internal)\.[^.]+\.(myqcloud\.com|tencentcos\.cn)(:\d+)?$/i.test(req.headers.host ?? "")) {
      return true;
    }
    if (auth.startsWith("OSS") || Object.keys(req.headers).some((h) => h.startsWith("x-oss-"))) return false;
    return "id" in req.query;
  },

  authenticate,
  errorReply,
  replies: COS_REPLIES,
  codec: {
    decode: decodeInventoryConfiguration,
    unknownElements: unknownConfigurationElements,
    // A GET answers in the shape the job was written (a lone prefix inside <And> stays there).
    encode: (config, written) => encodeInventoryConfiguration(config, cosBodyShape(written)),
    encodeList: (page, written) => encodeListPage(page, written.map(cosBodyShape)),
  },
  failures,
  md5: COS_MD5_CODES,
  limits: { maxConfigurations: INVENTORY_MAX_CONFIGURATIONS, pageSize: INVENTORY_PAGE_SIZE },
  noSuchBucket: {
    unnamed:
      "The request names no bucket: use Host <bucket>.cos.<region>.myqcloud.com or the path /<bucket>/",
    unknown: "The specified bucket does not exist",
  },
  malformedXml: "The XML you provided was not well-formed or did not validate against our published schema",
  // COS does not document this code: clients must rely on the 404 status only.
  notFound: {
    code: "NoSuchInventoryConfiguration",
    message: "The specified inventory configuration does not exist",
  },
  tooMany: {
    code: "TooManyConfigurations",
    message: `You are attempting to create a new configuration but have already reached the ${INVENTORY_MAX_CONFIGURATIONS}-configuration limit`,
  },
  extraMethods: { POST: postInventoryRun },
});
