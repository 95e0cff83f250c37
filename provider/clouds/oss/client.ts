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
import { NotFoundError, throwIfInvalid } from "../../core/errors";
import { HttpResponse } from "../../http/transport";
import { InventoryClient, cloudErrors } from "../common/client-inventory";
import type { InventoryClientOptions, InventoryCloud, JobAddressing } from "../common/client-inventory";
import * as codec from "./codec";
import { ossTarget, checkOssBucket, checkOssRegion } from "./endpoint";
import { OssInventoryConfiguration, OssInventoryListPage } from "./model";
import { INVENTORY_MAX_CONFIGURATIONS } from "../common/rules";
import { OssCredentials, OssSignatureVersion, signOssRequest } from "./signer";

export type { OssSignatureVersion } from "./signer";

/** Options of {@link OssInventoryClient}: the common ones and the signature version. */
export interface OssClientOptions extends InventoryClientOptions<OssCredentials> {
  /** Signature version; default `v4` (`OSS4-HMAC-SHA256`), as the current SDKs. */
  signatureVersion?: OssSignatureVersion;
}

/** The code OSS answers a PUT on an existing id with. */
export const OSS_ALREADY_EXISTS_CODE = "InventoryConfigurationAlreadyExists";

/** The error XML of an answer: the body, or base64 in `x-oss-err` when the body is empty (HEAD). */
function errorXmlOf(response: HttpResponse): Buffer {
  const header = response.headers["x-oss-err"];
  // latin1 maps every byte to one character, so this only asks whether the body is blank.
  const blank = response.body.toString("latin1").trim() === "";
  return blank && header ? Buffer.from(header, "base64") : response.body;
}

/**
 * How OSS errors read: the request id travels in `x-oss-request-id`, a bodiless
 * answer carries its error in `x-oss-err`, and the EC (detailed error code),
 * the key of OSS's troubleshooting pages, is added to the message.
 */
export const OSS_ERRORS = cloudErrors(
  { cloud: "oss", requestIdHeader: "x-oss-request-id" },
  codec.decodeErrorBody,
  {
    xmlOf: errorXmlOf,
    messageSuffix: (body) => (body.ec ? ` [EC ${body.ec}]` : ""),
  },
);

/** OSS names a job with `inventoryId` and keeps up to {@link INVENTORY_MAX_CONFIGURATIONS} a bucket. */
const OSS_JOBS: JobAddressing = {
  idParameter: "inventoryId",
  maxConfigurations: INVENTORY_MAX_CONFIGURATIONS,
  checkBucket: (bucket) => checkOssBucket(bucket, "bucket"),
};

/** The OSS plug-in of {@link InventoryClient} for one region, endpoint and signature version. */
export function ossInventoryCloud(
  options: Omit<OssClientOptions, "credentials" | "transport">,
): InventoryCloud<OssInventoryConfiguration, OssInventoryListPage, OssCredentials> {
  const signing = { version: options.signatureVersion ?? "v4", region: options.region } as const;
  return {
    errors: OSS_ERRORS,
    jobs: OSS_JOBS,
    target: (bucket) => ossTarget(bucket, options.region, options.endpoint),
    // A valueless parameter goes as the bare name (`?inventory`), as the SDKs send it.
    queryEncoding: { encode: encodeURIComponent, bareValueless: true },
    sign: (creds, request, now) => signOssRequest(creds, request, now, signing),
    codec,
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
            `job "${cfg.id}" now; the previous configuration was: ${codec.encodeInventoryConfiguration(previous)}`,
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
