/**
 * The COS inventory client: put, get, list and delete over the signed
 * transport. Bodies carry Content-MD5 and `Content-Type: application/xml`;
 * errors become typed {@link CloudError}s, and any 404 a {@link NotFoundError}
 * (COS documents no code for a missing job, so the status decides). A 2xx
 * carrying an `<Error>` document is that error, not a success; a success body
 * that is not UTF-8 or not the expected document is a
 * {@link MalformedResponseError}.
 */
import { CloudError, throwIfInvalid } from "../../core/errors";
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
  DecodedCosErrorBody,
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeListPage,
  encodeInventoryConfiguration,
} from "./codec";
import { CosEndpoint, checkBucket, checkRegion, cosTarget } from "./endpoint";
import { CosInventoryConfiguration, CosInventoryListPage } from "./model";
import { COS_ID_MAX_LENGTH, COS_ID_PATTERN, COS_MAX_CONFIGURATIONS } from "./rules";
import { CosCredentials, authorize, cosUriEncode } from "./signer";

/** Options of {@link CosInventoryClient}. */
export interface CosClientOptions {
  /** Credentials; a function is called for every request, so rotated keys are picked up. */
  credentials: CosCredentials | (() => CosCredentials);
  /** Region of the buckets this client talks to, e.g. `ap-guangzhou`. */
  region: string;
  /** Endpoint override (emulator, private endpoint); default the public virtual host. */
  endpoint?: CosEndpoint;
  /** Transport tuning (deadlines, budget, retries, size cap, cancellation). */
  transport?: TransportOptions;
  /** How long each signature is valid, in seconds; default 900. */
  signatureTtlSeconds?: number;
}

/** How COS errors are reported: the request id travels in `x-cos-request-id`. */
const COS_ERRORS: CloudErrorSource = { cloud: "cos", requestIdHeader: "x-cos-request-id" };

/** Reads a COS error body out of a response, for the transport's retry decisions. */
export function classifyCosResponse(response: HttpResponse): ResponseClassification {
  return classifyErrorBody(response, (r) => readCosErrorBody(r.body));
}

/** The error fields of a COS error body; a body that is not UTF-8 says so in the message. */
function readCosErrorBody(body: Buffer): DecodedCosErrorBody {
  return readErrorBody(body, decodeErrorBody);
}

/** Put, get, list and delete COS inventory jobs. */
export class CosInventoryClient {
  private readonly transport: Transport;
  private readonly ttl: number;

  constructor(private readonly options: CosClientOptions) {
    throwIfInvalid(checkRegion(options.region));
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
    const operation = `GET inventory ${id} on ${bucket}`;
    const r = await this.call("GET", bucket, { inventory: "", id }, undefined, operation);
    return decodeAnswer(
      { source: COS_ERRORS, operation },
      r,
      "an InventoryConfiguration document",
      decodeInventoryConfiguration,
    );
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
    const operation = `LIST inventory on ${bucket}`;
    const r = await this.call("GET", bucket, query, undefined, operation);
    return decodeAnswer({ source: COS_ERRORS, operation }, r, "an inventory list page", decodeListPage);
  }

  /** Every job in the bucket, following continuation tokens through all pages. */
  async list(bucket: string): Promise<CosInventoryConfiguration[]> {
    return listAllPages((token) => this.listPage(bucket, token), {
      cloud: "cos",
      operation: `LIST inventory on ${bucket}`,
      maxConfigurations: COS_MAX_CONFIGURATIONS,
    });
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
  ): Promise<SuccessfulResponse> {
    const target = cosTarget(bucket, this.options.region, this.options.endpoint);
    const context: ExchangeContext = { source: COS_ERRORS, operation };
    const search = Object.entries(query)
      .map(([k, v]) => `${cosUriEncode(k)}=${cosUriEncode(v)}`)
      .join("&");
    return sendOrThrow(
      this.transport,
      (now) => {
        const creds = this.credentials();
        const headers = xmlRequestHeaders(target.host, body);
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
      },
      classifyCosResponse,
      (response) => toCloudError(response, operation),
      context,
    );
  }
}

/**
 * A typed error from a COS error response, or a 2xx carrying an `<Error>`
 * document (any 404 is a {@link NotFoundError}).
 */
export function toCloudError(response: HttpResponse, operation: string): CloudError {
  return cloudErrorFromResponse(COS_ERRORS, response, readCosErrorBody(response.body), operation);
}

function checkJobAddress(bucket: string, id: string): void {
  throwIfInvalid([...checkBucket(bucket), ...checkInventoryId(id, COS_ID_PATTERN, COS_ID_MAX_LENGTH)]);
}
