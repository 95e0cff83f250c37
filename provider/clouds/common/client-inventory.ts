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
import { EndpointOverride, RequestTarget } from "../../http/endpoint";
import { HttpResponse, ResponseClassifier, Transport, TransportOptions } from "../../http/transport";
import {
  CloudErrorSource,
  ErrorBodyBasics,
  ExchangeContext,
  classifyErrorBody,
  cloudErrorFromResponse,
  readErrorBody,
  checkInventoryId,
  PageOfJobs,
  SuccessfulResponse,
  decodeAnswer,
  listAllPages,
  sendOrThrow,
  xmlRequestHeaders,
} from "./client";
import { RequestSigner } from "./signing";
import { INVENTORY_ID_MAX_LENGTH, INVENTORY_ID_PATTERN, INVENTORY_PAGE_SIZE } from "./rules";

/** Credentials as given to a client: a value, or a function called for every request (rotated keys). */
export type CredentialsSource<Credentials> = Credentials | (() => Credentials);

/** The options every cloud's client takes; each cloud adds its signature's own. */
export interface InventoryClientOptions<Credentials> {
  /** Credentials; a function is called for every request, so rotated keys are picked up. */
  credentials: CredentialsSource<Credentials>;
  /** Region of the buckets this client talks to, e.g. `ap-guangzhou` (COS) or `cn-hangzhou` (OSS, no `oss-` prefix). */
  region: string;
  /** Endpoint override (emulator, private endpoint); default the public virtual host. */
  endpoint?: EndpointOverride;
  /** Transport tuning (deadlines, budget, retries, size cap, cancellation). */
  transport?: TransportOptions;
}

/** A cloud's XML codec for jobs, as its `codec` module exports it. */
export interface InventoryCodec<Config, Page> {
  /** A job as the XML body of a PUT. */
  encodeInventoryConfiguration(config: Config): string;
  /** An `InventoryConfiguration` document as a job. */
  decodeInventoryConfiguration(xml: string): Config;
  /** A list answer as a page of jobs. */
  decodeListPage(xml: string): Page;
}

/** How a cloud's errors read: its request id header, its retry classifier and its typed errors. */
export interface CloudErrors {
  /** The cloud, and the header its request id travels in. */
  source: CloudErrorSource;
  /** Reads an answer's error code and message for the transport's retry decisions. */
  classify: ResponseClassifier;
  /** The typed error for an error answer (any 404 a NotFoundError). */
  toError(response: HttpResponse, operation: string): CloudError;
}

/** Where a cloud's error answers carry more than the body says, for {@link cloudErrors}. */
export interface ErrorBodyOptions<B> {
  /** The error XML of an answer; default its body (OSS sends a bodiless answer's in a header). */
  xmlOf?: (response: HttpResponse) => Buffer;
  /** Cloud detail added to the message (OSS's `[EC …]`); default none. */
  messageSuffix?: (body: B) => string;
}

/**
 * A cloud's {@link CloudErrors}: its error XML is decoded with `decode` (which
 * never throws) as {@link readErrorBody} does, so a body that is not UTF-8
 * still gives its code and request id and says so in the message.
 */
export function cloudErrors<B extends ErrorBodyBasics>(
  source: CloudErrorSource,
  decode: (xml: string) => B,
  options: ErrorBodyOptions<B> = {},
): CloudErrors {
  const xmlOf = options.xmlOf ?? ((response: HttpResponse): Buffer => response.body);
  const messageSuffix = options.messageSuffix ?? ((): string => "");
  const readBody = (response: HttpResponse): B => readErrorBody(xmlOf(response), decode);
  return {
    source,
    classify: (response) => classifyErrorBody(response, readBody),
    toError: (response, operation) => {
      const body = readBody(response);
      return cloudErrorFromResponse(source, response, body, operation, messageSuffix(body));
    },
  };
}

/** How a cloud names and bounds the jobs of a bucket. */
export interface JobAddressing {
  /** The query parameter naming a job: COS `id`, OSS `inventoryId`. */
  idParameter: string;
  /** Most jobs one bucket holds, the bound on paging. */
  maxConfigurations: number;
  /** Failures of a bucket name (property `bucket`). */
  checkBucket(bucket: string): ValidationFailure[];
}

/** What one cloud plugs into {@link InventoryClient}. */
export interface InventoryCloud<Config extends { id: string }, Page extends PageOfJobs<Config>, Credentials> {
  /** How its errors read. */
  errors: CloudErrors;
  /** How it names and bounds jobs. */
  jobs: JobAddressing;
  /** Its XML codec. */
  codec: InventoryCodec<Config, Page>;
  /** Where a bucket-level request for `bucket` goes. */
  target(bucket: string): RequestTarget;
  /** How the URL query is written (see {@link encodeQuery}). */
  queryEncoding: QueryEncoding;
  /** Signs a request: adds the date, token, content-hash and `Authorization` headers the cloud wants. */
  sign: RequestSigner<Credentials>;
}

/** How a cloud writes the URL query of a request. */
export interface QueryEncoding {
  /** Encodes one name or value. */
  encode: (s: string) => string;
  /** Whether a valueless parameter goes as the bare name (`?inventory`) rather than `inventory=`. */
  bareValueless: boolean;
}

/**
 * The query string of `query` (raw parameters; `""` is a valueless one),
 * without the `?`: each name and value encoded, joined with `=` (or the bare
 * name for a valueless parameter when the encoding says so), pairs joined with
 * `&` in the given order.
 */
export function encodeQuery(query: Record<string, string>, { encode, bareValueless }: QueryEncoding): string {
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
    const body = Buffer.from(this.cloud.codec.encodeInventoryConfiguration(cfg), "utf8");
    await this.call("PUT", bucket, this.jobQuery(cfg.id), body, `PUT inventory ${cfg.id} on ${bucket}`);
  }

  /** Reads one job; a missing job is a NotFoundError. */
  async get(bucket: string, id: string): Promise<Config> {
    this.checkJobAddress(bucket, id);
    const operation = `GET inventory ${id} on ${bucket}`;
    const r = await this.call("GET", bucket, this.jobQuery(id), undefined, operation);
    return this.decodeWith(operation, r, "an InventoryConfiguration document", (xml) =>
      this.cloud.codec.decodeInventoryConfiguration(xml),
    );
  }

  /** Deletes one job (both clouds answer 204); a missing job is a NotFoundError. */
  async delete(bucket: string, id: string): Promise<void> {
    this.checkJobAddress(bucket, id);
    await this.call("DELETE", bucket, this.jobQuery(id), undefined, `DELETE inventory ${id} on ${bucket}`);
  }

  /** One page of the bucket's jobs. */
  async listPage(bucket: string, continuationToken?: string): Promise<Page> {
    throwIfInvalid(this.cloud.jobs.checkBucket(bucket));
    const query: Record<string, string> = { inventory: "" };
    if (continuationToken !== undefined) {
      query["continuation-token"] = continuationToken;
    }
    const operation = `LIST inventory on ${bucket}`;
    const r = await this.call("GET", bucket, query, undefined, operation);
    return this.decodeWith(operation, r, "an inventory list page", (xml) =>
      this.cloud.codec.decodeListPage(xml),
    );
  }

  /** Every job in the bucket, following continuation tokens through all pages. */
  async list(bucket: string): Promise<Config[]> {
    return listAllPages((token) => this.listPage(bucket, token), {
      cloud: this.cloud.errors.source.cloud,
      operation: `LIST inventory on ${bucket}`,
      maxConfigurations: this.cloud.jobs.maxConfigurations,
      maxPages: Math.ceil(this.cloud.jobs.maxConfigurations / INVENTORY_PAGE_SIZE) + 1,
    });
  }

  /** The query addressing job `id`: `inventory` and the cloud's id parameter. */
  protected jobQuery(id: string): Record<string, string> {
    return { inventory: "", [this.cloud.jobs.idParameter]: id };
  }

  /** Refuses (ValidationError) a bad bucket name or job id before any request. */
  protected checkJobAddress(bucket: string, id: string): void {
    throwIfInvalid([
      ...this.cloud.jobs.checkBucket(bucket),
      ...checkInventoryId(id, INVENTORY_ID_PATTERN, INVENTORY_ID_MAX_LENGTH),
    ]);
  }

  /** Decodes a success answer with `decode`; what it is not (`what`) is a MalformedResponseError. */
  protected decodeWith<T>(
    operation: string,
    answer: SuccessfulResponse,
    what: string,
    decode: (xml: string) => T,
  ): T {
    return decodeAnswer({ source: this.cloud.errors.source, operation }, answer, what, decode);
  }

  private currentCredentials(): Credentials {
    const c = this.credentials;
    return typeof c === "function" ? (c as () => Credentials)() : c;
  }

  /** Sends one signed request (retried as the transport decides) and throws the typed error of a failure. */
  protected async call(
    method: string,
    bucket: string,
    query: Record<string, string>,
    body: Buffer | undefined,
    operation: string,
  ): Promise<SuccessfulResponse> {
    const cloud = this.cloud;
    const target = cloud.target(bucket);
    const context: ExchangeContext = { source: cloud.errors.source, operation };
    const url = `${target.url}?${encodeQuery(query, cloud.queryEncoding)}`;
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
      cloud.errors.classify,
      (response) => cloud.errors.toError(response, operation),
      context,
    );
  }
}
