// Tests of the COS q-sign-algorithm=sha1 signer: the published vectors (docs/protocol.md §1),
// byte equality with the official cos-nodejs-sdk-v5 on seeded random requests, and the
// parse/verify path the emulator uses.
import { createHash } from "crypto";
import COS from "cos-nodejs-sdk-v5";
import {
  authorize,
  canonicalize,
  cosUriEncode,
  httpString,
  isSignedByDefault,
  keyTime,
  signature,
  signKey,
  stringToSign,
  type CosCredentials,
  type CosSignableRequest,
} from "../../provider/clouds/cos/signer";
import { parseAuthorization, verifyAuthorization } from "../../provider/clouds/cos/verify";
import { ALNUM, Rng } from "../support/signing-random";
import type { InventoryCallRow } from "../support/signing-vectors";

const sha1Hex = (s: string): string => createHash("sha1").update(s, "utf8").digest("hex");
const signAll = (): boolean => true;
/** Node-SDK style: the token header is sent but added after signing. */
const nodeStyle = (name: string): boolean => name !== "x-cos-security-token" && isSignedByDefault(name);

/** `COS.getAuthorization`; its typings leave out HEAD, which it handles like any method. */
function sdkAuthorization(
  opts: Omit<COS.StaticGetAuthorizationOptions, "Method"> & { Method: string },
): string {
  return COS.getAuthorization({ ...opts, Method: opts.Method as COS.Method });
}

// ---------------------------------------------------------------------------------------
// 1. Published vectors
// ---------------------------------------------------------------------------------------

const DOC_CREDS: CosCredentials = {
  secretId: "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q",
  secretKey: "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz",
};
const DOC_HOST = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";

describe("primitives", () => {
  test("cosUriEncode keeps only RFC 3986 unreserved characters", () => {
    expect(cosUriEncode("!'()*")).toBe("%21%27%28%29%2A");
    expect(cosUriEncode("aZ09-_.~")).toBe("aZ09-_.~");
    expect(cosUriEncode("a b/c+d=e&f%g")).toBe("a%20b%2Fc%2Bd%3De%26f%25g");
    expect(cosUriEncode("腾讯云é")).toBe("%E8%85%BE%E8%AE%AF%E4%BA%91%C3%A9");
  });

  test("keyTime formats and rejects bad windows", () => {
    expect(keyTime(1557989151, 1557996351)).toBe("1557989151;1557996351");
    expect(() => keyTime(2, 1)).toThrow(RangeError);
    expect(() => keyTime(1.5, 2)).toThrow(RangeError);
    expect(() => keyTime(-1, 2)).toThrow(RangeError);
  });

  test("canonicalize lowercases encoded keys, keeps value case, sorts by byte order", () => {
    expect(canonicalize({ "Content-MD5": "mQ/f==", Host: "h", inventory: undefined, id: "" })).toEqual({
      list: "content-md5;host;id;inventory",
      joined: "content-md5=mQ%2Ff%3D%3D&host=h&id=&inventory=",
    });
    // "%" (0x25) sorts before "-" and letters: the order is over the encoded form.
    expect(canonicalize({ "x-cos-ab": "1", "x-cos-a|": "2" }).list).toBe("x-cos-a%7c;x-cos-ab");
    expect(canonicalize({}).list).toBe("");
  });

  test("isSignedByDefault: node 3.0.0 list, x-cos-*, x-ci-*", () => {
    for (const name of ["Host", "content-type", "Cache-Control", "content-md5", "X-Cos-Acl", "x-ci-foo"]) {
      expect(isSignedByDefault(name)).toBe(true);
    }
    for (const name of ["date", "user-agent", "authorization", "x-amz-date", "my-x-cos-foo", "connection"]) {
      expect(isSignedByDefault(name)).toBe(false);
    }
  });
});

describe("published vectors (docs/protocol.md §1)", () => {
  test("vector 1: COS doc upload example (all headers signed, incl. Date)", () => {
    const kt = "1557989151;1557996351";
    const req: CosSignableRequest = {
      method: "PUT",
      pathname: "/exampleobject(腾讯云)",
      query: {},
      headers: {
        Date: "Thu, 16 May 2019 06:45:51 GMT",
        Host: DOC_HOST,
        "Content-Type": "text/plain",
        "Content-Length": "13",
        "Content-MD5": "mQ/fVh815F3k6TAUm8m0eg==",
        "x-cos-acl": "private",
        "x-cos-grant-read": 'uin="100000000011"',
      },
    };
    const names = canonicalize(req.headers).list.split(";");
    const sk = signKey(DOC_CREDS.secretKey, kt);
    const hs = httpString(req, names, []);
    const sts = stringToSign(kt, hs);
    expect(sk).toBe("eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f");
    expect(hs).toBe(
      "put\n/exampleobject(腾讯云)\n\ncontent-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D" +
        "&content-type=text%2Fplain&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT" +
        "&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-acl=private" +
        "&x-cos-grant-read=uin%3D%22100000000011%22\n",
    );
    expect(sts).toBe("sha1\n1557989151;1557996351\n8b2751e77f43a0995d6e9eb9477f4b685cca4172\n");
    expect(signature(sk, sts)).toBe("3b8851a11a569213c17ba8fa7dcf2abec6935172");
    expect(
      authorize(DOC_CREDS, req, { startTime: 1557989151, endTime: 1557996351, signHeaders: signAll }),
    ).toBe(
      "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1557989151;1557996351" +
        "&q-key-time=1557989151;1557996351" +
        "&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read" +
        "&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172",
    );
    // The percent-encoded path is not what the service signs.
    expect(
      sha1Hex(httpString({ ...req, pathname: "/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)" }, names, [])),
    ).not.toBe("8b2751e77f43a0995d6e9eb9477f4b685cca4172");
  });

  test("vector 2: COS doc download example (query params, Date signed)", () => {
    const req: CosSignableRequest = {
      method: "GET",
      pathname: "/exampleobject(腾讯云)",
      query: { "response-content-type": "application/octet-stream", "response-cache-control": "max-age=600" },
      headers: { Date: "Thu, 16 May 2019 06:55:53 GMT", Host: DOC_HOST },
    };
    const kt = keyTime(1557989753, 1557996953);
    const sk = signKey(DOC_CREDS.secretKey, kt);
    expect(sk).toBe("937914bf490e9e8c189836aad2052e4feeb35eaf");
    const hs = httpString(req, ["date", "host"], ["response-cache-control", "response-content-type"]);
    expect(sha1Hex(hs)).toBe("54ecfe22f59d3514fdc764b87a32d8133ea611e6");
    expect(signature(sk, stringToSign(kt, hs))).toBe("01681b8c9d798a678e43b685a9f1bba0f6c0e012");
    const auth = authorize(DOC_CREDS, req, {
      startTime: 1557989753,
      endTime: 1557996953,
      signHeaders: signAll,
    });
    expect(auth).toContain(
      "&q-header-list=date;host&q-url-param-list=response-cache-control;response-content-type&",
    );
    expect(auth.endsWith("&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012")).toBe(true);
  });

  test("vector 3: cos-go-sdk-v5 TestNewAuthorization (default header set)", () => {
    const auth = authorize(
      { secretId: "QmFzZTY0IGlzIGEgZ2VuZXJp", secretKey: "AKIDZfbOA78asKUYBcXFrJD0a1ICvR98JM" },
      {
        method: "PUT",
        pathname: "/testfile2",
        query: {},
        headers: {
          Host: "testbucket-125000000.cos.ap-guangzhou.myqcloud.com",
          "x-cos-content-sha1": "db8ac1c259eb89d4a131b253bacfca5f319d54f2",
          "x-cos-stroage-class": "nearline",
        },
      },
      { startTime: 1480932292, endTime: 1481012292 },
    );
    expect(auth).toBe(
      "q-sign-algorithm=sha1&q-ak=QmFzZTY0IGlzIGEgZ2VuZXJp&q-sign-time=1480932292;1481012292" +
        "&q-key-time=1480932292;1481012292&q-header-list=host;x-cos-content-sha1;x-cos-stroage-class" +
        "&q-url-param-list=&q-signature=ce4ac0ecbcdb30538b3fee0a97cc6389694ce53a",
    );
  });

  // Table 4. "Signed headers (beyond host)": every row also signs Host, so the request
  // carries Host plus the listed headers and the default header rule picks them all.
  const TABLE4: (InventoryCallRow & { paramList: string; sig: string })[] = [
    {
      call: "PUT",
      method: "PUT",
      query: { inventory: "", id: "list1" },
      headers: {
        "Content-Length": "617",
        "Content-MD5": "KPUrK/gTC9wDasXZ0ee95g==",
        "Content-Type": "application/xml",
      },
      paramList: "id;inventory",
      sig: "2f6f52549a04e0bd51fc94f08717b2cf8e32f6f9",
    },
    {
      call: "GET",
      method: "GET",
      query: { inventory: "", id: "list1" },
      headers: {},
      paramList: "id;inventory",
      sig: "56b56a0a536892019572bed824aaacd9deb01ea8",
    },
    {
      call: "DELETE",
      method: "DELETE",
      query: { inventory: "", id: "list1" },
      headers: { "Content-Length": "0" },
      paramList: "id;inventory",
      sig: "017ed25caf5e96f048412b117f30cbcf0e4ff6f9",
    },
    {
      call: "GET (list)",
      method: "GET",
      query: { inventory: "" },
      headers: {},
      paramList: "inventory",
      sig: "8dc4762b6b7c1474fcbaf3624c22f4a848277321",
    },
    {
      call: "GET (list, continuation-token)",
      method: "GET",
      query: { inventory: "", "continuation-token": "1ueSDFASDF1Tr/XDAFdadEADadf2J/wm36Hy4vbOwM=" },
      headers: {},
      paramList: "continuation-token;inventory",
      sig: "6201ac1a94a31d883bce26ae894efb18b3feb26c",
    },
    {
      call: "POST",
      method: "POST",
      query: { inventory: "", id: "list1" },
      headers: {},
      paramList: "id;inventory",
      sig: "e4018974fd2c5ec240d35aae4baa6e0e5c86ed48",
    },
    {
      call: "GET with token (signed, Go/Python style)",
      method: "GET",
      query: { inventory: "", id: "list1" },
      headers: {},
      token: "TOKEN123",
      paramList: "id;inventory",
      sig: "3f435a8ee863d29536c92521b93d7742eecb2976",
    },
  ];

  test.each(TABLE4)("table 4: $call", (row) => {
    const req: CosSignableRequest = {
      method: row.method,
      pathname: "/",
      query: row.query,
      headers: { Host: DOC_HOST, ...row.headers },
    };
    const creds = { ...DOC_CREDS, securityToken: row.token };
    const auth = authorize(creds, req, { startTime: 1557989151, endTime: 1557996351 });
    const headerList = canonicalize({
      ...req.headers,
      ...(row.token ? { "x-cos-security-token": row.token } : {}),
    }).list;
    expect(auth).toBe(
      `q-sign-algorithm=sha1&q-ak=${DOC_CREDS.secretId}&q-sign-time=1557989151;1557996351` +
        `&q-key-time=1557989151;1557996351&q-header-list=${headerList}` +
        `&q-url-param-list=${row.paramList}&q-signature=${row.sig}`,
    );
    // A valueless param may equally be written as undefined.
    const undefinedInventory = { ...req, query: { ...row.query, inventory: undefined } };
    expect(authorize(creds, undefinedInventory, { startTime: 1557989151, endTime: 1557996351 })).toBe(auth);
    // The vectors came from the official SDK: regenerate them with it.
    expect(
      sdkAuthorization({
        SecretId: DOC_CREDS.secretId,
        SecretKey: DOC_CREDS.secretKey,
        Method: row.method,
        Key: "/",
        Query: row.query,
        Headers: { ...req.headers, ...(row.token ? { "x-cos-security-token": row.token } : {}) },
        KeyTime: "1557989151;1557996351",
      }),
    ).toBe(auth);
  });

  test("table 4: intermediate values of the list call (the token is unsigned node-style)", () => {
    const kt = "1557989151;1557996351";
    const req: CosSignableRequest = {
      method: "GET",
      pathname: "/",
      query: { inventory: "", "continuation-token": "1ueSDFASDF1Tr/XDAFdadEADadf2J/wm36Hy4vbOwM=" },
      headers: { Host: DOC_HOST, "x-cos-security-token": "TOKEN123" },
    };
    const hs = httpString(req, ["host"], ["continuation-token", "inventory"]);
    expect(hs).toBe(
      "get\n/\ncontinuation-token=1ueSDFASDF1Tr%2FXDAFdadEADadf2J%2Fwm36Hy4vbOwM%3D&inventory=\n" +
        "host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n",
    );
    expect(signKey(DOC_CREDS.secretKey, kt)).toBe("eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f");
    expect(stringToSign(kt, hs)).toBe(`sha1\n${kt}\n${sha1Hex(hs)}\n`);
    // Node-style signing with temporary credentials leaves the token out: same as row 5.
    const auth = authorize({ ...DOC_CREDS, securityToken: "TOKEN123" }, req, {
      startTime: 1557989151,
      endTime: 1557996351,
      signHeaders: nodeStyle,
    });
    expect(auth).toContain("&q-header-list=host&");
    expect(auth.endsWith("&q-signature=6201ac1a94a31d883bce26ae894efb18b3feb26c")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// 2. Byte equality with the official SDK on seeded random requests
// ---------------------------------------------------------------------------------------

// Whole code points only: a lone surrogate cannot be URL-encoded by either implementation.
const VALUE_CHARS = [
  ...ALNUM,
  ...ALNUM,
  ..." /+=%&!'()*~._-:;,?#@\"<>[]{}|\\^`$",
  "腾",
  "讯",
  "云",
  "é",
  "ü",
  "😀",
  "\u00a0",
];
const NAME_CHARS = [..."abcdefghijklmnopqrstuvwxyz0123456789-"];
const KEY_CHARS = [...ALNUM, ..." ()+=,!'*~._-@&$", "/", "腾", "讯", "云", "é", "😀"];

interface RandomCase {
  creds: CosCredentials;
  /** What our signer is given. */
  req: CosSignableRequest;
  /** The headers the SDK is given (the token header differs by token style). */
  sdkHeaders: Record<string, string>;
  signHeaders?: (name: string) => boolean;
  start: number;
  end: number;
}

function randomValue(r: Rng, min = 1, max = 30): string {
  return r.str(VALUE_CHARS, min, max);
}

function randomQuery(r: Rng): Record<string, string | undefined> {
  const q: Record<string, string | undefined> = {};
  if (r.chance(0.85)) q.inventory = r.pick(["", undefined]);
  if (r.chance(0.6)) q.id = r.chance(0.4) ? "list1" : r.str([...ALNUM, "-", "_", "."], 1, 64);
  if (r.chance(0.5)) {
    q["continuation-token"] = r.pick([
      "1ueSDFASDF1Tr/XDAFdadEADadf2J/wm36Hy4vbOwM=",
      "a b+c/d==",
      "腾讯云/é+=",
      randomValue(r, 0, 60),
    ]);
  }
  // Names that need no encoding (see "sort order" below for those that do).
  const extras = [
    "prefix",
    "versionId",
    "response-content-type",
    "max-keys",
    "Marker",
    "uploadId",
    "x-cos-x",
  ];
  for (let n = r.int(3); n > 0; n--) {
    q[r.pick(extras)] = r.pick(["", undefined, randomValue(r), "é", "a/b"]);
  }
  return q;
}

/**
 * Random headers, names unique case-insensitively and in random case. `allowEmpty`
 * adds empty values, which only the real request path filters (see below).
 */
function randomHeaders(r: Rng, host: string | undefined, allowEmpty: boolean): Record<string, string> {
  const pool: [string, () => string][] = [
    [
      "content-type",
      () => r.pick(["application/xml", "text/plain; charset=utf-8", "application/octet-stream"]),
    ],
    ["content-length", () => String(r.int(100000))],
    [
      "content-md5",
      () =>
        createHash("md5")
          .update(String(r.int(1e9)))
          .digest("base64"),
    ],
    ["cache-control", () => r.pick(["max-age=600", "no-cache, no-store"])],
    ["content-disposition", () => `attachment; filename="${randomValue(r, 1, 8)}.txt"`],
    ["content-encoding", () => "gzip"],
    ["expires", () => "Thu, 16 May 2019 06:45:51 GMT"],
    ["if-match", () => `"${randomValue(r, 1, 10)}"`],
    ["if-none-match", () => '"abc"'],
    ["if-modified-since", () => "Wed, 21 Oct 2015 07:28:00 GMT"],
    ["if-unmodified-since", () => "Wed, 21 Oct 2015 07:28:00 GMT"],
    ["origin", () => "https://example.com"],
    ["range", () => `bytes=0-${r.int(1000)}`],
    ["expect", () => "100-continue"],
    ["transfer-encoding", () => "chunked"],
    ["pic-operations", () => '{"is_pic_info":1,"rules":[{"fileid":"腾讯云.jpg"}]}'],
    // Not signed by default.
    ["date", () => "Thu, 16 May 2019 06:45:51 GMT"],
    ["user-agent", () => "cos-nodejs-sdk-v5-3.0.0"],
    ["accept", () => "*/*"],
    ["x-amz-meta-foo", () => randomValue(r)],
    ["connection", () => "keep-alive"],
    // x-cos-* / x-ci-*: signed.
    ["x-cos-acl", () => r.pick(["private", "public-read"])],
    ["x-cos-grant-read", () => 'uin="100000000011"'],
    ["x-cos-storage-class", () => r.pick(["STANDARD", "ARCHIVE"])],
    ["x-cos-content-sha1", () => sha1Hex(String(r.int(1e9)))],
    ["x-ci-process", () => randomValue(r)],
  ];
  const h: Record<string, string> = {};
  if (host !== undefined) h[r.pick(["Host", "host", "HOST"])] = host;
  for (const [name, value] of pool) {
    if (r.chance(0.3)) h[r.mixCase(name)] = allowEmpty && r.chance(0.15) ? "" : value();
  }
  for (let n = r.int(4); n > 0; n--) {
    const name = `x-cos-meta-${r.str(NAME_CHARS, 1, 12)}${n}`;
    h[r.mixCase(name)] = allowEmpty && r.chance(0.2) ? "" : randomValue(r, 0, 40) || "x";
  }
  return h;
}

function randomCreds(r: Rng): CosCredentials {
  return { secretId: "AKID" + r.str(ALNUM, 32, 32), secretKey: r.str(ALNUM, 32, 32) };
}

function randomWindow(r: Rng): { start: number; end: number } {
  const start = 1_500_000_000 + r.int(500_000_000);
  return { start, end: start + 1 + r.int(100_000) };
}

function randomPath(r: Rng): string {
  return r.pick(["/", "/exampleobject(腾讯云)", "/dir/a b+c=d.txt", "/" + r.str(KEY_CHARS, 1, 40)]);
}

/** One case for the static `COS.getAuthorization`, with a token in one of four styles. */
function staticCase(seed: number): RandomCase {
  const r = new Rng(seed);
  const creds = randomCreds(r);
  const { start, end } = randomWindow(r);
  const host = r.chance(0.9)
    ? r.pick([DOC_HOST, "127.0.0.1:18081", `b${r.int(1000)}-1250000000.cos.ap-guangzhou.myqcloud.com`])
    : undefined;
  const headers = randomHeaders(r, host, false);
  const sdkHeaders: Record<string, string> = { ...headers };
  let signHeaders: ((name: string) => boolean) | undefined;
  const token = r.pick(["TOKEN123", "tok/en+1=", "Ab_腾讯云 é", r.str(ALNUM, 100, 200)]);
  switch (r.int(4)) {
    case 0: // no temporary credentials
      break;
    case 1: // token only in the credentials: we add and sign it; the SDK is given the header
      creds.securityToken = token;
      sdkHeaders["x-cos-security-token"] = token;
      break;
    case 2: // token in the request headers too, any case
      creds.securityToken = token;
      headers[r.mixCase("x-cos-security-token")] = token;
      Object.assign(sdkHeaders, headers);
      break;
    case 3: // node style: the SDK's real requests add the token after signing
      creds.securityToken = token;
      signHeaders = nodeStyle;
      break;
  }
  const req: CosSignableRequest = {
    method: r.pick(["GET", "PUT", "POST", "DELETE", "HEAD", "get", "Put"]),
    pathname: randomPath(r),
    query: randomQuery(r),
    headers,
  };
  return { creds, req, sdkHeaders, signHeaders, start, end };
}

/** The request our signer's caller sends: the token header is on the wire in every style. */
function onTheWire(c: RandomCase): CosSignableRequest {
  const hasToken = Object.keys(c.req.headers).some((k) => k.toLowerCase() === "x-cos-security-token");
  if (!c.creds.securityToken || hasToken) return c.req;
  return { ...c.req, headers: { ...c.req.headers, "x-cos-security-token": c.creds.securityToken } };
}

const STATIC_CASES = 1000;
const REAL_PATH_CASES = 300;
const BASE_SEED = 0x5eed0000;

describe("byte equality with cos-nodejs-sdk-v5 3.0.0", () => {
  test(`COS.getAuthorization: ${STATIC_CASES} seeded random requests`, () => {
    const mismatches: unknown[] = [];
    for (let i = 0; i < STATIC_CASES; i++) {
      const seed = BASE_SEED + i;
      const c = staticCase(seed);
      const sdk = sdkAuthorization({
        SecretId: c.creds.secretId,
        SecretKey: c.creds.secretKey,
        Method: c.req.method,
        Pathname: c.req.pathname,
        Query: c.req.query,
        Headers: c.sdkHeaders,
        KeyTime: `${c.start};${c.end}`,
      });
      const ours = authorize(c.creds, c.req, {
        startTime: c.start,
        endTime: c.end,
        signHeaders: c.signHeaders,
      });
      const parsed = parseAuthorization(ours);
      const verified = parsed !== undefined && verifyAuthorization(parsed, c.creds.secretKey, onTheWire(c));
      if (sdk !== ours || !verified)
        mismatches.push({ seed, sdk, ours, verified, req: c.req, sdkHeaders: c.sdkHeaders });
    }
    // Replay one with staticCase(seed).
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  /**
   * The SDK's real request path (base.js getAuthorizationAsync) differs from the static
   * `getAuthorization` (util.js getAuth) in what it is given to sign:
   *   - it deletes headers whose value is "" (getAuth would sign `name=`);
   *   - it adds `Host: <bucket>.cos.<region>.myqcloud.com` unless a non-empty host header is present;
   *   - with temporary keys, the token goes on the request after signing (unsigned).
   * `getObjectUrl` runs that same path without any I/O, and the `getAuthorization` option
   * hands it temporary keys with a fixed StartTime;ExpiredTime, which become the KeyTime.
   * (In the URL form the SDK percent-encodes the q-url-param-list once more; undone below.)
   */
  async function sdkRealPath(opts: {
    creds: Required<CosCredentials>;
    start: number;
    end: number;
    bucket: string;
    region: string;
    key: string;
    method: string;
    query: Record<string, string | undefined>;
    headers: Record<string, string>;
  }): Promise<{ authorization: string; url: string }> {
    const cos = new COS({
      getAuthorization: (_options, callback) =>
        callback({
          TmpSecretId: opts.creds.secretId,
          TmpSecretKey: opts.creds.secretKey,
          SecurityToken: opts.creds.securityToken,
          StartTime: opts.start,
          ExpiredTime: opts.end,
        }),
    });
    const url = await new Promise<string>((resolve, reject) =>
      cos.getObjectUrl(
        {
          Bucket: opts.bucket,
          Region: opts.region,
          Key: opts.key,
          Method: opts.method as COS.Method,
          Query: opts.query,
          Headers: opts.headers,
          Sign: true,
        },
        (err, data) => (err ? reject(new Error(JSON.stringify(err))) : resolve(data.Url)),
      ),
    );
    const m = /[?&](q-sign-algorithm=sha1&.*?&q-signature=[0-9a-f]{40})(?:&|$)/.exec(url);
    if (!m) throw new Error(`no authorization in ${url}`);
    const authorization = m[1].replace(
      /q-url-param-list=([^&]*)/,
      (_all, list: string) => `q-url-param-list=${decodeURIComponent(list)}`,
    );
    return { authorization, url };
  }

  test(`real request path (getAuthorizationAsync): ${REAL_PATH_CASES} seeded random requests`, async () => {
    const mismatches: unknown[] = [];
    for (let i = 0; i < REAL_PATH_CASES; i++) {
      const seed = BASE_SEED + 100_000 + i;
      const r = new Rng(seed);
      const creds = {
        ...randomCreds(r),
        securityToken: r.pick(["TOKEN123", "tok/en+1=", r.str(ALNUM, 100, 200)]),
      };
      const { start, end } = randomWindow(r);
      const bucket = `b${r.str([..."abcdefghij0123456789"], 1, 10)}-125${r.str([..."0123456789"], 7, 7)}`;
      const region = r.pick(["ap-beijing", "ap-guangzhou", "ap-shanghai"]);
      const key = r.pick(["exampleobject(腾讯云)", "dir/a b+c=d.txt"]) + r.str(KEY_CHARS, 0, 20);
      const method = r.pick(["GET", "PUT", "POST", "DELETE", "HEAD"]);
      const query = randomQuery(r);
      const explicitHost = r.chance(0.2) ? "127.0.0.1:18081" : undefined;
      const headers = randomHeaders(r, explicitHost, true);

      const sdk = await sdkRealPath({ creds, start, end, bucket, region, key, method, query, headers });
      const wire: CosSignableRequest = {
        method,
        pathname: "/" + key,
        query,
        headers: {
          ...headers,
          ...(explicitHost ? {} : { Host: `${bucket}.cos.${region}.myqcloud.com` }),
          "x-cos-security-token": creds.securityToken,
        },
      };
      const ours = authorize(creds, wire, { startTime: start, endTime: end, signHeaders: nodeStyle });
      const parsed = parseAuthorization(sdk.authorization);
      const verified = parsed !== undefined && verifyAuthorization(parsed, creds.secretKey, wire);
      if (sdk.authorization !== ours || !verified) {
        mismatches.push({ seed, sdk: sdk.authorization, ours, verified, wire });
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  test("corner: empty headers are signed by getAuthorization but dropped by real requests (and by us)", async () => {
    const creds = { ...DOC_CREDS, securityToken: "TOKEN123" };
    const headers = { "Content-Type": "application/xml", "x-cos-meta-empty": "" };
    const query = { inventory: "", id: "list1" };
    const staticAuth = sdkAuthorization({
      SecretId: creds.secretId,
      SecretKey: creds.secretKey,
      Method: "PUT",
      Pathname: "/x",
      Query: query,
      Headers: { ...headers, Host: DOC_HOST },
      KeyTime: "1557989151;1557996351",
    });
    expect(staticAuth).toContain("&q-header-list=content-type;host;x-cos-meta-empty&");

    const real = await sdkRealPath({
      creds,
      start: 1557989151,
      end: 1557996351,
      bucket: "examplebucket-1250000000",
      region: "ap-beijing",
      key: "x",
      method: "PUT",
      query,
      headers,
    });
    expect(real.authorization).toContain("&q-header-list=content-type;host&");
    // The token rides outside the signature, and raw (not URL-encoded) in the URL form.
    expect(real.url).toContain("&x-cos-security-token=TOKEN123&");

    const ours = authorize(
      creds,
      { method: "PUT", pathname: "/x", query, headers: { ...headers, Host: DOC_HOST } },
      { startTime: 1557989151, endTime: 1557996351, signHeaders: nodeStyle },
    );
    expect(ours).toBe(real.authorization);
  });

  test("corner: getAuthorization adds Host only when given Bucket and Region", () => {
    const base = {
      SecretId: DOC_CREDS.secretId,
      SecretKey: DOC_CREDS.secretKey,
      Method: "GET",
      Key: "/",
      Query: { inventory: "" },
      KeyTime: "1557989151;1557996351",
    };
    expect(sdkAuthorization(base)).toContain("&q-header-list=&");
    const withBucket = sdkAuthorization({
      ...base,
      Bucket: "examplebucket-1250000000",
      Region: "ap-beijing",
    });
    expect(withBucket).toBe(
      authorize(
        DOC_CREDS,
        { method: "GET", pathname: "/", query: { inventory: "" }, headers: { Host: DOC_HOST } },
        { startTime: 1557989151, endTime: 1557996351 },
      ),
    );
    expect(withBucket.endsWith("8dc4762b6b7c1474fcbaf3624c22f4a848277321")).toBe(true);
  });

  test("corner: node signs any header containing x-cos- / x-ci- anywhere in its name", () => {
    const headers = { Host: DOC_HOST, "my-x-cos-thing": "1", "max-ci-flag": "2" };
    const sdk = sdkAuthorization({
      SecretId: DOC_CREDS.secretId,
      SecretKey: DOC_CREDS.secretKey,
      Method: "GET",
      Pathname: "/",
      Headers: headers,
      KeyTime: "1557989151;1557996351",
    });
    expect(sdk).toContain("&q-header-list=host;max-ci-flag;my-x-cos-thing&");
    const req: CosSignableRequest = { method: "GET", pathname: "/", query: {}, headers };
    const window = { startTime: 1557989151, endTime: 1557996351 };
    // Our default signs by prefix only; a predicate reproduces node exactly.
    expect(authorize(DOC_CREDS, req, window)).toContain("&q-header-list=host&");
    const nodeSubstring = (n: string): boolean =>
      isSignedByDefault(n) || n.includes("x-cos-") || n.includes("x-ci-");
    expect(authorize(DOC_CREDS, req, { ...window, signHeaders: nodeSubstring })).toBe(sdk);
  });

  test("corner: for names that need encoding, node's HttpString order disagrees with its own lists", () => {
    // Node sorts q-*-list by the encoded name but builds the HttpString in the order of the
    // raw lowercased name (util.js obj2str). "|" -> "%7c" and "é" -> "%c3%a9" sort before
    // letters once encoded, but after them raw. We follow the encoded order throughout, as
    // the lists (and Go's valuesSignMap) do; the random cases above avoid such names.
    const kt = "1557989151;1557996351";
    const req: CosSignableRequest = {
      method: "GET",
      pathname: "/",
      query: { z: "1", é: "2" },
      headers: { Host: DOC_HOST, "x-cos-ab": "1", "x-cos-a|": "2" },
    };
    const sdk = sdkAuthorization({
      SecretId: DOC_CREDS.secretId,
      SecretKey: DOC_CREDS.secretKey,
      Method: "GET",
      Pathname: "/",
      Query: req.query,
      Headers: req.headers,
      KeyTime: kt,
    });
    expect(sdk).toContain("&q-header-list=host;x-cos-a%7c;x-cos-ab&q-url-param-list=%c3%a9;z&");
    const nodeHttpString = `get\n/\nz=1&%c3%a9=2\nhost=${DOC_HOST}&x-cos-ab=1&x-cos-a%7c=2\n`;
    const nodeSig = signature(signKey(DOC_CREDS.secretKey, kt), stringToSign(kt, nodeHttpString));
    expect(sdk.endsWith(`&q-signature=${nodeSig}`)).toBe(true);

    const ours = authorize(DOC_CREDS, req, { startTime: 1557989151, endTime: 1557996351 });
    expect(httpString(req, ["host", "x-cos-a%7c", "x-cos-ab"], ["%c3%a9", "z"])).toBe(
      `get\n/\n%c3%a9=2&z=1\nhost=${DOC_HOST}&x-cos-a%7c=2&x-cos-ab=1\n`,
    );
    expect(ours).not.toBe(sdk);
    expect(ours.slice(0, ours.lastIndexOf("&"))).toBe(sdk.slice(0, sdk.lastIndexOf("&")));
  });
});

// ---------------------------------------------------------------------------------------
// 3. parseAuthorization / verifyAuthorization
// ---------------------------------------------------------------------------------------

describe("parse and verify", () => {
  const window = { startTime: 1557989151, endTime: 1557996351 };
  const putReq: CosSignableRequest = {
    method: "PUT",
    pathname: "/",
    query: { inventory: "", id: "list1" },
    headers: {
      host: DOC_HOST,
      "content-length": "617",
      "content-md5": "KPUrK/gTC9wDasXZ0ee95g==",
      "content-type": "application/xml",
      "user-agent": "cos-nodejs-sdk-v5-3.0.0",
    },
  };

  function verify(auth: string, secretKey: string, req: CosSignableRequest): boolean {
    const parsed = parseAuthorization(auth);
    if (!parsed) throw new Error(`unparseable: ${auth}`);
    return verifyAuthorization(parsed, secretKey, req);
  }

  test("parseAuthorization reads every field", () => {
    const auth = authorize(DOC_CREDS, putReq, window);
    expect(parseAuthorization(auth)).toEqual({
      ak: DOC_CREDS.secretId,
      signTime: { start: 1557989151, end: 1557996351 },
      keyTime: { start: 1557989151, end: 1557996351 },
      headerList: ["content-length", "content-md5", "content-type", "host"],
      urlParamList: ["id", "inventory"],
      signature: "2f6f52549a04e0bd51fc94f08717b2cf8e32f6f9",
    });
    const empty = parseAuthorization(
      "q-sign-algorithm=sha1&q-ak=a&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=" +
        "&q-signature=" +
        "0".repeat(40),
    );
    expect(empty?.headerList).toEqual([]);
    expect(empty?.urlParamList).toEqual([]);
  });

  test("parseAuthorization rejects malformed headers", () => {
    const good = authorize(DOC_CREDS, putReq, window);
    const bad = [
      "",
      "OSS ak:sig",
      good.replace("q-sign-algorithm=sha1", "q-sign-algorithm=sha256"),
      good.replace(/&q-key-time=[^&]*/, ""),
      good + "&q-extra=1",
      good + "&q-ak=other",
      good.replace("q-sign-time=1557989151", "q-sign-time=01557989151"),
      good.replace("q-key-time=1557989151;1557996351", "q-key-time=1557989151"),
      good.replace(/q-signature=([0-9a-f]+)/, (_a, s: string) => `q-signature=${s.toUpperCase()}`),
      good.replace(/q-signature=[0-9a-f]+/, "q-signature=abc"),
      good.replace("q-header-list=content-length;", "q-header-list=content-length;;"),
      good.replace(/q-ak=[^&]*/, "q-ak="),
    ];
    for (const header of bad) expect(parseAuthorization(header)).toBeUndefined();
  });

  test("round trip verifies; names are looked up case-insensitively; unsigned headers are ignored", () => {
    const auth = authorize(DOC_CREDS, putReq, window);
    expect(verify(auth, DOC_CREDS.secretKey, putReq)).toBe(true);
    const asReceived: CosSignableRequest = {
      ...putReq,
      method: "put",
      headers: {
        Host: DOC_HOST,
        "Content-Length": "617",
        "CONTENT-MD5": "KPUrK/gTC9wDasXZ0ee95g==",
        "Content-Type": "application/xml",
        "User-Agent": "something else",
        Connection: "keep-alive",
      },
      query: { id: "list1", inventory: undefined },
    };
    expect(verify(auth, DOC_CREDS.secretKey, asReceived)).toBe(true);
  });

  test("a tampered signature, a wrong key, a changed signed header, a removed signed param fail", () => {
    const auth = authorize(DOC_CREDS, putReq, window);
    const last = auth.slice(-1);
    const tampered = auth.slice(0, -1) + (last === "0" ? "1" : "0");
    expect(verify(tampered, DOC_CREDS.secretKey, putReq)).toBe(false);
    expect(verify(auth, DOC_CREDS.secretKey + "x", putReq)).toBe(false);
    expect(
      verify(auth, DOC_CREDS.secretKey, {
        ...putReq,
        headers: { ...putReq.headers, "content-length": "618" },
      }),
    ).toBe(false);
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, query: { inventory: "" } })).toBe(false);
    // Other mutations a server must catch.
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, method: "POST" })).toBe(false);
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, pathname: "/other" })).toBe(false);
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, query: { ...putReq.query, id: "list2" } })).toBe(
      false,
    );
    const { "content-md5": _dropped, ...withoutMd5 } = putReq.headers;
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, headers: withoutMd5 })).toBe(false);
    // A header listed twice (Foo and foo) is ambiguous: reject.
    expect(
      verify(auth, DOC_CREDS.secretKey, { ...putReq, headers: { ...putReq.headers, HOST: DOC_HOST } }),
    ).toBe(false);
    // Times are part of the signature.
    expect(
      verify(auth.replace(/q-sign-time=\d+/, "q-sign-time=1557989152"), DOC_CREDS.secretKey, putReq),
    ).toBe(false);
    expect(verify(auth.replace(/q-key-time=\d+/, "q-key-time=1557989152"), DOC_CREDS.secretKey, putReq)).toBe(
      false,
    );
    // Lists must be in canonical order.
    expect(
      verify(
        auth.replace("q-url-param-list=id;inventory", "q-url-param-list=inventory;id"),
        DOC_CREDS.secretKey,
        putReq,
      ),
    ).toBe(false);
  });

  test("temporary keys: both the signed (Go/Python) and unsigned (node) token forms verify", () => {
    const creds = { ...DOC_CREDS, securityToken: "TOKEN123" };
    const req: CosSignableRequest = {
      method: "GET",
      pathname: "/",
      query: { inventory: "", id: "list1" },
      headers: { Host: DOC_HOST, "x-cos-security-token": "TOKEN123" },
    };
    const signed = authorize(creds, req, window);
    expect(signed).toContain("q-header-list=host;x-cos-security-token&");
    expect(signed.endsWith("3f435a8ee863d29536c92521b93d7742eecb2976")).toBe(true);
    expect(verify(signed, creds.secretKey, req)).toBe(true);
    // A swapped token breaks the signed form ...
    const swapped = { ...req, headers: { ...req.headers, "x-cos-security-token": "OTHER" } };
    expect(verify(signed, creds.secretKey, swapped)).toBe(false);

    const unsigned = authorize(creds, req, { ...window, signHeaders: nodeStyle });
    expect(unsigned).toContain("q-header-list=host&");
    expect(verify(unsigned, creds.secretKey, req)).toBe(true);
    // ... but not the node form, which does not cover it (the server checks the token itself).
    expect(verify(unsigned, creds.secretKey, swapped)).toBe(true);
  });

  test("authorize refuses a request header token that differs from the credentials", () => {
    const req: CosSignableRequest = {
      method: "GET",
      pathname: "/",
      query: {},
      headers: { "X-Cos-Security-Token": "A" },
    };
    expect(() => authorize({ ...DOC_CREDS, securityToken: "B" }, req, window)).toThrow(/security token/);
    expect(authorize({ ...DOC_CREDS, securityToken: "A" }, req, window)).toContain(
      "q-header-list=x-cos-security-token&",
    );
  });

  test("signParams and signHeaders narrow what is signed, and verification follows the lists", () => {
    const auth = authorize(DOC_CREDS, putReq, {
      ...window,
      signParams: (n) => n === "inventory",
      signHeaders: (n) => n === "host",
    });
    expect(auth).toContain("&q-header-list=host&q-url-param-list=inventory&");
    // The doc's live examples sign only `inventory`, so a changed id still verifies.
    expect(verify(auth, DOC_CREDS.secretKey, { ...putReq, query: { inventory: "", id: "other" } })).toBe(
      true,
    );
  });

  test("a request that cannot be encoded fails verification instead of throwing", () => {
    const auth = authorize(DOC_CREDS, putReq, window);
    expect(
      verify(auth, DOC_CREDS.secretKey, { ...putReq, headers: { ...putReq.headers, host: "\ud800" } }),
    ).toBe(false);
  });
});
