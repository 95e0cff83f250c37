/**
 * The COS inventory client: put, get, list and delete over the signed
 * transport. Bodies carry Content-MD5 and `Content-Type: application/xml`;
 * errors become typed {@link CloudError}s, and any 404 a {@link NotFoundError}
 * (COS documents no code for a missing job, so the status decides).
 */
import { createHash } from "crypto";
import { CloudError, NotFoundError, ValidationError } from "../../core/errors";
import { HttpResponse, ResponseClassification, Transport, TransportOptions } from "../../http/transport";
import {
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeListPage,
  encodeInventoryConfiguration,
} from "./codec";
import { CosEndpoint, checkBucket, checkRegion, cosTarget } from "./endpoint";
import { CosInventoryConfiguration, CosInventoryListPage } from "./model";
import { COS_ID_MAX_LENGTH, COS_ID_PATTERN } from "./rules";
import { CosCredentials, authorize, cosUriEncode } from "./signer";

/** The most jobs COS keeps in one bucket. */
export const COS_MAX_CONFIGURATIONS = 1000;

/** Options of {@link CosInventoryClient}. */
export interface CosClientOptions {
  /** Credentials; a function is called for every request, so rotated keys are picked up. */
  credentials: CosCredentials | (() => CosCredentials);
  /** Region of the buckets this client talks to, e.g. `ap-guangzhou`. */
  region: string;
  /** Endpoint override (emulator, private endpoint); default the public virtual host. */
  endpoint?: CosEndpoint;
  /** Transport tuning (timeouts, retries). */
  transport?: TransportOptions;
  /** How long each signature is valid, in seconds; default 900. */
  signatureTtlSeconds?: number;
}

/** The header COS returns its request id in. */
const REQUEST_ID_HEADER = "x-cos-request-id";

/** Reads a COS error body out of a response, for the transport's retry decisions. */
export function classifyCosResponse(response: HttpResponse): ResponseClassification {
  if (response.status < 300) {
    return {};
  }
  const body = decodeErrorBody(response.body.toString("utf8"));
  return { code: body.code, message: body.message };
}

/** Put, get, list and delete COS inventory jobs. */
export class CosInventoryClient {
  private readonly transport: Transport;
  private readonly ttl: number;

  constructor(private readonly options: CosClientOptions) {
    const failures = checkRegion(options.region);
    if (failures.length > 0) {
      throw new ValidationError(failures);
    }
    this.transport = new Transport(options.transport);
    this.ttl = options.signatureTtlSeconds ?? 900;
  }

  /** Creates or replaces the job `cfg.id` (COS overwrites an existing id). */
  async put(bucket: string, cfg: CosInventoryConfiguration): Promise<void> {
    checkJobAddress(bucket, cfg.id);
    const body = Buffer.from(encodeInventoryConfiguration(cfg), "utf8");
    await this.call(
      "PUT",
      bucket,
      { inventory: "", id: cfg.id },
      body,
      `PUT inventory ${cfg.id} on ${bucket}`,
    );
  }

  /** Reads one job; a missing job is a {@link NotFoundError}. */
  async get(bucket: string, id: string): Promise<CosInventoryConfiguration> {
    checkJobAddress(bucket, id);
    const r = await this.call(
      "GET",
      bucket,
      { inventory: "", id },
      undefined,
      `GET inventory ${id} on ${bucket}`,
    );
    return decodeInventoryConfiguration(r.body.toString("utf8"));
  }

  /** Deletes one job (COS answers 204); a missing job is a {@link NotFoundError}. */
  async delete(bucket: string, id: string): Promise<void> {
    checkJobAddress(bucket, id);
    await this.call(
      "DELETE",
      bucket,
      { inventory: "", id },
      undefined,
      `DELETE inventory ${id} on ${bucket}`,
    );
  }

  /** One page of the bucket's jobs. */
  async listPage(bucket: string, continuationToken?: string): Promise<CosInventoryListPage> {
    throwIfInvalid(checkBucket(bucket));
    const query: Record<string, string> = { inventory: "" };
    if (continuationToken !== undefined) {
      query["continuation-token"] = continuationToken;
    }
    const r = await this.call("GET", bucket, query, undefined, `LIST inventory on ${bucket}`);
    return decodeListPage(r.body.toString("utf8"));
  }

  /** Every job in the bucket, following continuation tokens through all pages. */
  async list(bucket: string): Promise<CosInventoryConfiguration[]> {
    const all: CosInventoryConfiguration[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const page = await this.listPage(bucket, token);
      all.push(...page.configurations);
      if (!page.isTruncated) {
        return all;
      }
      const next = page.nextContinuationToken;
      // A truncated page without a new token, or one we have seen, would loop forever.
      if (next === undefined || next === "" || seen.has(next)) {
        throw new CloudError({
          cloud: "cos",
          code: "InvalidContinuationToken",
          statusCode: 200,
          message: "the service returned a truncated page without a new continuation token",
          operation: `LIST inventory on ${bucket}`,
        });
      }
      if (all.length > COS_MAX_CONFIGURATIONS) {
        throw new CloudError({
          cloud: "cos",
          code: "TooManyConfigurations",
          statusCode: 200,
          message: `the service listed more than ${COS_MAX_CONFIGURATIONS} jobs and is still paging`,
          operation: `LIST inventory on ${bucket}`,
        });
      }
      seen.add(next);
      token = next;
    }
  }

  private credentials(): CosCredentials {
    const c = this.options.credentials;
    return typeof c === "function" ? c() : c;
  }

  private async call(
    method: string,
    bucket: string,
    query: Record<string, string>,
    body: Buffer | undefined,
    operation: string,
  ): Promise<HttpResponse> {
    const target = cosTarget(bucket, this.options.region, this.options.endpoint);
    const search = Object.entries(query)
      .map(([k, v]) => `${cosUriEncode(k)}=${cosUriEncode(v)}`)
      .join("&");
    const response = await this.transport.send((now) => {
      const creds = this.credentials();
      const headers: Record<string, string> = { Host: target.host };
      if (body !== undefined) {
        headers["Content-Type"] = "application/xml";
        headers["Content-MD5"] = createHash("md5").update(body).digest("base64");
        headers["Content-Length"] = String(body.length);
      }
      if (creds.securityToken) {
        headers["x-cos-security-token"] = creds.securityToken;
      }
      // Start a little in the past so that a server clock slightly behind ours still accepts it.
      headers["Authorization"] = authorize(
        creds,
        { method, pathname: target.pathname, query, headers },
        { startTime: now - 60, endTime: now + this.ttl },
      );
      return { method, url: `${target.url}?${search}`, headers, body };
    }, classifyCosResponse);
    if (response.status >= 300) {
      throw toCloudError(response, operation);
    }
    return response;
  }
}

/** A typed error from a COS error response. */
export function toCloudError(response: HttpResponse, operation: string): CloudError {
  const body = decodeErrorBody(response.body.toString("utf8"));
  const details = {
    cloud: "cos" as const,
    code: body.code ?? "",
    statusCode: response.status,
    requestId: response.headers[REQUEST_ID_HEADER] || body.requestId,
    message: body.message ?? (response.status === 404 ? "not found" : `HTTP ${response.status}`),
    operation,
  };
  return response.status === 404 ? new NotFoundError(details) : new CloudError(details);
}

function checkJobAddress(bucket: string, id: string): void {
  const failures = checkBucket(bucket);
  if (!COS_ID_PATTERN.test(id) || id.length > COS_ID_MAX_LENGTH) {
    failures.push({
      property: "inventoryId",
      reason: `"${id}" is not a valid inventory id; use 1 to ${COS_ID_MAX_LENGTH} characters of a-z, A-Z, 0-9, "-", "_" and "."`,
    });
  }
  throwIfInvalid(failures);
}

function throwIfInvalid(failures: ReturnType<typeof checkBucket>): void {
  if (failures.length > 0) {
    throw new ValidationError(failures);
  }
}
