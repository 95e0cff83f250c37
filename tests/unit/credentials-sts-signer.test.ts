// Tests of the two STS request signers: Tencent API 3.0 TC3-HMAC-SHA256 against byte
// equality with tencentcloud-sdk-nodejs-common, Alibaba RPC HMAC-SHA1 against the published
// example and byte equality with @alicloud/openapi-util, on seeded random requests; and the
// verify path the emulator uses.
import OpenApiUtil from "@alicloud/openapi-util";
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign";
import {
  parseTc3Authorization,
  signTc3Call,
  tc3Authorization,
  tc3CanonicalRequest,
  tc3Date,
  TC3_CONTENT_TYPE,
  verifyTc3,
} from "../../provider/credentials/cos/sts-signer";
import {
  rpcCanonicalQuery,
  rpcSignature,
  rpcStringToSign,
  rpcTimestamp,
  signRpcCall,
  verifyRpc,
} from "../../provider/credentials/oss/sts-signer";
import { ALNUM, Rng } from "../support/signing-random";

const UNICODE = [..."abcXYZ019 -_.~!*'()&=+/%:,;?#[]@$未命名é"];
const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe("TC3-HMAC-SHA256 (Tencent API 3.0)", () => {
  test("tc3Date is the UTC date of the timestamp", () => {
    expect(tc3Date(1551113065)).toBe("2019-02-25");
    expect(tc3Date(1551139199)).toBe("2019-02-25");
    expect(tc3Date(1551139200)).toBe("2019-02-26");
  });

  test("the canonical request has the documented layout", () => {
    const payload =
      '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const canonical = tc3CanonicalRequest({
      method: "POST",
      path: "/",
      query: "",
      headers: {
        "Content-Type": TC3_CONTENT_TYPE,
        Host: "cvm.tencentcloudapi.com",
        "X-TC-Action": "DescribeInstances",
      },
      signedHeaders: ["host", "content-type"],
      payload,
    });
    expect(canonical.split("\n").slice(0, 6)).toEqual([
      "POST",
      "/",
      "",
      "content-type:application/json; charset=utf-8",
      "host:cvm.tencentcloudapi.com",
      "",
    ]);
    expect(canonical.split("\n")[6]).toBe("content-type;host");
    expect(canonical.split("\n")[7]).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a missing signed header is an error, not a silent empty value", () => {
    expect(() =>
      tc3CanonicalRequest({
        method: "POST",
        path: "/",
        query: "",
        headers: {},
        signedHeaders: ["host"],
        payload: "",
      }),
    ).toThrow(/host/);
  });

  test.each(SEEDS)("signTc3Call equals tencentcloud-sdk-nodejs-common Sign.sign3 (seed %i)", (seed) => {
    const rng = new Rng(seed);
    const creds = { secretId: "AKID" + rng.str(ALNUM, 8, 32), secretKey: rng.str(ALNUM, 8, 32) };
    const host = rng.pick(["sts.tencentcloudapi.com", "sts.ap-guangzhou.tencentcloudapi.com", "127.0.0.1"]);
    const timestamp = 1500000000 + rng.int(400000000);
    const payload = JSON.stringify({
      RoleArn: "qcs::cam::uin/100000000001:roleName/" + rng.str(UNICODE, 1, 20),
      RoleSessionName: rng.str(ALNUM, 1, 64),
      DurationSeconds: 900 + rng.int(42300),
    });
    const headers = signTc3Call(
      {
        host,
        service: "sts",
        action: "AssumeRole",
        version: "2018-08-13",
        region: "ap-guangzhou",
        payload,
        timestamp,
      },
      creds,
    );
    const sdk = Sign.sign3({
      method: "POST",
      url: `https://${host}/`,
      payload: JSON.parse(payload) as unknown,
      timestamp,
      service: "sts",
      secretId: creds.secretId,
      secretKey: creds.secretKey,
      multipart: false,
      boundary: "",
      headers: { "Content-Type": TC3_CONTENT_TYPE },
    });
    expect(headers.Authorization).toBe(sdk);
  });

  test("verifyTc3 accepts what signTc3Call signed and rejects any change", () => {
    const creds = { secretId: "AKIDexample", secretKey: "secret", token: "tok" };
    const call = {
      host: "127.0.0.1:9000",
      service: "sts",
      action: "AssumeRole",
      version: "2018-08-13",
      payload: '{"RoleArn":"a"}',
      timestamp: 1700000000,
    };
    const headers = signTc3Call(call, creds);
    expect(headers["X-TC-Token"]).toBe("tok");
    const auth = parseTc3Authorization(headers.Authorization);
    expect(auth).toMatchObject({
      secretId: "AKIDexample",
      service: "sts",
      signedHeaders: ["content-type", "host"],
    });
    const input = { method: "POST", path: "/", query: "", headers, payload: call.payload };
    expect(verifyTc3(auth!, input, call.timestamp, "secret")).toBe(true);
    expect(verifyTc3(auth!, input, call.timestamp, "other")).toBe(false);
    expect(verifyTc3(auth!, { ...input, payload: '{"RoleArn":"b"}' }, call.timestamp, "secret")).toBe(false);
    expect(verifyTc3(auth!, input, call.timestamp + 86400, "secret")).toBe(false);
    expect(
      verifyTc3(auth!, { ...input, headers: { ...headers, Host: "evil" } }, call.timestamp, "secret"),
    ).toBe(false);
    expect(
      tc3Authorization(creds, { ...input, signedHeaders: ["content-type", "host"] }, call.timestamp, "sts"),
    ).toBe(headers.Authorization);
  });

  test("parseTc3Authorization rejects other schemes", () => {
    expect(parseTc3Authorization(undefined)).toBeUndefined();
    expect(parseTc3Authorization("SKIP")).toBeUndefined();
    expect(
      parseTc3Authorization(
        "TC3-HMAC-SHA256 Credential=a/2020-01-01/sts/tc3_request, SignedHeaders=host, Signature=zz",
      ),
    ).toBeUndefined();
  });

  test("an unsigned call (web identity) carries Authorization SKIP", () => {
    const headers = signTc3Call(
      {
        host: "h",
        service: "sts",
        action: "AssumeRoleWithWebIdentity",
        version: "2018-08-13",
        payload: "{}",
        timestamp: 1,
      },
      undefined,
    );
    expect(headers.Authorization).toBe("SKIP");
  });
});

describe("RPC HMAC-SHA1 (Alibaba Cloud, SignatureVersion 1.0)", () => {
  // The worked example of Alibaba Cloud's RPC signature documentation.
  const DOC_PARAMS = {
    AccessKeyId: "testid",
    Action: "DescribeRegions",
    Format: "XML",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    SignatureVersion: "1.0",
    Timestamp: "2016-02-23T12:46:24Z",
    Version: "2014-05-26",
  };

  test("the published example", () => {
    expect(rpcStringToSign("GET", DOC_PARAMS)).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(rpcSignature("testsecret", rpcStringToSign("GET", DOC_PARAMS))).toBe(
      "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    );
  });

  test("Signature itself is never signed; names sort in byte order", () => {
    expect(rpcCanonicalQuery({ b: "1", Signature: "x", B: "2", a: "~ *" })).toBe("B=2&a=~%20%2A&b=1");
  });

  test("rpcTimestamp drops milliseconds", () => {
    expect(rpcTimestamp(new Date(Date.UTC(2016, 1, 23, 12, 46, 24, 999)))).toBe("2016-02-23T12:46:24Z");
  });

  test.each(SEEDS)("signRpcCall equals @alicloud/openapi-util getRPCSignature (seed %i)", (seed) => {
    const rng = new Rng(seed);
    const creds = {
      accessKeyId: "LTAI" + rng.str(ALNUM, 8, 24),
      accessKeySecret: rng.str(UNICODE, 8, 32),
      securityToken: rng.chance(0.5) ? rng.str(UNICODE, 10, 40) : undefined,
    };
    const method = rng.pick(["GET", "POST"] as const);
    const params = signRpcCall(
      {
        action: "AssumeRole",
        version: "2015-04-01",
        method,
        params: {
          RoleArn: "acs:ram::1234:role/" + rng.str(UNICODE, 1, 20),
          RoleSessionName: rng.str(UNICODE, 1, 32),
          DurationSeconds: String(900 + rng.int(3000)),
        },
        date: new Date(1500000000000 + rng.int(400000000) * 1000),
        nonce: rng.str(ALNUM, 16, 32),
      },
      creds,
    );
    const { Signature, ...rest } = params;
    expect(Signature).toBe(OpenApiUtil.getRPCSignature(rest, method, creds.accessKeySecret));
    expect(verifyRpc(method, params, creds.accessKeySecret)).toBe(true);
    expect(
      verifyRpc(method, { ...params, RoleSessionName: "x" + params.RoleSessionName }, creds.accessKeySecret),
    ).toBe(false);
    expect(verifyRpc(method === "GET" ? "POST" : "GET", params, creds.accessKeySecret)).toBe(false);
  });

  test("an unsigned call (OIDC) has no signature parameters", () => {
    const params = signRpcCall(
      {
        action: "AssumeRoleWithOIDC",
        version: "2015-04-01",
        method: "POST",
        params: {},
        date: new Date(0),
        nonce: "n",
      },
      undefined,
    );
    expect(params).not.toHaveProperty("Signature");
    expect(params).not.toHaveProperty("AccessKeyId");
    expect(verifyRpc("POST", params, "s")).toBe(false);
  });
});
