/**
 * Requests in the emulator's COS dialect, signed with our COS signer, for the
 * emulator suites: the suites' bucket, key and job, the four inventory calls
 * with every way of signing them wrongly, and the COS error assertion.
 */
import { decodeErrorBody, encodeInventoryConfiguration } from "../../provider/clouds/cos/codec";
import type { CosInventoryConfiguration } from "../../provider/clouds/cos/model";
import { authorize } from "../../provider/clouds/cos/signer";
import type { RunningEmulator } from "../../provider/emulator/server";
import {
  suiteJob,
  inventoryCalls,
  startAdminEmulator,
  queryParams,
  sendSigned,
  unsignedRequest,
  type InventoryRequestOptions,
} from "./emulator-suite";
import type { Reply } from "./http";

/** The suites' COS bucket. */
export const BUCKET = "examplebucket-1250000000";
/** A second COS bucket (also the report destination). */
export const OTHER_BUCKET = "inventorybucket-1250000000";
/** The suites' COS region. */
export const REGION = "ap-guangzhou";
/** The suites' SecretId. */
export const AK = "AKIDTESTEXAMPLE";
/** The suites' SecretKey. */
export const SK = "test-secret-key";

/** An emulator with the admin API knowing {@link BUCKET}, {@link OTHER_BUCKET} and the suites' key. */
export const startCosEmulator = (): Promise<RunningEmulator> =>
  startAdminEmulator([BUCKET, OTHER_BUCKET], { id: AK, secret: SK });

/** A COS request as the suites send it. */
export interface SignedOptions extends InventoryRequestOptions {
  secretId?: string;
  secretKey?: string;
  /** Validity window in unix seconds; default now-1 … now+900. */
  window?: [number, number];
  /** Sign the path including the bucket (path-style only). */
  signFullPath?: boolean;
  /** Which headers to sign (default: the signer's default set). */
  signHeaders?: (name: string) => boolean;
  /** Which query parameters to sign (default: all). */
  signParams?: (name: string) => boolean;
  /** Move the signature into the query string. */
  signatureInQuery?: boolean;
  /** Change the signature after signing. */
  tamper?: (authorization: string) => string;
  /** A temporary key's token, sent as `x-cos-security-token` (and signed). */
  securityToken?: string;
}

/** Sends a request signed with our signer (`authorize`); virtual-host style unless told otherwise. */
export function signed(emu: RunningEmulator, o: SignedOptions): Promise<Reply> {
  const request = unsignedRequest(emu, o, BUCKET, (bucket) => `${bucket}.cos.${REGION}.myqcloud.com`);
  if (o.securityToken !== undefined) request.headers["x-cos-security-token"] = o.securityToken;
  const now = Math.floor(Date.now() / 1000);
  const [startTime, endTime] = o.window ?? [now - 1, now + 900];
  const query = Object.fromEntries(o.query);
  const pathname = o.style === "path" && o.signFullPath ? `/${o.bucket ?? BUCKET}/` : "/";
  let auth = authorize(
    { secretId: o.secretId ?? AK, secretKey: o.secretKey ?? SK },
    { method: o.method, pathname, query, headers: request.headers },
    { startTime, endTime, signHeaders: o.signHeaders, signParams: o.signParams },
  );
  if (o.tamper) auth = o.tamper(auth);
  const params = queryParams(o.query);
  if (o.signatureInQuery) {
    for (const part of auth.split("&")) {
      const eq = part.indexOf("=");
      params.push(`${part.slice(0, eq)}=${encodeURIComponent(part.slice(eq + 1))}`);
    }
  } else {
    request.headers.Authorization = auth;
  }
  return sendSigned(emu, o, request, params);
}

/** The suites' COS job. */
export function config(
  id: string,
  overrides: Partial<CosInventoryConfiguration> = {},
): CosInventoryConfiguration {
  return suiteJob<CosInventoryConfiguration>(
    id,
    {
      format: "CSV",
      accountId: "100000000001",
      bucket: `qcs::cos:${REGION}::${OTHER_BUCKET}`,
      prefix: "reports",
      encryption: "SSE-COS",
    },
    overrides,
  );
}

/** PUT, GET, DELETE and list in the COS dialect (`?inventory=&id=`). */
export const { put, get, del, list } = inventoryCalls<SignedOptions>(signed, "id", "", (id) =>
  encodeInventoryConfiguration(config(id)),
);

/** Asserts a COS error answer and returns its decoded body. */
export function expectCosError(
  reply: Reply,
  status: number,
  code: string,
): ReturnType<typeof decodeErrorBody> {
  expect({ status: reply.status, code: decodeErrorBody(reply.body).code }).toEqual({ status, code });
  expect(reply.headers["content-type"]).toBe("application/xml");
  const body = decodeErrorBody(reply.body);
  expect(body.requestId).toBe(reply.headers["x-cos-request-id"]);
  expect(body.traceId).toEqual(expect.any(String));
  expect(body.message).toEqual(expect.any(String));
  expect(body.resource).toEqual(expect.any(String));
  return body;
}
