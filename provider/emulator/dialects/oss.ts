/**
 * The OSS dialect of the emulator: the four bucket inventory operations of
 * Alibaba Cloud OSS, with OSS V1 and V4 signatures, OSS error bodies and OSS
 * limits.
 *
 * | request                                              | success                                   |
 * |------------------------------------------------------|-------------------------------------------|
 * | `PUT /?inventory&inventoryId=<id>` + XML             | 200, empty; 409 if the id exists          |
 * | `GET /?inventory&inventoryId=<id>`                   | 200, `<InventoryConfiguration>`           |
 * | `DELETE /?inventory&inventoryId=<id>`                | 204                                       |
 * | `GET /?inventory[&continuation-token=<t>]`           | 200, `<ListInventoryConfigurationsResult>`, 100 per page, by id |
 *
 * Checks run in this order; each failure is answered with the OSS error body
 * (`Code`, `Message`, `RequestId`, `HostId`, `EC`, and more where OSS adds it):
 * 1. signature (`Authorization: OSS <ak>:<sig>` or `OSS4-HMAC-SHA256 …`): none → 403
 *    `AccessDenied`; unparsable → 400 `InvalidArgument`; unknown key → 403
 *    `InvalidAccessKeyId`; a temporary key (from the emulator's STS or metadata) without
 *    `x-oss-security-token` → 403 `InvalidAccessKeyId`, with another → 403 `InvalidSecurityToken`
 *    (EC 0002-00000008), expired → 403 `SecurityTokenExpired` (EC 0002-00000007); wrong signature → 403 `SignatureDoesNotMatch` (EC 0002-00000040, with
 *    `SignatureProvided`; a V1 request without any date cannot be verified and gets this too); an
 *    unreadable date, or one more than 15 minutes off → 403
 *    `RequestTimeTooSkewed`; a V4 scope date unlike `x-oss-date` or a scope not `…/oss/aliyun_v4_request` →
 *    403 `SignatureDoesNotMatch`; a query parameter the emulator acts on (`inventory`, `inventoryId`,
 *    `continuation-token`) that the signature does not cover → 403 `AccessDenied` naming it. V4 signs
 *    every parameter and V1 its listed sub-resources, which include all three, so this only fires
 *    should that list ever lose one (client and emulator share it);
 * 2. bucket: none named or unknown → 404 `NoSuchBucket` (EC 0015-00000101);
 * 3. operation: not an inventory call → 501 `NotImplemented`; other methods → 405 `MethodNotAllowed`;
 * 4. PUT: no `inventoryId` → 400 `InvalidArgument`; a `Content-MD5` that is not base64 of 16 bytes or
 *    not the body's MD5 → 400 `InvalidDigest` (a missing one is accepted: the OSS docs do not show it);
 *    unparsable XML or a required element missing → 400 `MalformedXML` (EC 0016-00000608); body `Id` ≠
 *    URL id → 400 `InvalidArgument` (EC 0020-00000043); a rule broken → 400 `InvalidArgument`; an id
 *    that exists → 409 `InventoryConfigurationAlreadyExists`; a new id when the bucket holds 1,000 →
 *    400 `TooManyInventoryConfigurations`;
 * 5. GET/DELETE by id: unknown id → 404 `NoSuchInventory`;
 * 6. list: a token this emulator did not issue → 400 `InvalidArgument`.
 *
 * Every response carries `x-oss-request-id` (24 upper-case hex digits, equal to
 * the body's RequestId) and the server adds `Date`. An error to a HEAD request
 * (which gets no body) carries the error XML base64-encoded in `x-oss-err`.
 */
import { randomBytes } from "crypto";
import {
  decodeInventoryConfiguration,
  encodeErrorBody,
  encodeInventoryConfiguration,
  encodeListPage,
  unknownConfigurationElements,
} from "../../clouds/oss/codec";
import type { OssInventoryConfiguration } from "../../clouds/oss/model";
import { INVENTORY_MAX_CONFIGURATIONS, INVENTORY_PAGE_SIZE } from "../../clouds/common/rules";
import { validateInventoryConfiguration } from "../../clouds/oss/rules";
import { OSS_V1_SIGNED_SUBRESOURCES, type OssSignableRequest } from "../../clouds/oss/signer";
import {
  parseOssAuthorization,
  verifyOssAuthorization,
  type ParsedOssAuthorization,
} from "../../clouds/oss/verify";
import type { ValidationFailure } from "../../core/errors";
import type { Dialect, DialectContext, EmulatorRequest, EmulatorResponse } from "../contract";
import { DialectReply, failureText, xmlErrorReply, type DialectError, type ReplyStyle } from "./common";
import { inventoryDialect } from "./inventory";
import { keySecret, type KeyStyle } from "./tokens";

/** The store namespace of OSS jobs. */
export const OSS_DIALECT_NAME = "oss";
/** How far (seconds) a request's date may be from the server clock. */
export const OSS_MAX_CLOCK_SKEW_SECONDS = 15 * 60;

/** OSS answers a bad Content-MD5 with InvalidDigest and accepts a missing one (not established otherwise). */
const OSS_MD5_CODES = { invalid: "InvalidDigest", mismatch: "InvalidDigest" };

/** ECs (OSS's detailed error codes) `docs/protocol.md` §3 establishes; other errors carry none we could vouch for. */
const KNOWN_EC: Readonly<Record<string, string>> = {
  NoSuchBucket: "0015-00000101",
  MalformedXML: "0016-00000608",
  SignatureDoesNotMatch: "0002-00000040",
};

/** An OSS-looking request id: 24 upper-case hex digits (time, then random). */
function newRequestId(nowMs: number): string {
  const time = Math.floor(nowMs / 1000)
    .toString(16)
    .toUpperCase()
    .padStart(8, "0")
    .slice(-8);
  return time + randomBytes(8).toString("hex").toUpperCase();
}

/** OSS marks every response with `x-oss-request-id` and `Server: AliyunOSS`. */
const OSS_REPLIES: ReplyStyle = { requestIdHeader: "x-oss-request-id", server: "AliyunOSS", newRequestId };

/** Builds an OSS error response. */
function errorReply(req: EmulatorRequest, error: DialectError, nowMs: number): EmulatorResponse {
  const extra = error.extra ?? {};
  const reply = xmlErrorReply(OSS_REPLIES, error, nowMs, (requestId) =>
    encodeErrorBody({
      code: error.code,
      message: error.message,
      requestId,
      hostId: req.headers.host ?? "",
      ec: extra.ec ?? KNOWN_EC[error.code] ?? "",
      ...(req.bucket && error.code === "NoSuchBucket" ? { bucketName: req.bucket } : {}),
      ...(extra.signatureProvided !== undefined ? { signatureProvided: extra.signatureProvided } : {}),
    }),
  );
  // A HEAD answer has no body, so OSS sends the error XML base64-encoded in
  // `x-oss-err` (`docs/protocol.md` §3; go-v2 client.go and ali-oss read it there).
  if (req.method === "HEAD") reply.headers["x-oss-err"] = Buffer.from(reply.body, "utf8").toString("base64");
  return reply;
}

/** The request as the OSS signers see it. */
function signable(req: EmulatorRequest): OssSignableRequest {
  return {
    method: req.method,
    bucket: req.bucket,
    key: req.key.startsWith("/") ? req.key.slice(1) : req.key,
    query: req.query,
    headers: req.headers,
  };
}

/** The request time (epoch ms) the signature vouches for, or undefined if it carries none. */
function requestTime(req: EmulatorRequest, parsed: ParsedOssAuthorization): number | undefined {
  const date = req.headers["x-oss-date"] ?? req.headers.date;
  if (date === undefined) return undefined;
  if (parsed.version === 4) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!m) return undefined;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  }
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The query parameters the OSS dialect acts on: a signature must cover each
 * one the request carries, or it could be replayed against another job.
 */
const OSS_OPERATION_PARAMETERS: readonly string[] = ["inventory", "inventoryId", "continuation-token"];

/**
 * The query parameters of `req` that a signature of `version` leaves out: V1
 * signs only the sub-resources in {@link OSS_V1_SIGNED_SUBRESOURCES}, V4 every
 * parameter (its canonical query lists them all).
 */
function unsignedOperationParameters(req: EmulatorRequest, version: 1 | 4): string[] {
  return OSS_OPERATION_PARAMETERS.filter(
    (name) => name in req.query && version === 1 && !OSS_V1_SIGNED_SUBRESOURCES.has(name),
  );
}

/**
 * How OSS refuses a temporary key's token (`docs/protocol.md` §7): none is an
 * unknown key, a wrong one `InvalidSecurityToken` (EC 0002-00000008), an
 * expired one `SecurityTokenExpired` (EC 0002-00000007).
 */
const OSS_KEYS: KeyStyle = {
  cloud: OSS_DIALECT_NAME,
  unknownMessage: "The OSS Access Key Id you provided does not exist in our records.",
  tokenHeader: "x-oss-security-token",
  tokenParam: "security-token",
  replies: {
    missing: () =>
      new DialectReply(
        403,
        "InvalidAccessKeyId",
        "The OSS Access Key Id you provided does not exist in our records.",
      ),
    wrong: () =>
      new DialectReply(403, "InvalidSecurityToken", "The security token you provided is invalid.", {
        ec: "0002-00000008",
      }),
    expired: () =>
      new DialectReply(403, "SecurityTokenExpired", "The security token you provided has expired.", {
        ec: "0002-00000007",
      }),
  },
};

/** Checks the request's signature and date; throws a {@link DialectReply} on failure. */
function authenticate(req: EmulatorRequest, ctx: DialectContext): void {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") {
    throw new DialectReply(
      403,
      "AccessDenied",
      "You have no right to access this resource: the request is not signed.",
    );
  }
  const parsed = parseOssAuthorization(header.trim());
  if (!parsed) {
    throw new DialectReply(
      400,
      "InvalidArgument",
      "Authorization header is invalid (expected OSS <AccessKeyId>:<Signature> or OSS4-HMAC-SHA256 Credential=…).",
    );
  }
  const mismatch = (): DialectReply =>
    new DialectReply(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      {
        signatureProvided: parsed.signature,
      },
    );
  const secret = keySecret(ctx, req, parsed.accessKeyId, OSS_KEYS);
  if (!verifyOssAuthorization(parsed, secret, signable(req))) throw mismatch();
  const unsigned = unsignedOperationParameters(req, parsed.version);
  if (unsigned.length > 0) {
    throw new DialectReply(
      403,
      "AccessDenied",
      `The signature must cover the query parameters the request acts on; unsigned: ${unsigned.join(", ")}`,
    );
  }
  const time = requestTime(req, parsed);
  if (parsed.version === 4) {
    const date = req.headers["x-oss-date"] ?? "";
    if (parsed.service !== "oss" || !date.startsWith(parsed.date)) throw mismatch();
  }
  if (time === undefined || Math.abs(time - ctx.now()) > OSS_MAX_CLOCK_SKEW_SECONDS * 1000) {
    throw new DialectReply(
      403,
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large.",
    );
  }
}

/**
 * What is wrong with a PUT's configuration: a body `Id` other than the URL's
 * is its own error (with an EC), then the OSS rules.
 */
function failures(config: OssInventoryConfiguration, id: string): ValidationFailure[] {
  if (config.id !== id) {
    throw new DialectReply(
      400,
      "InvalidArgument",
      `Id "${config.id}" in the body differs from inventoryId "${id}" in the URL`,
      { ec: "0020-00000043" },
    );
  }
  const found = validateInventoryConfiguration(config);
  // The EC of the first failure whose rule has one: what OSS's own answer carries.
  const ec = found.map((f) => RULE_EC[f.property]).find((code) => code !== undefined);
  if (ec !== undefined) {
    throw new DialectReply(400, "InvalidArgument", `Invalid inventory configuration: ${failureText(found)}`, {
      ec,
    });
  }
  return found;
}

/**
 * The ECs of the rules OSS's error pages (0020-000000xx) name, by the model
 * path a rule reports; a failure of another rule carries no EC.
 */
const RULE_EC: Readonly<Record<string, string>> = {
  id: "0020-00000044",
  "filter.prefix": "0020-00000021",
  // 22: the begin time (after the end, or out of range); 23: the end time out of range.
  "filter.lastModifyBeginTimeStamp": "0020-00000022",
  "filter.lastModifyEndTimeStamp": "0020-00000023",
  "filter.upperSizeBound": "0020-00000024",
  "filter.lowerSizeBound": "0020-00000025",
  "filter.storageClass": "0020-00000026",
  "destination.prefix": "0020-00000038",
};

/** The OSS dialect. */
export const ossDialect: Dialect = inventoryDialect<OssInventoryConfiguration>({
  name: OSS_DIALECT_NAME,
  idParam: "inventoryId",

  recognise(req: EmulatorRequest): boolean {
    const auth = req.headers.authorization ?? "";
    if (auth.startsWith("OSS ") || auth.startsWith("OSS4-HMAC-SHA256 ")) return true;
    if (auth.startsWith("q-sign-algorithm=") || req.query["q-sign-algorithm"] !== undefined) return false;
    if (/\.oss-[^.]+\.aliyuncs\.com(:\d+)?$/i.test(req.headers.host ?? "")) return true;
    if (Object.keys(req.headers).some((h) => h.startsWith("x-oss-"))) return true;
    return "inventoryId" in req.query;
  },

  authenticate,
  errorReply,
  replies: OSS_REPLIES,
  codec: {
    decode: decodeInventoryConfiguration,
    unknownElements: unknownConfigurationElements,
    // The OSS model leaves no choice of shape.
    encode: (config) => encodeInventoryConfiguration(config),
    encodeList: (page) => encodeListPage(page),
  },
  failures,
  md5: OSS_MD5_CODES,
  limits: { maxConfigurations: INVENTORY_MAX_CONFIGURATIONS, pageSize: INVENTORY_PAGE_SIZE },
  noSuchBucket: {
    unnamed: "The specified bucket does not exist.",
    unknown: "The specified bucket does not exist.",
  },
  malformedXml: "The XML you provided was not well-formed or did not validate",
  notFound: { code: "NoSuchInventory", message: "The specified inventory does not exist" },
  tooMany: {
    code: "TooManyInventoryConfigurations",
    message: `The bucket already holds the maximum of ${INVENTORY_MAX_CONFIGURATIONS} inventory configurations.`,
  },
  alreadyExists: (id) =>
    new DialectReply(
      409,
      "InventoryConfigurationAlreadyExists",
      `The inventory configuration "${id}" already exists.`,
      { ec: "0020-00000042" },
    ),
});
