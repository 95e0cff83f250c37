// The pure pieces behind reading answers safely: strict UTF-8 decoding, the
// cheap root-element scan that spots an <Error> in a 2xx, reading an error
// body that is not UTF-8, the typed errors' messages, and the transport
// option checks that keep every call bounded.
import { readErrorBody } from "../../provider/clouds/common/client";
import { decodeErrorBody } from "../../provider/clouds/cos/codec";
import {
  CloudError,
  MalformedResponseError,
  TransportError,
  ValidationError,
} from "../../provider/core/errors";
import { Transport, checkTransportOptions, isTransportError } from "../../provider/http/transport";
import { XmlFormatError, decodeUtf8Strict, xmlRootName } from "../../provider/xml";

describe("decodeUtf8Strict", () => {
  it("decodes UTF-8 and drops a byte-order mark", () => {
    expect(decodeUtf8Strict(Buffer.from("\uFEFF<a>数据-é</a>", "utf8"))).toBe("<a>数据-é</a>");
  });

  it.each([
    ["a stray byte", [0x61, 0xff, 0x62], 1],
    ["a bad continuation byte", [0x61, 0x62, 0xc3, 0x28], 2],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], 0],
    ["an overlong encoding", [0x61, 0xc0, 0xaf], 1],
    ["a sequence cut at the end", [0x61, 0xe6, 0x95], 1],
    ["a stray byte after a complete sequence", [0xc3, 0xa9, 0xff], 2],
  ])("refuses %s, naming the offset, instead of producing U+FFFD", (_label, bytes, offset) => {
    let caught: unknown;
    try {
      decodeUtf8Strict(Uint8Array.from(bytes));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(XmlFormatError);
    expect((caught as Error).message).toBe(
      `the body is not valid UTF-8 (first invalid byte at offset ${offset})`,
    );
  });
});

describe("xmlRootName", () => {
  it.each([
    ["<Error><Code>x</Code></Error>", "Error"],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<Error/>', "Error"],
    ['\uFEFF  <?xml version = "1.0" encoding = "UTF-8">\n<Error>', "Error"],
    ["<!-- a gateway's comment --><?pi x?>\n<s3:Error xmlns:s3='u'>", "Error"],
    ["<InventoryConfiguration xmlns='http://x'>", "InventoryConfiguration"],
    ["<ErrorDetail>", "ErrorDetail"],
  ])("finds the root of %j", (xml, root) => {
    expect(xmlRootName(xml)).toBe(root);
  });

  it.each([
    [""],
    ["   "],
    ["not xml <Error>"],
    ["<!DOCTYPE x><Error/>"],
    ["<!-- never closed <Error/>"],
    ["<"],
  ])("finds none in %j", (xml) => {
    expect(xmlRootName(xml)).toBeUndefined();
  });
});

describe("readErrorBody", () => {
  const xml = (message: string) =>
    `<Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;

  it("reads a UTF-8 error body as it is", () => {
    expect(readErrorBody(Buffer.from(xml("Zugriff verweigert: é")), decodeErrorBody)).toEqual({
      code: "AccessDenied",
      message: "Zugriff verweigert: é",
      requestId: "R1",
    });
  });

  it("keeps the code and request id of a body that is not UTF-8, and says so in the message", () => {
    const [before, after] = xml("bad MARK").split("MARK");
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    expect(readErrorBody(body, decodeErrorBody)).toEqual({
      code: "AccessDenied",
      message: "bad \uFFFD [the error body is not valid UTF-8; bytes that are not are shown as U+FFFD]",
      requestId: "R1",
    });
  });
});

describe("typed errors of answers and transport", () => {
  it("a MalformedResponseError is a CloudError coded MalformedResponse that names the operation and request id", () => {
    const cause = new XmlFormatError("expected root element InventoryConfiguration, got Foo");
    const e = new MalformedResponseError(
      {
        cloud: "cos",
        statusCode: 200,
        requestId: "NjQ2",
        message: `the answer is not an InventoryConfiguration document: ${cause.message}`,
        operation: "GET inventory daily on examplebucket-1250000000",
      },
      { cause },
    );
    expect(e).toBeInstanceOf(CloudError);
    expect(e).toMatchObject({ name: "MalformedResponseError", code: "MalformedResponse", statusCode: 200 });
    expect(e.message).toBe(
      "GET inventory daily on examplebucket-1250000000: COS 200 MalformedResponse: the answer is not an " +
        "InventoryConfiguration document: expected root element InventoryConfiguration, got Foo (request id NjQ2)",
    );
    expect((e as Error & { cause?: unknown }).cause).toBe(cause);
  });

  it("a MalformedResponseError without a request id says so", () => {
    const e = new MalformedResponseError({
      cloud: "oss",
      statusCode: 200,
      message: "bad",
      operation: "LIST x",
    });
    expect(e.message).toBe("LIST x: OSS 200 MalformedResponse: bad (no request id)");
  });

  it("a TransportError carries its operation and attempts, and isTransportError tells codes apart", () => {
    const e = new TransportError("GET x at http://h: cancelled", "EABORTED", "http://h", {
      operation: "GET x",
      attempts: 2,
    });
    expect(e).toMatchObject({ code: "EABORTED", endpoint: "http://h", operation: "GET x", attempts: 2 });
    expect(isTransportError(e)).toBe(true);
    expect(isTransportError(e, "EABORTED")).toBe(true);
    expect(isTransportError(e, "ETIMEDOUT")).toBe(false);
    expect(isTransportError(new Error("x"))).toBe(false);
  });
});

describe("checkTransportOptions", () => {
  it("accepts the defaults and sensible values", () => {
    expect(checkTransportOptions({})).toEqual([]);
    expect(
      checkTransportOptions({
        timeoutMs: 0.5,
        totalTimeoutMs: 1,
        maxAttempts: 1,
        maxResponseBytes: 1,
        baseDelayMs: 0,
        maxDelayMs: 0,
      }),
    ).toEqual([]);
  });

  it("refuses values that would make a call unbounded or meaningless, naming each", () => {
    const options = {
      timeoutMs: Infinity,
      totalTimeoutMs: 0,
      maxAttempts: Infinity,
      maxResponseBytes: 1.5,
      baseDelayMs: -1,
      maxDelayMs: NaN,
    };
    expect(checkTransportOptions(options).map((f) => f.property)).toEqual([
      "transport.timeoutMs",
      "transport.totalTimeoutMs",
      "transport.maxAttempts",
      "transport.maxResponseBytes",
      "transport.baseDelayMs",
      "transport.maxDelayMs",
    ]);
    expect(() => new Transport({ maxAttempts: Infinity })).toThrow(ValidationError);
    expect(() => new Transport({ maxAttempts: Infinity })).toThrow(
      "transport.maxAttempts: maxAttempts must be a finite whole number above 0, got Infinity",
    );
  });
});
