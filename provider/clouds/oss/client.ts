/**
 * The OSS inventory client: put, get, list, delete, and a safe replace, over
 * the signed transport (V4 by default, V1 on request).
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
import { HttpResponse, ResponseClassification, Transport, TransportOptions } from "../../http/transport";
import {
  CloudErrorSource,
  ExchangeContext,
  SuccessfulResponse,
  checkInventoryId,
  classifyErrorBody,
  cloudErrorFromResponse,
  decodeAnswer,
  listAllPages,
  readErrorBody,
  sendOrThrow,
  xmlRequestHeaders,
} from "../common/client";
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
import { OssCredentials, OssSignableRequest, authorizeV1, authorizeV4, ossV1Date, ossV4Date } from "./signer";

/** Which OSS signature to send. */
export type OssSignatureVersion = "v4" | "v1";

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

/** Put, get, list, delete and replace OSS inventory jobs. */
export class OssInventoryClient {
  private readonly transport: Transport;
  private readonly version: OssSignatureVersion;

  constructor(private readonly options: OssClientOptions) {
    throwIfInvalid(checkOssRegion(options.region, "region"));
    this.transport = new Transport(options.transport);
    this.version = options.signatureVersion ?? "v4";
  }

  /** Creates the job `cfg.id`; OSS refuses an existing id with 409 (see {@link replace}). */
  async put(bucket: string, cfg: OssInventoryConfiguration): Promise<void> {
    checkJobAddress(bucket, cfg.id);
    const body = Buffer.from(encodeInventoryConfiguration(cfg), "utf8");
    await this.call(
      "PUT",
      bucket,
      { inventory: "", inventoryId: cfg.id },
      body,
      `PUT inventory ${cfg.id} on ${bucket}`,
    );
  }

  /** Reads one job; a missing job (404 `NoSuchInventory`) is a {@link NotFoundError}. */
  async get(bucket: string, id: string): Promise<OssInventoryConfiguration> {
    checkJobAddress(bucket, id);
    const operation = `GET inventory ${id} on ${bucket}`;
    const r = await this.call("GET", bucket, { inventory: "", inventoryId: id }, undefined, operation);
    return decodeAnswer(
      { source: OSS_ERRORS, operation },
      r,
      "an InventoryConfiguration document",
      decodeInventoryConfiguration,
    );
  }

  /** Deletes one job (OSS answers 204); a missing job is a {@link NotFoundError}. */
  async delete(bucket: string, id: string): Promise<void> {
    checkJobAddress(bucket, id);
    await this.call(
      "DELETE",
      bucket,
      { inventory: "", inventoryId: id },
      undefined,
      `DELETE inventory ${id} on ${bucket}`,
    );
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

  /** One page of the bucket's jobs (OSS pages by 100). */
  async listPage(bucket: string, continuationToken?: string): Promise<OssInventoryListPage> {
    throwIfInvalid(checkOssBucket(bucket, "bucket"));
    const query: Record<string, string> = { inventory: "" };
    if (continuationToken !== undefined) {
      query["continuation-token"] = continuationToken;
    }
    const operation = `LIST inventory on ${bucket}`;
    const r = await this.call("GET", bucket, query, undefined, operation);
    return decodeAnswer({ source: OSS_ERRORS, operation }, r, "an inventory list page", decodeListPage);
  }

  /** Every job in the bucket, following continuation tokens through all pages. */
  async list(bucket: string): Promise<OssInventoryConfiguration[]> {
    return listAllPages((token) => this.listPage(bucket, token), {
      cloud: "oss",
      operation: `LIST inventory on ${bucket}`,
      maxConfigurations: OSS_MAX_CONFIGURATIONS,
    });
  }

  private credentials(): OssCredentials {
    const c = this.options.credentials;
    return typeof c === "function" ? c() : c;
  }

  private async call(
    method: string,
    bucket: string,
    query: Record<string, string>,
    body: Buffer | undefined,
    operation: string,
  ): Promise<SuccessfulResponse> {
    const target = ossTarget(bucket, this.options.region, this.options.endpoint);
    const context: ExchangeContext = { source: OSS_ERRORS, operation };
    const search = Object.entries(query)
      .map(([k, v]) =>
        v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
      )
      .join("&");
    return sendOrThrow(
      this.transport,
      (now) => {
        const creds = this.credentials();
        const headers = xmlRequestHeaders(target.host, body);
        if (creds.securityToken) {
          headers["x-oss-security-token"] = creds.securityToken;
        }
        const signable: OssSignableRequest = { method, bucket, key: "", query, headers };
        if (this.version === "v4") {
          headers["x-oss-date"] = ossV4Date(now * 1000);
          headers["x-oss-content-sha256"] = "UNSIGNED-PAYLOAD";
          headers["Authorization"] = authorizeV4(creds, signable, { region: this.options.region });
        } else {
          // Like ali-oss: the date travels as x-oss-date, which V1 also signs.
          headers["x-oss-date"] = ossV1Date(now * 1000);
          headers["Authorization"] = authorizeV1(creds, signable);
        }
        return { method, url: `${target.url}?${search}`, headers, body };
      },
      classifyOssResponse,
      (response) => toOssCloudError(response, operation),
      context,
    );
  }
}

/** A typed error from an OSS error response, or a 2xx carrying an `<Error>` document. */
export function toOssCloudError(response: HttpResponse, operation: string): CloudError {
  const body = errorBodyOf(response);
  // The EC (detailed error code) is the key of OSS's troubleshooting pages.
  return cloudErrorFromResponse(OSS_ERRORS, response, body, operation, body.ec ? ` [EC ${body.ec}]` : "");
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function checkJobAddress(bucket: string, id: string): void {
  throwIfInvalid([
    ...checkOssBucket(bucket, "bucket"),
    ...checkInventoryId(id, OSS_ID_PATTERN, OSS_ID_MAX_LENGTH),
  ]);
}
