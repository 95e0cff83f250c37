/**
 * The COS inventory client: the shared {@link InventoryClient} with the COS
 * plug-in. COS addresses a job with `?inventory&id=`, overwrites an existing
 * id on PUT, keeps at most {@link COS_MAX_CONFIGURATIONS} jobs a bucket, and
 * documents no code for a missing job, so any 404 is a {@link NotFoundError}.
 * A 2xx carrying an `<Error>` document is that error, not a success; a success
 * body that is not UTF-8 or not the expected document is a
 * {@link MalformedResponseError}.
 */
import { CloudError, throwIfInvalid } from "../../core/errors";
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
  DecodedCosErrorBody,
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeListPage,
  encodeInventoryConfiguration,
} from "./codec";
import { CosEndpoint, checkBucket, checkRegion, cosTarget } from "./endpoint";
import { CosInventoryConfiguration, CosInventoryListPage } from "./model";
import { COS_ID_MAX_LENGTH, COS_ID_PATTERN } from "./rules";
import { CosCredentials, cosUriEncode, signCosRequest } from "./signer";

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

/**
 * A typed error from a COS error response, or a 2xx carrying an `<Error>`
 * document (any 404 is a {@link NotFoundError}).
 */
export function toCloudError(response: HttpResponse, operation: string): CloudError {
  return cloudErrorFromResponse(COS_ERRORS, response, readCosErrorBody(response.body), operation);
}

/** The COS plug-in of {@link InventoryClient} for one region, endpoint and signature lifetime. */
export function cosInventoryCloud(
  options: Omit<CosClientOptions, "credentials" | "transport">,
): InventoryCloud<CosInventoryConfiguration, CosInventoryListPage, CosCredentials> {
  const ttlSeconds = options.signatureTtlSeconds ?? 900;
  return {
    errors: COS_ERRORS,
    idParameter: "id",
    maxConfigurations: COS_MAX_CONFIGURATIONS,
    target: (bucket) => cosTarget(bucket, options.region, options.endpoint),
    // COS signs `inventory=` and is sent it the same way.
    queryString: (query) => encodeQuery(query, cosUriEncode, false),
    sign: (creds, request, now) => signCosRequest(creds, request, now, { ttlSeconds }),
    classify: classifyCosResponse,
    toError: toCloudError,
    checkBucket: (bucket) => checkBucket(bucket),
    checkId: (id) => checkInventoryId(id, COS_ID_PATTERN, COS_ID_MAX_LENGTH),
    encode: encodeInventoryConfiguration,
    decode: decodeInventoryConfiguration,
    decodePage: decodeListPage,
  };
}

/** Put, get, list and delete COS inventory jobs (COS overwrites an existing id on put). */
export class CosInventoryClient extends InventoryClient<
  CosInventoryConfiguration,
  CosInventoryListPage,
  CosCredentials
> {
  /** @throws ValidationError for an invalid region or transport option. */
  constructor(options: CosClientOptions) {
    throwIfInvalid(checkRegion(options.region));
    super(cosInventoryCloud(options), options.credentials, options.transport);
  }
}
