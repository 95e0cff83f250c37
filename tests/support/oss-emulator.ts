/**
 * Requests in the emulator's OSS dialect, signed with our OSS signer (V1 or
 * V4), for the emulator suites: the suites' buckets, key and job, the four
 * inventory calls, and the OSS error assertion.
 */
import {
  OSS_XML_DECLARATION,
  decodeErrorBody,
  encodeInventoryConfiguration,
} from "../../provider/clouds/oss/codec";
import { OssInventoryClient, type OssSignatureVersion } from "../../provider/clouds/oss/client";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { authorizeV1, authorizeV4, ossV1Date, ossV4Date } from "../../provider/clouds/oss/signer";
import type { RunningEmulator } from "../../provider/emulator/server";
import {
  suiteJob,
  inventoryCalls,
  startAdminEmulator,
  queryParams,
  sendSigned,
  unsignedRequest,
  type InventoryRequestOptions,
  type QueryList,
} from "./emulator-suite";
import type { Reply } from "./http";

/** The suites' OSS bucket. */
export const BUCKET = "examplebucket";
/** The report destination bucket (also a second bucket). */
export const DEST_BUCKET = "destination-bucket";
/** The suites' OSS region. */
export const REGION = "cn-hangzhou";
/** The virtual-host name of {@link BUCKET}. */
export const VHOST = `${BUCKET}.oss-${REGION}.aliyuncs.com`;
/** The suites' account. */
export const ACCOUNT = "1000000000000000";
/** The suites' AccessKeyId. */
export const AK = "LTAI5tOssEmulatorTestKey";
/** The suites' AccessKeySecret. */
export const SK = "oss-emulator-test-access-key-secret";
/** An OSS request id: 24 upper-case hex digits. */
export const REQUEST_ID = /^[0-9A-F]{24}$/;

/** An emulator with the admin API knowing {@link BUCKET}, {@link DEST_BUCKET}, any `more` buckets and the suites' key. */
export const startOssEmulator = (...more: string[]): Promise<RunningEmulator> =>
  startAdminEmulator([BUCKET, DEST_BUCKET, ...more], { id: AK, secret: SK });

/** Our OSS client pointed at the emulator (path style), signing with `version`. */
export const ossClient = (emu: RunningEmulator, version: OssSignatureVersion): OssInventoryClient =>
  new OssInventoryClient({
    credentials: { accessKeyId: AK, accessKeySecret: SK },
    region: REGION,
    endpoint: { kind: "path", baseUrl: emu.url },
    signatureVersion: version,
    transport: { baseDelayMs: 1 },
  });

/** An OSS request as the suites send it. */
export interface SignedOptions extends InventoryRequestOptions {
  version?: 1 | 4;
  accessKeyId?: string;
  secret?: string;
  /** The request's date, epoch ms; default now. */
  timeMs?: number;
  securityToken?: string;
  /** Change the Authorization header after signing. */
  tamper?: (authorization: string) => string;
  /** Change the query after signing (what is sent, not what was signed). */
  sendQuery?: QueryList;
}

/** Sends a request signed with our OSS signer (V4 unless told otherwise); virtual-host style unless told otherwise. */
export function signed(emu: RunningEmulator, o: SignedOptions): Promise<Reply> {
  const request = unsignedRequest(emu, o, BUCKET, (bucket) => `${bucket}.oss-${REGION}.aliyuncs.com`);
  const { bucket, headers } = request;
  const time = o.timeMs ?? Date.now();
  const creds = {
    accessKeyId: o.accessKeyId ?? AK,
    accessKeySecret: o.secret ?? SK,
    securityToken: o.securityToken,
  };
  if (o.securityToken) headers["x-oss-security-token"] = o.securityToken;
  const query = Object.fromEntries(o.query.map(([k, v]) => [k, v ?? ""]));
  const signable = { method: o.method, bucket, key: "", query, headers };
  let auth: string;
  if ((o.version ?? 4) === 4) {
    headers["x-oss-date"] = ossV4Date(time);
    headers["x-oss-content-sha256"] = "UNSIGNED-PAYLOAD";
    auth = authorizeV4(creds, signable, { region: REGION });
  } else {
    headers["x-oss-date"] = ossV1Date(time);
    auth = authorizeV1(creds, signable);
  }
  headers.Authorization = o.tamper ? o.tamper(auth) : auth;
  return sendSigned(emu, o, request, queryParams(o.sendQuery ?? o.query));
}

/** The suites' OSS job. */
export function config(
  id: string,
  overrides: Partial<OssInventoryConfiguration> = {},
): OssInventoryConfiguration {
  return suiteJob<OssInventoryConfiguration>(
    id,
    {
      format: "CSV",
      accountId: ACCOUNT,
      roleArn: `acs:ram::${ACCOUNT}:role/AliyunOSSRole`,
      bucket: `acs:oss:::${DEST_BUCKET}`,
      prefix: "reports",
      encryption: { type: "SSE-OSS" },
    },
    overrides,
  );
}

/** The query of a call on job `id`: `?inventory&inventoryId=<id>`. */
export const withId = (id: string): QueryList => [
  ["inventory", undefined],
  ["inventoryId", id],
];

/** PUT, GET, DELETE and list in the OSS dialect (`?inventory&inventoryId=`). */
export const { put, get, del, list } = inventoryCalls<SignedOptions>(signed, "inventoryId", undefined, (id) =>
  encodeInventoryConfiguration(config(id)),
);

/** Asserts an OSS error answer (status, code, optional EC) and returns its decoded body. */
export function expectOssError(
  reply: Reply,
  status: number,
  code: string,
  ec?: string,
): ReturnType<typeof decodeErrorBody> {
  const body = decodeErrorBody(reply.body);
  expect({ status: reply.status, code: body.code }).toEqual({ status, code });
  expect(reply.headers["content-type"]).toBe("application/xml");
  expect(reply.headers.server).toBe("AliyunOSS");
  expect(reply.body.startsWith(`${OSS_XML_DECLARATION}<Error><Code>`)).toBe(true);
  expect(reply.headers["x-oss-request-id"]).toMatch(REQUEST_ID);
  expect(body.requestId).toBe(reply.headers["x-oss-request-id"]);
  expect(body.message).toEqual(expect.any(String));
  expect(reply.body).toContain("<HostId>");
  if (ec !== undefined) expect(body.ec).toBe(ec);
  return body;
}
