/**
 * One suite, run by the COS and the OSS client tests: answers a real service
 * or a broken gateway could send and the emulator never does, served by a
 * {@link startScriptedServer}. A 2xx carrying an `<Error>` is that error on
 * every operation; a success body that is malformed, of the wrong document
 * or not UTF-8 is a MalformedResponseError naming the operation, bucket, job
 * and request id; and bytes that are not UTF-8 never turn silently into U+FFFD.
 */
import { CloudError, MalformedResponseError, NotFoundError } from "../../provider/core/errors";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

/** The operations of an inventory client the suite calls. */
export interface InventoryClientLike {
  /** Reads one job. */
  get(bucket: string, id: string): Promise<unknown>;
  /** Puts the suite's job `id`. */
  put(bucket: string, id: string): Promise<void>;
  /** Deletes one job. */
  delete(bucket: string, id: string): Promise<void>;
  /** Lists every job. */
  list(bucket: string): Promise<unknown[]>;
}

/** What the suite needs to know about one cloud's client. */
export interface ServerAnswersSubject {
  /** `cos` or `oss`. */
  cloud: "cos" | "oss";
  /** A valid bucket name for the client. */
  bucket: string;
  /** The response header that carries the request id. */
  requestIdHeader: string;
  /** The client, pointed path-style at `baseUrl`. */
  client(baseUrl: string): InventoryClientLike;
  /** A valid GET answer: the job `id` with filter prefix `prefix`. */
  configurationXml(id: string, prefix: string): string;
  /** A valid, untruncated list page holding that job. */
  listPageXml(id: string, prefix: string): string;
}

const JOB = "job-1";
const HEADER_ID = "REQ-FROM-HEADER-0001";
const BODY_ID = "REQ-FROM-BODY-0002";
/** Stands for one character of the prefix, replaced by valid or invalid bytes. */
const MARK = "MARK";

function errorXml(code: string, message: string, requestId = BODY_ID): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`
  );
}

/** `xml` as bytes, with {@link MARK} replaced by `bytes`. */
function withBytes(xml: string, bytes: number[]): Buffer {
  const [before, after] = xml.split(MARK);
  return Buffer.concat([Buffer.from(before, "utf8"), Buffer.from(bytes), Buffer.from(after, "utf8")]);
}

/** The rejection of `p`, checked to be an instance of `type`. */
async function rejection<E extends Error>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(type);
  return e as E;
}

/** Registers the suite for `subject` inside the current `describe`. */
export function describeServerAnswers(subject: ServerAnswersSubject): void {
  const { bucket, requestIdHeader } = subject;
  const cloudName = subject.cloud.toUpperCase();
  const operations: [string, string, (c: InventoryClientLike) => Promise<unknown>][] = [
    ["GET", `GET inventory ${JOB} on ${bucket}`, (c) => c.get(bucket, JOB)],
    ["PUT", `PUT inventory ${JOB} on ${bucket}`, (c) => c.put(bucket, JOB)],
    ["DELETE", `DELETE inventory ${JOB} on ${bucket}`, (c) => c.delete(bucket, JOB)],
    ["LIST", `LIST inventory on ${bucket}`, (c) => c.list(bucket)],
  ];

  describe("answers the emulator never sends (scripted server)", () => {
    let server: ScriptedServer;
    let client: InventoryClientLike;

    beforeAll(async () => {
      server = await startScriptedServer();
      client = subject.client(server.url);
    });
    afterAll(() => server.close());
    beforeEach(() => {
      server.seen.length = 0;
    });

    test.each(operations)(
      "%s: a 200 whose body is an <Error> is the CloudError it carries, not a success",
      async (_method, operation, call) => {
        server.respond = () => ({
          status: 200,
          headers: { [requestIdHeader]: HEADER_ID },
          body: errorXml("AccessDenied", "Access Denied by the bucket policy."),
        });
        const e = await rejection(call(client), CloudError);
        expect(e).not.toBeInstanceOf(NotFoundError);
        expect(e).not.toBeInstanceOf(MalformedResponseError);
        expect(e).toMatchObject({
          name: "CloudError",
          cloud: subject.cloud,
          code: "AccessDenied",
          statusCode: 200,
          requestId: HEADER_ID,
          operation,
        });
        expect(e.message).toBe(
          `${operation}: ${cloudName} 200 AccessDenied: Access Denied by the bucket policy. (request id ${HEADER_ID})`,
        );
        // AccessDenied is not worth retrying.
        expect(server.seen).toHaveLength(1);
      },
    );

    test("a 200 <Error> without a request id header takes the body's, whatever the prolog", async () => {
      server.respond = () => ({
        status: 200,
        body: `\uFEFF<?xml version="1.0"?>\n<!-- gateway -->\n<Error xmlns="http://example.com/doc"><Code>InvalidArgument</Code><RequestId>${BODY_ID}</RequestId></Error>`,
      });
      const e = await rejection(client.put(bucket, JOB), CloudError);
      expect({ code: e.code, statusCode: e.statusCode, requestId: e.requestId }).toEqual({
        code: "InvalidArgument",
        statusCode: 200,
        requestId: BODY_ID,
      });
    });

    test.each([
      ["truncated XML", `<InventoryConfiguration><Id>${JOB}</Id>`, "malformed XML"],
      ["another document", "<html><body>Welcome to the gateway</body></html>", "got html"],
      ["an empty body", "", "the XML document is empty"],
    ])(
      "GET: a 200 with %s is a MalformedResponseError naming the operation, bucket, job and request id",
      async (_label, body, reason) => {
        server.respond = () => ({ status: 200, headers: { [requestIdHeader]: HEADER_ID }, body });
        const e = await rejection(client.get(bucket, JOB), MalformedResponseError);
        expect(e).toBeInstanceOf(CloudError);
        expect(e).toMatchObject({
          name: "MalformedResponseError",
          cloud: subject.cloud,
          code: "MalformedResponse",
          statusCode: 200,
          requestId: HEADER_ID,
          operation: `GET inventory ${JOB} on ${bucket}`,
        });
        expect(e.message).toMatch(
          new RegExp(
            `^GET inventory ${JOB} on ${bucket}: ${cloudName} 200 MalformedResponse: the answer is not an InventoryConfiguration document: .*\\(request id ${HEADER_ID}\\)$`,
          ),
        );
        expect(e.message).toContain(reason);
      },
    );

    test("LIST: a malformed page is a MalformedResponseError naming the list, bucket and request id", async () => {
      server.respond = () => ({
        status: 200,
        headers: { [requestIdHeader]: HEADER_ID },
        body: "<ListInventoryConfigurationsResult><IsTruncated>maybe</IsTruncated></ListInventoryConfigurationsResult>",
      });
      const e = await rejection(client.list(bucket), MalformedResponseError);
      expect(e.message).toBe(
        `LIST inventory on ${bucket}: ${cloudName} 200 MalformedResponse: the answer is not an inventory list page: ` +
          `IsTruncated must be "true" or "false", got "maybe" (request id ${HEADER_ID})`,
      );
    });

    test("a malformed answer without a request id says it had none", async () => {
      server.respond = () => ({ status: 200, body: "<Nope/>" });
      const e = await rejection(client.get(bucket, JOB), MalformedResponseError);
      expect(e.requestId).toBeUndefined();
      expect(e.message).toMatch(/got Nope \(no request id\)$/);
    });

    test("GET and LIST: bytes that are not UTF-8 are a MalformedResponseError, never U+FFFD", async () => {
      // GET names the job in the query; LIST does not.
      const answerWith = (bytes: number[]) => (req: { url: string }) => ({
        status: 200,
        headers: { [requestIdHeader]: HEADER_ID },
        body: withBytes(
          /[?&](id|inventoryId)=/.test(req.url)
            ? subject.configurationXml(JOB, `logs/${MARK}/`)
            : subject.listPageXml(JOB, `logs/${MARK}/`),
          bytes,
        ),
      });
      // The control: the same answers with a valid "é" read back.
      server.respond = answerWith([0xc3, 0xa9]);
      expect(JSON.stringify(await client.get(bucket, JOB))).toContain("logs/é/");
      expect(JSON.stringify(await client.list(bucket))).toContain("logs/é/");

      // A stray byte, a bad continuation byte, and an encoded surrogate.
      for (const invalid of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
        server.respond = answerWith(invalid);
        for (const [operation, call] of [
          [`GET inventory ${JOB} on ${bucket}`, () => client.get(bucket, JOB)],
          [`LIST inventory on ${bucket}`, () => client.list(bucket)],
        ] as const) {
          const e = await rejection(call(), MalformedResponseError);
          expect(e.operation).toBe(operation);
          expect(e.message).toContain(
            "the answer: the body is not valid UTF-8 (first invalid byte at offset",
          );
          expect(e.message).toContain(`(request id ${HEADER_ID})`);
          expect(e.message).not.toContain("\uFFFD");
        }
      }
    });

    test("PUT: a 200 whose body is not UTF-8 is not counted as a success", async () => {
      server.respond = () => ({
        status: 200,
        headers: { [requestIdHeader]: HEADER_ID },
        body: Buffer.from([0x3c, 0xff, 0xfe, 0x3e]),
      });
      const e = await rejection(client.put(bucket, JOB), MalformedResponseError);
      expect(e.operation).toBe(`PUT inventory ${JOB} on ${bucket}`);
      expect(e.message).toContain("not valid UTF-8 (first invalid byte at offset 1)");
    });

    test("an error body that is not UTF-8 keeps its code and request id, and says so", async () => {
      server.respond = () => ({
        status: 403,
        headers: { [requestIdHeader]: HEADER_ID },
        body: withBytes(errorXml("AccessDenied", `Access Denied ${MARK}`), [0xff]),
      });
      const e = await rejection(client.get(bucket, JOB), CloudError);
      expect({ code: e.code, statusCode: e.statusCode, requestId: e.requestId }).toEqual({
        code: "AccessDenied",
        statusCode: 403,
        requestId: HEADER_ID,
      });
      expect(e.message).toContain(
        "Access Denied \uFFFD [the error body is not valid UTF-8; bytes that are not are shown as U+FFFD]",
      );
    });
  });
}
