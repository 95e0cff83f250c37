/**
 * The one inventory client: put, get, delete, list a page and list all, over
 * the signed transport, for any cloud given as an {@link InventoryCloud}
 * plug-in (where requests go, how they are signed and their query written,
 * the id parameter's name, how errors read, the codec and the limits). The
 * COS and OSS clients in `../cos/client` and `../oss/client` are this class
 * with their plug-in, plus what only one cloud does (OSS's restoring replace).
 *
 * Every request starts with the XML headers of {@link xmlRequestHeaders}, is
 * signed again on every attempt (so a retry after a skew correction carries a
 * fresh signature), and ends in a typed error for any answer of 300 or more
 * or a 2xx carrying an `<Error>` document (see {@link sendOrThrow}).
 */
import { CloudError, ValidationFailure, throwIfInvalid } from "../../core/errors";
import { RequestTarget } from "../../http/endpoint";
import { HttpResponse, ResponseClassifier, Transport, TransportOptions } from "../../http/transport";
import {
  CloudErrorSource,
  ExchangeContext,
  PageOfJobs,
  SuccessfulResponse,
  decodeAnswer,
  listAllPages,
  sendOrThrow,
  xmlRequestHeaders,
} from "./client";
import { RequestSigner } from "./signing";

/** Credentials as given to a client: a value, or a function called for every request (rotated keys). */
export type CredentialsSource<Credentials> = Credentials | (() => Credentials);

/** What one cloud plugs into {@link InventoryClient}. */
export interface InventoryCloud<Config extends { id: string }, Page extends PageOfJobs<Config>, Credentials> {
  /** The cloud, and the header its request id travels in. */
  errors: CloudErrorSource;
  /** The query parameter naming a job: COS `id`, OSS `inventoryId`. */
  idParameter: string;
  /** Most jobs one bucket holds, the bound on paging. */
  maxConfigurations: number;
  /** Where a bucket-level request for `bucket` goes. */
  target(bucket: string): RequestTarget;
  /** The URL query for raw parameters (`""` is a valueless parameter), without the `?`. */
  queryString(query: Record<string, string>): string;
  /** Signs a request: adds the date, token, content-hash and `Authorization` headers the cloud wants. */
  sign: RequestSigner<Credentials>;
  /** Reads an answer's error code and message for the transport's retry decisions. */
  classify: ResponseClassifier;
  /** The typed error for an error answer (any 404 a NotFoundError). */
  toError(response: HttpResponse, operation: string): CloudError;
  /** Failures of a bucket name (property `bucket`). */
  checkBucket(bucket: string): ValidationFailure[];
  /** Failures of a job id (property `inventoryId`). */
  checkId(id: string): ValidationFailure[];
  /** A job as the XML body of a PUT. */
  encode(config: Config): string;
  /** An `InventoryConfiguration` document as a job. */
  decode(xml: string): Config;
  /** A list answer as a page of jobs. */
  decodePage(xml: string): Page;
}

/**
 * The query string of `query`: each name and value encoded with `encode`,
 * joined with `=` (a valueless parameter as `name=`, or as the bare name when
 * `bareValueless`), pairs joined with `&` in the given order.
 */
export function encodeQuery(
  query: Record<string, string>,
  encode: (s: string) => string,
  bareValueless: boolean,
): string {
  return Object.entries(query)
    .map(([k, v]) => (v === "" && bareValueless ? encode(k) : `${encode(k)}=${encode(v)}`))
    .join("&");
}

/** Put, get, delete and list the inventory jobs of one cloud, given as a plug-in. */
export class InventoryClient<Config extends { id: string }, Page extends PageOfJobs<Config>, Credentials> {
  private readonly transport: Transport;

  /**
   * @param cloud the cloud's plug-in
   * @param credentials credentials, or a function called for every request
   * @param transport transport tuning (deadlines, budget, retries, size cap, cancellation)
   * @throws ValidationError for invalid transport options.
   */
  constructor(
    private readonly cloud: InventoryCloud<Config, Page, Credentials>,
    private readonly credentials: CredentialsSource<Credentials>,
    transport?: TransportOptions,
  ) {
    this.transport = new Transport(transport);
  }

  /** Writes the job `cfg.id` (whether an existing id is overwritten or refused is the cloud's rule). */
  async put(bucket: string, cfg: Config): Promise<void> {
    this.checkJobAddress(bucket, cfg.id);
    const body = Buffer.from(this.cloud.encode(cfg), "utf8");
    await this.call("PUT", bucket, this.jobQuery(cfg.id), body, `PUT inventory ${cfg.id} on ${bucket}`);
  }

  /** Reads one job; a missing job is a NotFoundError. */
  async get(bucket: string, id: string): Promise<Config> {
    this.checkJobAddress(bucket, id);
    const operation = `GET inventory ${id} on ${bucket}`;
    const r = await this.call("GET", bucket, this.jobQuery(id), undefined, operation);
    return this.decodeWith(operation, r, "an InventoryConfiguration document", (xml) =>
      this.cloud.decode(xml),
    );
  }

  /** Deletes one job (both clouds answer 204); a missing job is a NotFoundError. */
  async delete(bucket: string, id: string): Promise<void> {
    this.checkJobAddress(bucket, id);
    await this.call("DELETE", bucket, this.jobQuery(id), undefined, `DELETE inventory ${id} on ${bucket}`);
  }

  /** One page of the bucket's jobs. */
  async listPage(bucket: string, continuationToken?: string): Promise<Page> {
    throwIfInvalid(this.cloud.checkBucket(bucket));
    const query: Record<string, string> = { inventory: "" };
    if (continuationToken !== undefined) {
      query["continuation-token"] = continuationToken;
    }
    const operation = `LIST inventory on ${bucket}`;
    const r = await this.call("GET", bucket, query, undefined, operation);
    return this.decodeWith(operation, r, "an inventory list page", (xml) => this.cloud.decodePage(xml));
  }

  /** Every job in the bucket, following continuation tokens through all pages. */
  async list(bucket: string): Promise<Config[]> {
    return listAllPages((token) => this.listPage(bucket, token), {
      cloud: this.cloud.errors.cloud,
      operation: `LIST inventory on ${bucket}`,
      maxConfigurations: this.cloud.maxConfigurations,
    });
  }

  private jobQuery(id: string): Record<string, string> {
    return { inventory: "", [this.cloud.idParameter]: id };
  }

  private checkJobAddress(bucket: string, id: string): void {
    throwIfInvalid([...this.cloud.checkBucket(bucket), ...this.cloud.checkId(id)]);
  }

  private decodeWith<T>(
    operation: string,
    answer: SuccessfulResponse,
    what: string,
    decode: (xml: string) => T,
  ): T {
    return decodeAnswer({ source: this.cloud.errors, operation }, answer, what, decode);
  }

  private currentCredentials(): Credentials {
    const c = this.credentials;
    return typeof c === "function" ? (c as () => Credentials)() : c;
  }

  private async call(
    method: string,
    bucket: string,
    query: Record<string, string>,
    body: Buffer | undefined,
    operation: string,
  ): Promise<SuccessfulResponse> {
    const cloud = this.cloud;
    const target = cloud.target(bucket);
    const context: ExchangeContext = { source: cloud.errors, operation };
    const url = `${target.url}?${cloud.queryString(query)}`;
    return sendOrThrow(
      this.transport,
      (now) => {
        const unsigned = {
          method,
          bucket,
          pathname: target.pathname,
          query,
          headers: xmlRequestHeaders(target.host, body),
          body,
        };
        const signed = cloud.sign(this.currentCredentials(), unsigned, now);
        return { method, url, headers: signed.headers, body };
      },
      cloud.classify,
      (response) => cloud.toError(response, operation),
      context,
    );
  }
}
