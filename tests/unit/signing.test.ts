// Tests of the pieces both signers share (provider/clouds/common/signing.ts) and of the
// request signers that return a request carrying every authentication header
// (docs/protocol.md §1 for COS, §2 for OSS).
import { authorize, cosUriEncode, signCosRequest } from "../../provider/clouds/cos/signer";
import { parseAuthorization, verifyAuthorization } from "../../provider/clouds/cos/verify";
import {
  authorizeV1,
  authorizeV4,
  ossUriEncode,
  ossV1Date,
  ossV4Date,
  signOssRequest,
} from "../../provider/clouds/oss/signer";
import { parseOssAuthorization, verifyOssAuthorization } from "../../provider/clouds/oss/verify";
import {
  compareCodeUnits,
  constantTimeEqual,
  hashHex,
  hmac,
  rfc3986Encode,
  withSecurityToken,
  type RequestToSign,
} from "../../provider/clouds/common/signing";

describe("shared signing pieces", () => {
  test.each([
    ["cosUriEncode", cosUriEncode],
    ["ossUriEncode", ossUriEncode],
  ])("%s is the shared RFC 3986 encoding", (_name, encode) => {
    expect(encode).toBe(rfc3986Encode);
  });

  test("rfc3986Encode keeps only the unreserved characters and throws on a lone surrogate", () => {
    expect(rfc3986Encode("!'()*")).toBe("%21%27%28%29%2A");
    expect(rfc3986Encode("aZ09-_.~")).toBe("aZ09-_.~");
    expect(() => rfc3986Encode("\ud800")).toThrow(URIError);
  });

  test("compareCodeUnits is byte order on ASCII, not locale order", () => {
    expect(["b", "B", "a", "_"].sort(compareCodeUnits)).toEqual(["B", "_", "a", "b"]);
    expect(compareCodeUnits("x", "x")).toBe(0);
  });

  test("constantTimeEqual compares the bytes, any length", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });

  test("hmac and hashHex are the standard digests", () => {
    // RFC 2202 test case 2 (HMAC-SHA1) and the SHA-256 of "abc" (FIPS 180-2).
    expect(hmac("sha1", "Jefe", "what do ya want for nothing?").toString("hex")).toBe(
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
    );
    expect(hashHex("sha256", "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("withSecurityToken adds the header, keeps a matching one, refuses a different one", () => {
    const headers = { Host: "h" };
    expect(withSecurityToken("x-t", undefined, headers)).toBe(headers);
    expect(withSecurityToken("x-t", "", headers)).toBe(headers);
    expect(withSecurityToken("x-t", "tok", headers)).toEqual({ Host: "h", "x-t": "tok" });
    const given = { "X-T": "tok" };
    expect(withSecurityToken("x-t", "tok", given)).toBe(given);
    expect(() => withSecurityToken("x-t", "tok", { "X-T": "other" })).toThrow(/does not match/);
  });
});

const REQUEST: RequestToSign = {
  method: "PUT",
  bucket: "examplebucket-1250000000",
  pathname: "/",
  query: { inventory: "", id: "list1" },
  headers: { Host: "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com", "Content-MD5": "bWQ1" },
  body: Buffer.from("<x/>"),
};
const NOW = 1_700_000_000;

describe("signCosRequest", () => {
  const creds = { secretId: "AKIDexample", secretKey: "secret", securityToken: "TOKEN" };

  test("returns a copy with the token and the Authorization authorize computes", () => {
    const signed = signCosRequest(creds, REQUEST, NOW, { ttlSeconds: 900 });
    expect(REQUEST.headers).not.toHaveProperty("Authorization");
    expect(signed.headers["x-cos-security-token"]).toBe("TOKEN");
    expect(signed.body).toBe(REQUEST.body);
    const expected = authorize(
      creds,
      { method: "PUT", pathname: "/", query: REQUEST.query, headers: REQUEST.headers },
      { startTime: NOW - 60, endTime: NOW + 900 },
    );
    expect(signed.headers["Authorization"]).toBe(expected);
    const parsed = parseAuthorization(expected);
    expect(parsed).toBeDefined();
    expect(verifyAuthorization(parsed!, "secret", { ...signed, pathname: "/" })).toBe(true);
  });
});

describe("signOssRequest", () => {
  const creds = { accessKeyId: "LTAIexample", accessKeySecret: "secret", securityToken: "STS.t" };
  const request: RequestToSign = {
    ...REQUEST,
    bucket: "examplebucket",
    query: { inventory: "", inventoryId: "r1" },
  };

  test("V4: token, x-oss-date, UNSIGNED-PAYLOAD and the Authorization authorizeV4 computes", () => {
    const signed = signOssRequest(creds, request, NOW, { version: "v4", region: "cn-hangzhou" });
    expect(request.headers).not.toHaveProperty("x-oss-date");
    expect(signed.headers["x-oss-security-token"]).toBe("STS.t");
    expect(signed.headers["x-oss-date"]).toBe(ossV4Date(NOW * 1000));
    expect(signed.headers["x-oss-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    const signable = {
      method: "PUT",
      bucket: "examplebucket",
      key: "",
      query: request.query,
      headers: signed.headers,
    };
    const { Authorization: auth, ...unsigned } = signed.headers;
    expect(auth).toBe(authorizeV4(creds, { ...signable, headers: unsigned }, { region: "cn-hangzhou" }));
    expect(verifyOssAuthorization(parseOssAuthorization(auth)!, "secret", signable)).toBe(true);
  });

  test("V1: token, an RFC 1123 x-oss-date and the Authorization authorizeV1 computes", () => {
    const signed = signOssRequest(creds, request, NOW, { version: "v1", region: "cn-hangzhou" });
    expect(signed.headers["x-oss-date"]).toBe(ossV1Date(NOW * 1000));
    expect(signed.headers).not.toHaveProperty("x-oss-content-sha256");
    const { Authorization: auth, ...unsigned } = signed.headers;
    const signable = {
      method: "PUT",
      bucket: "examplebucket",
      key: "",
      query: request.query,
      headers: unsigned,
    };
    expect(auth).toBe(authorizeV1(creds, signable));
    expect(verifyOssAuthorization(parseOssAuthorization(auth)!, "secret", signable)).toBe(true);
  });
});
