/**
 * OSS V1 signature (`Authorization: OSS <AccessKeyId>:<Signature>`, HMAC-SHA1),
 * `docs/protocol.md` §2 "V1": the signed sub-resources, the StringToSign and
 * the header value.
 */
import { compareCodeUnits, hmac } from "../../common/signing";
import {
  DATE_HEADER,
  OSS_DATE_HEADER,
  OSS_HEADER_PREFIX,
  OssCredentials,
  OssSignableRequest,
  checkAccessKeyId,
  lowercaseHeaders,
  resourcePath,
  withOssSecurityToken,
} from "./base";

/**
 * The query parameters ("sub-resources") that V1 signs; any other parameter rides outside
 * the signature. This is the union of the two official lists: aliyun-oss-go-sdk
 * `oss/conn.go` `signKeyList` and alibabacloud-oss-go-sdk-v2 `oss/signer/v1.go`
 * `requiredSignedParametersMap`. Names are case-sensitive, as on the service.
 *
 * (go-sdk-v2 additionally signs any parameter whose name starts with `x-oss-`; the
 * documented ones are listed here. ali-oss signs whatever `subres` an operation passes,
 * which for the inventory calls is `inventory`, `inventoryId` and `continuation-token`.)
 */
export const OSS_V1_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  "acl",
  "append",
  "asyncFetch",
  "bucketInfo",
  "callback",
  "callback-var",
  "cloudboxes",
  "cname",
  "comp",
  "continuation-token",
  "cors",
  "delete",
  "encryption",
  "endTime",
  "img",
  "inventory",
  "inventoryId",
  "lifecycle",
  "live",
  "location",
  "logging",
  "metaQuery",
  "objectMeta",
  "partNumber",
  "policy",
  "position",
  "qos",
  "qosInfo",
  "referer",
  "regionList",
  "replication",
  "replicationLocation",
  "replicationProgress",
  "requestPayment",
  "resourceGroup",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
  "responseHeader",
  "restore",
  "rtc",
  "security-token",
  "sequential",
  "startTime",
  "stat",
  "status",
  "style",
  "styleName",
  "symlink",
  "tagging",
  "transferAcceleration",
  "udf",
  "udfApplication",
  "udfApplicationLog",
  "udfId",
  "udfImage",
  "udfImageDesc",
  "udfName",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "vod",
  "website",
  "withHashContext",
  "worm",
  "wormExtend",
  "wormId",
  "x-oss-ac-forward-allow",
  "x-oss-ac-source-ip",
  "x-oss-ac-subnet-mask",
  "x-oss-ac-vpc-id",
  "x-oss-async-process",
  "x-oss-enable-md5",
  "x-oss-enable-sha1",
  "x-oss-enable-sha256",
  "x-oss-hash-ctx",
  "x-oss-md5-ctx",
  "x-oss-process",
  "x-oss-request-payer",
  "x-oss-traffic-limit",
]);

/**
 * The V1 date line: the `Date` header, or `x-oss-date` when there is none (ali-oss sends no
 * `Date`, only `x-oss-date`, and signs that value on the date line). `""` when neither is set.
 */
export function v1DateLine(headers: Map<string, string>): string {
  const date = headers.get(DATE_HEADER);
  if (date !== undefined && date !== "") return date;
  return headers.get(OSS_DATE_HEADER) ?? "";
}

/**
 * `CanonicalizedResource`: the resource path, then `?` and the signed sub-resources sorted by
 * name and joined with `&`. Only names in {@link OSS_V1_SIGNED_SUBRESOURCES} are signed; each is
 * `k` when its value is `""`/`undefined`, else `k=v` with the RAW value (V1 does not encode).
 *
 * @throws Error for a key without a bucket.
 */
export function v1CanonicalizedResource(req: OssSignableRequest): string {
  const subresources = Object.entries(req.query)
    .filter(([name]) => OSS_V1_SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, value]) => (value === undefined || value === "" ? name : `${name}=${value}`));
  const path = resourcePath(req);
  return subresources.length === 0 ? path : `${path}?${subresources.join("&")}`;
}

/**
 * The V1 `StringToSign`:
 * `VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource`.
 *
 * - Content-MD5 and Content-Type are taken as given (not trimmed), as ali-oss does; an HTTP
 *   server receives them with surrounding whitespace already stripped.
 * - The date line is `Date`, or `x-oss-date` when there is no `Date` header.
 * - CanonicalizedOSSHeaders: every `x-oss-*` header, `name:trim(value)\n`, sorted by lowercased name.
 *   With ali-oss, `x-oss-date` therefore appears both on the date line and here.
 * - CanonicalizedResource: see {@link v1CanonicalizedResource}.
 *
 * @throws Error for ambiguous headers (same name twice in different case) or a key without a bucket.
 */
export function v1StringToSign(req: OssSignableRequest): string {
  const headers = lowercaseHeaders(req.headers);
  const ossHeaders = [...headers.entries()]
    .filter(([name]) => name.startsWith(OSS_HEADER_PREFIX))
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join("");
  return (
    [
      req.method.toUpperCase(),
      headers.get("content-md5") ?? "",
      headers.get("content-type") ?? "",
      v1DateLine(headers),
    ]
      .map((line) => line + "\n")
      .join("") +
    ossHeaders +
    v1CanonicalizedResource(req)
  );
}

/** `Signature = base64(HMAC-SHA1(AccessKeySecret, StringToSign))`, both as UTF-8. */
export function v1Signature(accessKeySecret: string, stringToSign: string): string {
  return hmac("sha1", accessKeySecret, stringToSign).toString("base64");
}

/**
 * The V1 `Authorization` header value, `OSS <AccessKeyId>:<Signature>`.
 *
 * Every query parameter in {@link OSS_V1_SIGNED_SUBRESOURCES} is signed (ali-oss signs the
 * `subres` of each operation, which for the inventory calls are exactly those parameters).
 * With `creds.securityToken`, the request is signed as carrying `x-oss-security-token: <token>`;
 * the caller must send that header, this function does not change `req`.
 *
 * @throws Error if the request has neither `Date` nor `x-oss-date` (the service needs one),
 *   if `req.headers` holds a different `x-oss-security-token` than `creds`, if the access key
 *   id cannot be written in the header, for ambiguous headers, or a key without a bucket.
 */
export function authorizeV1(creds: OssCredentials, req: OssSignableRequest): string {
  checkAccessKeyId(creds.accessKeyId);
  const signed = withOssSecurityToken(creds, req);
  if (v1DateLine(lowercaseHeaders(signed.headers)) === "") {
    throw new Error("OSS V1 signing needs a Date or x-oss-date header");
  }
  return `OSS ${creds.accessKeyId}:${v1Signature(creds.accessKeySecret, v1StringToSign(signed))}`;
}
