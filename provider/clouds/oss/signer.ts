/**
 * Alibaba Cloud OSS request signatures, V1 (`OSS <ak>:<sig>`, HMAC-SHA1) and V4
 * (`OSS4-HMAC-SHA256`), as small pure functions.
 *
 * The algorithms are the ones implemented by the official SDKs (ali-oss `signUtils`,
 * alibabacloud-oss-go-sdk-v2 `oss/signer`) and described at
 * help.aliyun.com/document_detail/31951; `docs/protocol.md` §2 lists the details and
 * the published vectors this module is tested against. Both directions share one reading of
 * the rules: `authorizeV1` (`./signer/v1`) and `authorizeV4` (`./signer/v4`) for the client,
 * `parseOssAuthorization` + `verifyOssAuthorization` (`./verify`) for the local
 * emulator. This module gathers them and adds {@link signOssRequest}, which returns a request
 * carrying every header OSS authenticates.
 */
import { RequestToSign, rfc3986Encode, withSecurityToken } from "../common/signing";
import { OSS_DATE_HEADER, OssCredentials, SECURITY_TOKEN_HEADER } from "./signer/base";
import { ossV1Date, ossV4Date } from "./signer/dates";
import { authorizeV1 } from "./signer/v1";
import { authorizeV4 } from "./signer/v4";

export type { OssCredentials, OssSignableRequest } from "./signer/base";
export { ossV1Date, ossV4Date } from "./signer/dates";
export {
  OSS_V1_SIGNED_SUBRESOURCES,
  authorizeV1,
  v1CanonicalizedResource,
  v1Signature,
  v1StringToSign,
} from "./signer/v1";
export {
  authorizeV4,
  normalizeV4AdditionalHeaders,
  v4CanonicalQuery,
  v4CanonicalRequest,
  v4CanonicalUri,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
} from "./signer/v4";
export type { OssV4AuthorizeOptions } from "./signer/v4";

/**
 * RFC 3986 percent-encoding, as OSS V4 wants it (see {@link rfc3986Encode}).
 *
 * @throws URIError if `s` holds a lone UTF-16 surrogate (it has no UTF-8 form).
 */
export const ossUriEncode: (s: string) => string = rfc3986Encode;

/** Which OSS signature to send. */
export type OssSignatureVersion = "v4" | "v1";

/** Options of {@link signOssRequest}. */
export interface OssSignOptions {
  /** Signature version. */
  version: OssSignatureVersion;
  /** Signing region for V4, without the `oss-` prefix, e.g. `cn-hangzhou`. */
  region: string;
}

/**
 * `request` signed for OSS at `nowSeconds`: with the session token
 * (`x-oss-security-token`), the date (`x-oss-date`), for V4 the payload hash
 * (`x-oss-content-sha256: UNSIGNED-PAYLOAD`, as the SDKs send), and the
 * `Authorization` header. The request is not changed; a signed copy is returned.
 *
 * @throws what {@link authorizeV1} / {@link authorizeV4} throw.
 */
export function signOssRequest(
  creds: OssCredentials,
  request: RequestToSign,
  nowSeconds: number,
  options: OssSignOptions,
): RequestToSign {
  const headers = { ...withSecurityToken(SECURITY_TOKEN_HEADER, creds.securityToken, request.headers) };
  const signable = { method: request.method, bucket: request.bucket, key: "", query: request.query, headers };
  if (options.version === "v4") {
    headers[OSS_DATE_HEADER] = ossV4Date(nowSeconds * 1000);
    headers["x-oss-content-sha256"] = "UNSIGNED-PAYLOAD";
    headers["Authorization"] = authorizeV4(creds, signable, { region: options.region });
  } else {
    // Like ali-oss: the date travels as x-oss-date, which V1 also signs.
    headers[OSS_DATE_HEADER] = ossV1Date(nowSeconds * 1000);
    headers["Authorization"] = authorizeV1(creds, signable);
  }
  return { ...request, headers };
}
