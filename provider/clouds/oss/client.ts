/**
 * The OSS inventory client: the shared {@link InventoryClient} with the OSS
 * plug-in (V4 signatures by default, V1 on request; jobs addressed with
 * `?inventory&inventoryId=`), plus a safe replace.
 *
 * OSS is reported to refuse a PUT on an id that exists (409
 * `InventoryConfigurationAlreadyExists`), so changing a job means deleting it
 * and putting it again. {@link OssInventoryClient.replace} reads the job
 * first and, when the new PUT fails, puts the old configuration back, so a
 * failed update never leaves the bucket without its job.
 *
 * A 2xx carrying an `<Error>` document is that error, not a success; a
 * success body that is not UTF-8 or not the expected document is a
 * {@link MalformedResponseError}.
 */
import { CloudError, NotFoundError, throwIfInvalid } from "../../core/errors";
import { EndpointOverride } from "../../http/endpoint";
import { HttpResponse, ResponseClassification, TransportOptions } from "../../http/transport";
import {
  CloudErrorSource,
  checkInventoryId,
  classifyErrorBody,
  cloudErrorFromResponse,
  readErrorBody,
} from "../common/client";
import { InventoryClient, InventoryCloud, encodeQuery } from "../common/client-inventory";
import {
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeListPage,
  encodeInventoryConfiguration,
} from "./codec";
import { ossTarget } from "./endpoint";
import { OssInventoryConfiguration, OssInventoryListPage } from "./model";
import {
  OSS_ID_MAX_LENGTH,
  OSS_ID_PATTERN,
  OSS_MAX_CONFIGURATIONS,
  checkOssBucket,
  checkOssRegion,
} from "./rules";
import { OssCredentials, OssSignatureVersion, signOssRequest } from "./signer";

export type { OssSignatureVersion } from "./signer";

/** Options of {@link OssInventoryClient}. */
export interface OssClientOptions {
  /** Credentials; a function is called for every request, so rotated keys are picked up. */
  credentials: OssCredentials | (() => OssCredentials);
  /** Region of the buckets, without the `oss-` prefix, e.g. `cn-hangzhou`. */
  region: string;
  /** Endpoint override (emulator, private endpoint); default the public virtual host. */
  endpoint?: EndpointOverride;
  /** Signature version; default `v4` (`OSS4-HMAC-SHA256`), as the current SDKs. */
  signatureVersion?: OssSignatureVersion;
  /** Transport tuning (deadlines, budget, retries, size cap, cancellation). */
  transport?: TransportOptions;
}

/** How OSS errors are reported: the request id travels in `x-oss-request-id`. */
const OSS_ERRORS: CloudErrorSource = { cloud: "oss", requestIdHeader: "x-oss-request-id" };

/** The code OSS answers a PUT on an existing id with. */
export const OSS_ALREADY_EXISTS_CODE = "InventoryConfigurationAlreadyExists";

/** Reads an OSS error body (or the `x-oss-err` header of a bodiless answer) for retry decisions. */
export function classifyOssResponse(response: HttpResponse): ResponseClassification {
  return classifyErrorBody(response, errorBodyOf);
}

/** The error XML of a response: the body, or base64 in `x-oss-err` when the body is empty (HEAD). */
function errorBodyOf(response: HttpResponse): ReturnType<typeof decodeErrorBody> {
  const header = response.headers["x-oss-err"];
  // latin1 maps every byte to one character, so this only asks whether the body is blank.
  const blank = response.body.toString("latin1").trim() === "";
  return readErrorBody(blank && header ? Buffer.from(header, "base64") : response.body, decodeErrorBody);
}

/** A typed error from an OSS error response, or a 2xx carrying an `<Error>` document. */
export function toOssCloudError(response: HttpResponse, operation: string): CloudError {
  const body = errorBodyOf(response);
  // The EC (detailed error code) is the key of OSS's troubleshooting pages.
  return cloudErrorFromResponse(OSS_ERRORS, response, body, operation, body.ec ? ` [EC ${body.ec}]` : "");
}

/** The OSS plug-in of {@link InventoryClient} for one region, endpoint and signature version. */
export function ossInventoryCloud(
  options: Omit<OssClientOptions, "credentials" | "transport">,
): InventoryCloud<OssInventoryConfiguration, OssInventoryListPage, OssCredentials> {
  const signing = { version: options.signatureVersion ?? "v4", region: options.region } as const;
  return {
    errors: OSS_ERRORS,
    idParameter: "inventoryId",
    maxConfigurations: OSS_MAX_CONFIGURATIONS,
    target: (bucket) => ossTarget(bucket, options.region, options.endpoint),
    // A valueless parameter goes as the bare name (`?inventory`), as the SDKs send it.
    queryString: (query) => encodeQuery(query, encodeURIComponent, true),
    sign: (creds, request, now) => signOssRequest(creds, request, now, signing),
    classify: classifyOssResponse,
    toError: toOssCloudError,
    checkBucket: (bucket) => checkOssBucket(bucket, "bucket"),
    checkId: (id) => checkInventoryId(id, OSS_ID_PATTERN, OSS_ID_MAX_LENGTH),
    encode: encodeInventoryConfiguration,
    decode: decodeInventoryConfiguration,
    decodePage: decodeListPage,
  };
}

/** Put, get, list, delete and replace OSS inventory jobs (OSS refuses a put on an existing id). */
export class OssInventoryClient extends InventoryClient<
  OssInventoryConfiguration,
  OssInventoryListPage,
  OssCredentials
> {
  /** @throws ValidationError for an invalid region or transport option. */
  constructor(options: OssClientOptions) {
    throwIfInvalid(checkOssRegion(options.region, "region"));
    super(ossInventoryCloud(options), options.credentials, options.transport);
  }

  /**
   * Replaces the job `cfg.id` with `cfg`: reads the current job, deletes it,
   * puts the new one, and, if that PUT fails, puts the old one back. A job
   * that does not exist is simply created. Three requests when it exists.
   *
   * @throws the PUT's error when the old job was restored; an Error carrying
   *   both failures and the old configuration when restoring failed too.
   */
  async replace(bucket: string, cfg: OssInventoryConfiguration): Promise<void> {
    let previous: OssInventoryConfiguration | undefined;
    try {
      previous = await this.get(bucket, cfg.id);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    if (previous === undefined) {
      await this.put(bucket, cfg);
      return;
    }
    await this.delete(bucket, cfg.id);
    try {
      await this.put(bucket, cfg);
    } catch (failure) {
      try {
        await this.put(bucket, previous);
      } catch (restoreFailure) {
        throw new Error(
          `OSS: replacing inventory job "${cfg.id}" on bucket "${bucket}" failed (${describe(failure)}), and ` +
            `putting the previous configuration back failed too (${describe(restoreFailure)}). The bucket has no ` +
            `job "${cfg.id}" now; the previous configuration was: ${encodeInventoryConfiguration(previous)}`,
          { cause: restoreFailure },
        );
      }
      throw failure;
    }
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
