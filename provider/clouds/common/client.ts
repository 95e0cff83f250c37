/**
 * The steps the COS and OSS inventory clients share: the headers of an XML
 * request, sending with a typed error for any answer of 300 or more (or a 2xx
 * carrying an `<Error>` document), turning an error response into a
 * {@link CloudError}, decoding a success body strictly (UTF-8, then the
 * expected document, else a {@link MalformedResponseError}), checking a job
 * id, and following continuation tokens through every page of a list.
 *
 * Everything cloud-specific (signatures, query encoding, error-body format,
 * header names, error codes) is passed in by the clients in `../cos` and
 * `../oss`; nothing here names a cloud.
 */
import { createHash } from "crypto";
import {
  CloudError,
  CloudName,
  MalformedResponseError,
  NotFoundError,
  ValidationFailure,
} from "../../core/errors";
import {
  HttpRequest,
  HttpResponse,
  ResponseClassification,
  ResponseClassifier,
  Transport,
} from "../../http/transport";
import { decodeUtf8Strict, XmlFormatError, xmlRootName } from "../../xml";

/** What a decoded error body offers for a {@link CloudError}; every field may be missing. */
export interface ErrorBodyBasics {
  /** Error code, e.g. `NoSuchBucket`. */
  code?: string;
  /** Human-readable message. */
  message?: string;
  /** The request id the body repeats. */
  requestId?: string;
}

/** Where a cloud's error responses carry what a {@link CloudError} reports. */
export interface CloudErrorSource {
  /** The cloud that answers. */
  cloud: CloudName;
  /** The response header holding the request id, e.g. `x-cos-request-id`. */
  requestIdHeader: string;
}

/**
 * The headers every inventory request starts with, before credentials and
 * signing: `Host`, and for a body its XML type, Content-MD5 and length (both
 * clouds check the MD5 of an inventory PUT).
 */
export function xmlRequestHeaders(host: string, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = { Host: host };
  if (body !== undefined) {
    headers["Content-Type"] = "application/xml";
    headers["Content-MD5"] = createHash("md5").update(body).digest("base64");
    headers["Content-Length"] = String(body.length);
  }
  return headers;
}

/** Where a request goes and what it does, for the errors of {@link sendOrThrow} and {@link decodeAnswer}. */
export interface ExchangeContext {
  /** How the cloud reports errors. */
  source: CloudErrorSource;
  /** What we are doing, e.g. `GET inventory daily on examplebucket-1250000000`. */
  operation: string;
}

/** A success answer and its body, decoded as strict UTF-8. */
export interface SuccessfulResponse {
  /** The response (status below 300). */
  response: HttpResponse;
  /** The body as text. */
  text: string;
}

/**
 * Sends a request through `transport` (which signs it again on every attempt
 * with `prepare`) and throws `toError`'s typed error when the final answer's
 * status is 300 or more, or when a 2xx answer's body is an `<Error>` document
 * (some services report failures that way; counting it as success would hide
 * a failed PUT). Every success body is decoded as strict UTF-8.
 *
 * @throws `toError`'s error for an error answer; a
 *   {@link MalformedResponseError} for a success body that is not UTF-8; a
 *   TransportError when no answer arrived.
 */
export async function sendOrThrow(
  transport: Transport,
  prepare: (nowSeconds: number) => HttpRequest,
  classify: ResponseClassifier,
  toError: (response: HttpResponse) => Error,
  context: ExchangeContext,
): Promise<SuccessfulResponse> {
  const response = await transport.send(prepare, classify, { operation: context.operation });
  if (response.status >= 300) {
    throw toError(response);
  }
  let text: string;
  try {
    text = decodeUtf8Strict(response.body);
  } catch (e) {
    throw malformedResponse(context, response, "the answer", e);
  }
  if (xmlRootName(text) === "Error") {
    throw toError(response);
  }
  return { response, text };
}

/**
 * Decodes a success answer's text with `decode`; a body that is not the
 * expected document (`what`, e.g. `an InventoryConfiguration document`)
 * becomes a {@link MalformedResponseError} naming the operation and request id.
 */
export function decodeAnswer<T>(
  context: ExchangeContext,
  answer: SuccessfulResponse,
  what: string,
  decode: (xml: string) => T,
): T {
  try {
    return decode(answer.text);
  } catch (e) {
    if (e instanceof XmlFormatError) {
      throw malformedResponse(context, answer.response, `the answer is not ${what}`, e);
    }
    throw e;
  }
}

/** A {@link MalformedResponseError} for `response`: `subject` and the decoder's reason. */
function malformedResponse(
  context: ExchangeContext,
  response: HttpResponse,
  subject: string,
  cause: unknown,
): MalformedResponseError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MalformedResponseError(
    {
      cloud: context.source.cloud,
      statusCode: response.status,
      requestId: response.headers[context.source.requestIdHeader] || undefined,
      message: `${subject}: ${reason}`,
      operation: context.operation,
    },
    { cause },
  );
}

/**
 * Decodes an error body with `decode` (which never throws). The body is read
 * as strict UTF-8; when it is not UTF-8 it is still read, so the code and
 * request id survive, but the message says so instead of silently showing
 * replacement characters.
 */
export function readErrorBody<B extends ErrorBodyBasics>(bytes: Buffer, decode: (xml: string) => B): B {
  try {
    return decode(decodeUtf8Strict(bytes));
  } catch {
    const body = decode(new TextDecoder("utf-8").decode(bytes));
    const note = "[the error body is not valid UTF-8; bytes that are not are shown as U+FFFD]";
    return { ...body, message: body.message === undefined ? note : `${body.message} ${note}` };
  }
}

/** Root element of a body, from its first KiB only (enough for any prolog a service sends); cheap. */
function rootOfBody(body: Buffer): string | undefined {
  // Non-fatal here: a multi-byte character cut at the slice's end must not hide the root.
  return xmlRootName(new TextDecoder("utf-8").decode(body.subarray(0, 1024)));
}

/**
 * The transport's view of a response: nothing for a plain success, otherwise
 * (an error status, or a 2xx whose body is an `<Error>` document) the code
 * and message `readBody` finds, for its retry decisions.
 */
export function classifyErrorBody(
  response: HttpResponse,
  readBody: (response: HttpResponse) => ErrorBodyBasics,
): ResponseClassification {
  if (response.status < 300 && rootOfBody(response.body) !== "Error") {
    return {};
  }
  const body = readBody(response);
  return { code: body.code, message: body.message };
}

/**
 * A typed error from an error response: a {@link NotFoundError} for any 404
 * (neither cloud documents one code for a missing job, so the status
 * decides), else a {@link CloudError} with the status the server sent (a 2xx
 * for an `<Error>` document in a success answer). The request id comes from
 * the header, else the body; `messageSuffix` adds cloud detail (OSS's `[EC …]`).
 */
export function cloudErrorFromResponse(
  source: CloudErrorSource,
  response: HttpResponse,
  body: ErrorBodyBasics,
  operation: string,
  messageSuffix = "",
): CloudError {
  const fallback =
    response.status === 404
      ? "not found"
      : response.status < 300
        ? `HTTP ${response.status} answer carrying an <Error> document without a message`
        : `HTTP ${response.status}`;
  const details = {
    cloud: source.cloud,
    code: body.code ?? "",
    statusCode: response.status,
    requestId: response.headers[source.requestIdHeader] || body.requestId,
    message: (body.message ?? fallback) + messageSuffix,
    operation,
    attempts: response.attempts,
  };
  return response.status === 404 ? new NotFoundError(details) : new CloudError(details);
}

/**
 * Checks a job id against a cloud's id rule (`pattern`, at most `maxLength`
 * characters); returns the failure naming `inventoryId`, or none.
 */
export function checkInventoryId(id: string, pattern: RegExp, maxLength: number): ValidationFailure[] {
  if (pattern.test(id) && id.length <= maxLength) {
    return [];
  }
  return [
    {
      property: "inventoryId",
      reason: `"${id}" is not a valid inventory id; use 1 to ${maxLength} characters of a-z, A-Z, 0-9, "-", "_" and "."`,
    },
  ];
}

/** One page of a bucket's jobs, as far as paging needs it. */
export interface PageOfJobs<C> {
  /** The jobs on this page. */
  configurations: C[];
  /** Whether more pages follow. */
  isTruncated: boolean;
  /** The token for the next page. */
  nextContinuationToken?: string;
}

/** Where {@link listAllPages} lists, for its errors. */
export interface ListAllPagesOptions {
  /** The cloud listed. */
  cloud: CloudName;
  /** What we were doing, for the error, e.g. `LIST inventory on examplebucket`. */
  operation: string;
  /** Most jobs one bucket holds. */
  maxConfigurations: number;
  /** Most pages a listing of one bucket takes (its job limit ÷ the page size, plus one for an empty last page). */
  maxPages: number;
}

/**
 * Every job, following continuation tokens from the first page (`fetchPage`
 * is called with `undefined`, then with each page's next token) until a page
 * is not truncated.
 *
 * @throws a {@link CloudError} (status 200) coded `InvalidContinuationToken`
 *   when a truncated page brings no new token, `TooManyConfigurations`
 *   when more than `maxConfigurations` jobs were listed, or `TooManyPages`
 *   when page `maxPages` is still truncated (empty pages with fresh tokens):
 *   a broken or hostile service must not keep us paging forever.
 */
export async function listAllPages<C>(
  fetchPage: (continuationToken: string | undefined) => Promise<PageOfJobs<C>>,
  options: ListAllPagesOptions,
): Promise<C[]> {
  const all: C[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    all.push(...page.configurations);
    if (!page.isTruncated) {
      return all;
    }
    const next = page.nextContinuationToken;
    // A truncated page without a new token, or one we have seen, would loop forever.
    if (next === undefined || next === "" || seen.has(next)) {
      throw pagingError(
        options,
        "InvalidContinuationToken",
        "the service returned a truncated page without a new continuation token",
      );
    }
    if (seen.size + 1 >= options.maxPages) {
      throw pagingError(
        options,
        "TooManyPages",
        `the service is still paging after ${options.maxPages} pages, more than ${options.maxConfigurations} jobs take`,
      );
    }
    if (all.length > options.maxConfigurations) {
      throw pagingError(
        options,
        "TooManyConfigurations",
        `the service listed more than ${options.maxConfigurations} jobs and is still paging`,
      );
    }
    seen.add(next);
    token = next;
  }
}

function pagingError(options: ListAllPagesOptions, code: string, message: string): CloudError {
  return new CloudError({
    cloud: options.cloud,
    code,
    statusCode: 200,
    message,
    operation: options.operation,
  });
}
