/**
 * The COS inventory client: the shared {@link InventoryClient} with the COS
 * plug-in. COS addresses a job with `?inventory&id=`, overwrites an existing
 * id on PUT, keeps at most {@link INVENTORY_MAX_CONFIGURATIONS} jobs a bucket, and
 * documents no code for a missing job, so any 404 is a {@link NotFoundError}.
 * A 2xx carrying an `<Error>` document is that error, not a success; a success
 * body that is not UTF-8 or not the expected document is a
 * {@link MalformedResponseError}.
 */
import { throwIfInvalid } from "../../core/errors";
import { InventoryClient, cloudErrors } from "../common/client-inventory";
import type { InventoryClientOptions, InventoryCloud, JobAddressing } from "../common/client-inventory";
import * as codec from "./codec";
import { checkCosBucket, checkCosRegion, cosTarget } from "./endpoint";
import type {
  CosInventoryConfiguration,
  CosInventoryListPage,
  CosInventoryRun,
  CosPostInventoryResult,
} from "./model";
import { INVENTORY_MAX_CONFIGURATIONS } from "../common/rules";
import { CosCredentials, cosUriEncode, signCosRequest } from "./signer";

/** Options of {@link CosInventoryClient}: the common ones and the signature lifetime. */
export interface CosClientOptions extends InventoryClientOptions<CosCredentials> {
  /** How long each signature is valid, in seconds; default 900. */
  signatureTtlSeconds?: number;
}

/**
 * How COS errors read: the request id travels in `x-cos-request-id`; a body
 * that is not UTF-8 is still read, and says so in the message; any 404 is a
 * {@link NotFoundError}. `classify` serves the transport's retry decisions,
 * `toError` turns an error answer (or a 2xx carrying an `<Error>` document)
 * into a typed error.
 */
export const COS_ERRORS = cloudErrors(
  { cloud: "cos", requestIdHeader: "x-cos-request-id" },
  codec.decodeErrorBody,
);

/** COS names a job with `id`, keeps up to {@link INVENTORY_MAX_CONFIGURATIONS} a bucket; bucket names are `<name>-<appid>`. */
const COS_JOBS: JobAddressing = {
  idParameter: "id",
  maxConfigurations: INVENTORY_MAX_CONFIGURATIONS,
  checkBucket: checkCosBucket,
};

/** The COS plug-in of {@link InventoryClient} for one region, endpoint and signature lifetime. */
export function cosInventoryCloud(
  options: Omit<CosClientOptions, "credentials" | "transport">,
): InventoryCloud<CosInventoryConfiguration, CosInventoryListPage, CosCredentials> {
  const ttlSeconds = options.signatureTtlSeconds ?? 900;
  return {
    errors: COS_ERRORS,
    jobs: COS_JOBS,
    target: (bucket) => cosTarget(bucket, options.region, options.endpoint),
    // COS signs `inventory=` and is sent it the same way.
    queryEncoding: { encode: cosUriEncode, bareValueless: false },
    sign: (creds, request, now) => signCosRequest(creds, request, now, { ttlSeconds }),
    codec,
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
    throwIfInvalid(checkCosRegion(options.region));
    super(cosInventoryCloud(options), options.credentials, options.transport);
  }

  /**
   * Starts a one-shot inventory run (`POST /?inventory&id=<run.id>`, body
   * signed with its Content-MD5 like a PUT) and returns the service's
   * `JobId`. COS refuses an id already used that day, or a periodic job's id.
   * The transport may send the POST again after a timeout; if the first one
   * landed, that retry is refused as a duplicate, so a failure does not
   * prove that no run started.
   */
  async postRun(bucket: string, run: CosInventoryRun): Promise<CosPostInventoryResult> {
    this.checkJobAddress(bucket, run.id);
    const body = Buffer.from(codec.encodeInventoryRun(run), "utf8");
    const operation = `POST inventory ${run.id} on ${bucket}`;
    const answer = await this.call("POST", bucket, this.jobQuery(run.id), body, operation);
    return this.decodeWith(
      operation,
      answer,
      "a PostInventoryResult document",
      codec.decodePostInventoryResult,
    );
  }
}
