// Unit tests of the shared client's pure pieces (provider/clouds/common/client-inventory.ts):
// how each cloud writes its query string, and how a cloud's error answers become
// the transport's classification and typed errors.
import { cloudErrors, encodeQuery } from "../../provider/clouds/common/client-inventory";
import { COS_ERRORS } from "../../provider/clouds/cos/client";
import { cosUriEncode } from "../../provider/clouds/cos/signer";
import { OSS_ERRORS } from "../../provider/clouds/oss/client";
import { CloudError, NotFoundError } from "../../provider/core/errors";
import type { HttpResponse } from "../../provider/http/transport";

const errorXml = (code: string, message: string, extra = ""): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
  `<RequestId>BODY-ID</RequestId>${extra}</Error>`;
const answer = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: Buffer.from(body, "utf8"),
});

describe("encodeQuery", () => {
  const query = { inventory: "", id: "a b!*", "continuation-token": "x/y" };

  test("COS style: every parameter as name=value, RFC 3986", () => {
    expect(encodeQuery(query, { encode: cosUriEncode, bareValueless: false })).toBe(
      "inventory=&id=a%20b%21%2A&continuation-token=x%2Fy",
    );
  });

  test("OSS style: a valueless parameter as the bare name", () => {
    expect(encodeQuery(query, { encode: encodeURIComponent, bareValueless: true })).toBe(
      "inventory&id=a%20b!*&continuation-token=x%2Fy",
    );
  });
});

describe("cloudErrors", () => {
  test("classify: nothing for a plain success, the code and message of an error or a 2xx <Error>", () => {
    expect(COS_ERRORS.classify(answer(200, "<InventoryConfiguration/>"))).toEqual({});
    expect(COS_ERRORS.classify(answer(503, errorXml("SlowDown", "slow")))).toEqual({
      code: "SlowDown",
      message: "slow",
    });
    expect(OSS_ERRORS.classify(answer(200, errorXml("InternalError", "oops")))).toEqual({
      code: "InternalError",
      message: "oops",
    });
  });

  test("toError: any 404 is a NotFoundError; the request id comes from the header, else the body", () => {
    const missing = COS_ERRORS.toError(answer(404, errorXml("NoSuchBucket", "gone")), "GET x");
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.requestId).toBe("BODY-ID");
    const denied = COS_ERRORS.toError(
      answer(403, errorXml("AccessDenied", "no"), { "x-cos-request-id": "HEADER-ID" }),
      "PUT x",
    );
    expect(denied).toBeInstanceOf(CloudError);
    expect(denied).not.toBeInstanceOf(NotFoundError);
    expect({ code: denied.code, status: denied.statusCode, id: denied.requestId }).toEqual({
      code: "AccessDenied",
      status: 403,
      id: "HEADER-ID",
    });
  });

  test("OSS: the EC joins the message, and a bodiless answer's error comes from x-oss-err", () => {
    const withEc = OSS_ERRORS.toError(
      answer(403, errorXml("AccessDenied", "no", "<EC>0003-00000001</EC>")),
      "GET x",
    );
    expect(withEc.message).toContain("no [EC 0003-00000001]");
    const header = Buffer.from(errorXml("NoSuchInventory", "none"), "utf8").toString("base64");
    const bodiless = OSS_ERRORS.toError(answer(404, "", { "x-oss-err": header }), "GET x");
    expect(bodiless).toBeInstanceOf(NotFoundError);
    expect(bodiless.code).toBe("NoSuchInventory");
  });

  test("a custom source: the decoder's fields, the suffix, and the body's error for a 2xx", () => {
    const errors = cloudErrors(
      { cloud: "cos", requestIdHeader: "x-id" },
      () => ({ code: "C", message: "m" }),
      {
        messageSuffix: () => " (more)",
      },
    );
    const e = errors.toError(answer(200, errorXml("C", "m")), "op");
    expect({ code: e.code, status: e.statusCode, message: e.message }).toEqual({
      code: "C",
      status: 200,
      message: expect.stringContaining("m (more)"),
    });
  });
});
