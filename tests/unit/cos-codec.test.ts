import { XMLValidator } from "fast-xml-parser";
import {
  decodeErrorBody,
  decodeInventoryConfiguration,
  decodeInventoryConfigurationObject,
  decodeListPage,
  encodeErrorBody,
  cosBodyShape,
  encodeInventoryConfiguration,
  encodeListPage,
} from "../../provider/clouds/cos/codec";
import type { CosInventoryConfiguration, CosInventoryListPage } from "../../provider/clouds/cos/model";
import {
  asArray,
  bool,
  child,
  el,
  escapeXmlText,
  firstOf,
  isBlank,
  optionalEl,
  parseXml,
  text,
  XmlFormatError,
} from "../../provider/xml";
import { mulberry32 } from "../support/seeded-random";
import { expectFormatError, md5b64 } from "../support/samples";
import { COS_OPTIONAL_FIELDS, COS_STORAGE_CLASSES } from "../../provider/clouds/cos/rules";

// The official SDK's own XML helpers (cos-fast-xml-parser underneath): used
// only as an independent producer/consumer to check interoperability.
type SdkObject = { [key: string]: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require("cos-nodejs-sdk-v5/sdk/util.js") as {
  json2xml(json: SdkObject): string;
  xml2json(xml: string): SdkObject;
};

// ---------------------------------------------------------------------------
// Fixed vectors

// docs/protocol.md §5 "COS body A": 617 bytes, exactly as node json2xml emits it.
const BODY_A =
  "<InventoryConfiguration><Id>list1</Id><IsEnabled>true</IsEnabled><IncludedObjectVersions>All</IncludedObjectVersions>" +
  "<Filter><Prefix>myPrefix</Prefix></Filter><OptionalFields><Field>Size</Field><Field>LastModifiedDate</Field>" +
  "<Field>ETag</Field><Field>StorageClass</Field></OptionalFields><Schedule><Frequency>Daily</Frequency></Schedule>" +
  "<Destination><COSBucketDestination><Format>CSV</Format><AccountId>100000000001</AccountId>" +
  "<Bucket>qcs::cos:ap-beijing::examplebucket-1250000000</Bucket><Prefix>list1</Prefix>" +
  "<Encryption><SSE-COS></SSE-COS></Encryption></COSBucketDestination></Destination></InventoryConfiguration>";

const MODEL_A: CosInventoryConfiguration = {
  id: "list1",
  isEnabled: true,
  includedObjectVersions: "All",
  filter: { prefix: "myPrefix" },
  optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass"],
  schedule: { frequency: "Daily" },
  destination: {
    format: "CSV",
    accountId: "100000000001",
    bucket: "qcs::cos:ap-beijing::examplebucket-1250000000",
    prefix: "list1",
    encryption: "SSE-COS",
  },
};

// docs/protocol.md §5 "COS doc request body (436/30625, all fields)", comments included.
const DOC_FULL_BODY = `<InventoryConfiguration>
  <Id>list1</Id><IsEnabled>true</IsEnabled>
  <Destination><COSBucketDestination>
    <Format>CSV</Format><AccountId>100000000001</AccountId>
    <Bucket>qcs::cos:ap-guangzhou::examplebucket-1250000000</Bucket><Prefix>list1</Prefix>
    <Encryption><SSE-COS></SSE-COS></Encryption>
  </COSBucketDestination></Destination>
  <Schedule><Frequency>Daily</Frequency></Schedule>
  <Filter>
    <Prefix>myPrefix</Prefix>                                  <!-- or <And><Prefix/><Tag><Key/><Value/></Tag>…</And> -->
    <Period><StartTime>1568688761</StartTime><EndTime>1568688762</EndTime></Period>
  </Filter>
  <IncludedObjectVersions>All</IncludedObjectVersions>         <!-- All | Current -->
  <OptionalFields><Field>Size</Field><Field>LastModifiedDate</Field><Field>ETag</Field><Field>StorageClass</Field>
    <Field>IsMultipartUploaded</Field><Field>ReplicationStatus</Field><Field>Tag</Field><Field>Crc64</Field><Field>x-cos-meta-*</Field></OptionalFields>
</InventoryConfiguration>`;

// Seed 001 (COS API doc), example 2: the doc's own broken declaration
// (no closing "?"), a spaced default namespace, and Prefix + Tag inside <And>.
const DOC_EXAMPLE_2 = `<?xml version = "1.0" encoding = "UTF-8">
<InventoryConfiguration xmlns = "http://....">
<Id>list2</Id>
<IsEnabled>true</IsEnabled>
<Destination>
<COSBucketDestination>
<Format>CSV</Format>
<AccountId>100000000001</AccountId>
<Bucket>qcs::cos:ap-guangzhou::inventorybucket-1250000000</Bucket>
</COSBucketDestination>
</Destination>
<Schedule>
<Frequency>Daily</Frequency>
</Schedule>
<Filter>
<And>
<Prefix>myPrefix</Prefix>
<Tag>
<Key>age</Key>
<Value>18</Value>
</Tag>
</And>
</Filter>
<IncludedObjectVersions>All</IncludedObjectVersions>
<OptionalFields>
<Field>Size</Field>
<Field>LastModifiedDate</Field>
<Field>StorageClass</Field>
<Field>ETag</Field>
<Field>Tag</Field>
</OptionalFields>
</InventoryConfiguration>`;

// tencentyun/cos-go-sdk-v5 bucket_inventory_test.go, TestBucketService_ListInventory
// (copied from COS doc 436/30627): IsEnabled "True", <SSE-COS/> self-closed,
// Prefix inside <And>, the "IsMultipartUpload" typo, and IsTruncated twice.
const GO_LIST_BODY = `<ListInventoryConfigurationResult>
    <InventoryConfiguration>
        <Id>list1</Id>
        <IsEnabled>True</IsEnabled>
        <Destination>
            <COSBucketDestination>
                <Format>CSV</Format>
                <AccountId>1250000000</AccountId>
                <Bucket>qcs::cos:ap-beijing::examplebucket-1250000000</Bucket>
                <Prefix>list1</Prefix>
                <Encryption>
                    <SSE-COS/>
                </Encryption>
            </COSBucketDestination>
        </Destination>
        <Schedule>
            <Frequency>Daily</Frequency>
        </Schedule>
        <Filter>
\t\t\t<And>
\t\t\t\t<Prefix>myPrefix</Prefix>
\t\t\t</And>
        </Filter>
        <IncludedObjectVersions>All</IncludedObjectVersions>
        <OptionalFields>
            <Field>Size</Field>
            <Field>LastModifiedDate</Field>
            <Field>ETag</Field>
            <Field>StorageClass</Field>
            <Field>IsMultipartUpload</Field>
            <Field>ReplicationStatus</Field>
        </OptionalFields>
    </InventoryConfiguration>
    <InventoryConfiguration>
        <Id>list2</Id>
        <IsEnabled>True</IsEnabled>
        <Destination>
            <COSBucketDestination>
                <Format>CSV</Format>
                <AccountId>1250000000</AccountId>
                <Bucket>qcs::cos:ap-beijing::examplebucket-1250000000</Bucket>
                <Prefix>list2</Prefix>
            </COSBucketDestination>
        </Destination>
        <Schedule>
            <Frequency>Weekly</Frequency>
        </Schedule>
        <Filter>
            <And><Prefix>myPrefix2</Prefix></And>
        </Filter>
        <IncludedObjectVersions>All</IncludedObjectVersions>
        <OptionalFields>
            <Field>Size</Field>
            <Field>LastModifiedDate</Field>
            <Field>ETag</Field>
            <Field>StorageClass</Field>
        </OptionalFields>
    </InventoryConfiguration>
    <IsTruncated>false</IsTruncated>
    <ContinuationToken>...</ContinuationToken>
    <IsTruncated>true</IsTruncated>
    <NextContinuationToken>1ueSDFASDF1Tr/XDAFdadEADadf2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListInventoryConfigurationResult>`;

/** A minimal valid body with `extra` spliced in, for one-tolerance-at-a-time tests. */
function body(extra: string, { isEnabled = "true", destExtra = "" } = {}): string {
  return (
    `<InventoryConfiguration><Id>t1</Id><IsEnabled>${isEnabled}</IsEnabled>` +
    `<Destination><COSBucketDestination><Format>CSV</Format>` +
    `<Bucket>qcs::cos:ap-guangzhou::dest-1250000000</Bucket>${destExtra}</COSBucketDestination></Destination>` +
    `<Schedule><Frequency>Weekly</Frequency></Schedule><IncludedObjectVersions>Current</IncludedObjectVersions>` +
    `${extra}</InventoryConfiguration>`
  );
}

// ---------------------------------------------------------------------------

describe("COS body A (docs/protocol.md §5)", () => {
  test("our encoder emits exactly the 617 bytes, md5 KPUrK/gTC9wDasXZ0ee95g==", () => {
    const xml = encodeInventoryConfiguration(MODEL_A);
    expect(xml).toBe(BODY_A);
    expect(Buffer.byteLength(xml, "utf8")).toBe(617);
    expect(md5b64(xml)).toBe("KPUrK/gTC9wDasXZ0ee95g==");
  });

  test("the official SDK's json2xml emits the same bytes for the SDK-shaped input", () => {
    const sdkXml = sdkUtil.json2xml({
      InventoryConfiguration: {
        Id: "list1",
        IsEnabled: "true",
        IncludedObjectVersions: "All",
        Filter: { Prefix: "myPrefix" },
        OptionalFields: { Field: ["Size", "LastModifiedDate", "ETag", "StorageClass"] },
        Schedule: { Frequency: "Daily" },
        Destination: {
          COSBucketDestination: {
            Format: "CSV",
            AccountId: "100000000001",
            Bucket: "qcs::cos:ap-beijing::examplebucket-1250000000",
            Prefix: "list1",
            Encryption: { "SSE-COS": "" },
          },
        },
      },
    });
    expect(sdkXml).toBe(BODY_A);
  });

  test("decodes back to the model", () => {
    expect(decodeInventoryConfiguration(BODY_A)).toStrictEqual(MODEL_A);
  });
});

describe("decoding doc and SDK samples", () => {
  test("the doc's full request body (all fields, pretty-printed, comments)", () => {
    expect(decodeInventoryConfiguration(DOC_FULL_BODY)).toStrictEqual({
      id: "list1",
      isEnabled: true,
      includedObjectVersions: "All",
      schedule: { frequency: "Daily" },
      filter: { prefix: "myPrefix", period: { startTime: 1568688761, endTime: 1568688762 } },
      optionalFields: [...COS_OPTIONAL_FIELDS, "x-cos-meta-*"],
      destination: {
        format: "CSV",
        accountId: "100000000001",
        bucket: "qcs::cos:ap-guangzhou::examplebucket-1250000000",
        prefix: "list1",
        encryption: "SSE-COS",
      },
    });
  });

  test("doc example 2: broken declaration, spaced xmlns, Prefix and Tag inside And", () => {
    expect(decodeInventoryConfiguration(DOC_EXAMPLE_2)).toStrictEqual({
      id: "list2",
      isEnabled: true,
      includedObjectVersions: "All",
      schedule: { frequency: "Daily" },
      filter: { prefix: "myPrefix", tags: [{ key: "age", value: "18" }] },
      optionalFields: ["Size", "LastModifiedDate", "StorageClass", "ETag", "Tag"],
      destination: {
        format: "CSV",
        accountId: "100000000001",
        bucket: "qcs::cos:ap-guangzhou::inventorybucket-1250000000",
      },
    });
  });

  test("doc example 1 shape: proper declaration, namespace, Period next to Prefix", () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<InventoryConfiguration xmlns="http://example.invalid/doc">` +
      body(
        "<Filter><Prefix>myPrefix</Prefix><Period><StartTime>1568688761</StartTime><EndTime>1568688762</EndTime></Period></Filter>",
      )
        .replace("<InventoryConfiguration>", "")
        .trim();
    expect(decodeInventoryConfiguration(xml).filter).toStrictEqual({
      prefix: "myPrefix",
      period: { startTime: 1568688761, endTime: 1568688762 },
    });
  });

  test("the Go SDK's GET sample: True, And/Prefix, AccountId after Prefix, no Encryption", () => {
    const xml = `<InventoryConfiguration>
    <Id>list1</Id>
    <IsEnabled>True</IsEnabled>
    <Destination>
        <COSBucketDestination>
            <Format>CSV</Format>
            <Bucket>qcs::cos:ap-guangzhou::examplebucket-1250000000</Bucket>
            <Prefix>list1</Prefix>
            <AccountId>100000000001</AccountId>
        </COSBucketDestination>
    </Destination>
    <Schedule>
        <Frequency>Daily</Frequency>
    </Schedule>
    <Filter>
        <And>
\t\t\t<Prefix>myPrefix</Prefix>
\t\t</And>
    </Filter>
    <IncludedObjectVersions>All</IncludedObjectVersions>
    <OptionalFields>
        <Field>Size</Field>
    </OptionalFields>
</InventoryConfiguration>`;
    const cfg = decodeInventoryConfiguration(xml);
    expect(cfg.isEnabled).toBe(true);
    expect(cfg.filter).toStrictEqual({ prefix: "myPrefix" });
    expect(cfg.optionalFields).toStrictEqual(["Size"]);
    expect(cfg.destination).toStrictEqual({
      format: "CSV",
      bucket: "qcs::cos:ap-guangzhou::examplebucket-1250000000",
      prefix: "list1",
      accountId: "100000000001",
    });
  });

  test("the Go SDK's list sample: two jobs, <SSE-COS/>, IsTruncated twice", () => {
    const page = decodeListPage(GO_LIST_BODY);
    expect(page.configurations.map((c) => c.id)).toStrictEqual(["list1", "list2"]);
    expect(page.configurations[0]?.destination.encryption).toBe("SSE-COS");
    expect(page.configurations[1]?.destination.encryption).toBeUndefined();
    expect(page.configurations[0]?.optionalFields).toContain("IsMultipartUpload");
    expect(page.configurations[1]?.schedule.frequency).toBe("Weekly");
    expect(page.configurations[1]?.filter).toStrictEqual({ prefix: "myPrefix2" });
    // false then true: counted as truncated, as the Go SDK (last wins) reads it.
    expect(page.isTruncated).toBe(true);
    expect(page.continuationToken).toBe("...");
    expect(page.nextContinuationToken).toBe("1ueSDFASDF1Tr/XDAFdadEADadf2J/wm36Hy4vbOwM=");
  });
});

describe("decoder tolerances, one at a time", () => {
  test.each(["true", "True", "TRUE", " true "])("IsEnabled %p is true", (v) => {
    expect(decodeInventoryConfiguration(body("", { isEnabled: v })).isEnabled).toBe(true);
  });

  test.each(["false", "False", "FALSE"])("IsEnabled %p is false", (v) => {
    expect(decodeInventoryConfiguration(body("", { isEnabled: v })).isEnabled).toBe(false);
  });

  test("one Field or many", () => {
    expect(
      decodeInventoryConfiguration(body("<OptionalFields><Field>Size</Field></OptionalFields>"))
        .optionalFields,
    ).toStrictEqual(["Size"]);
    expect(
      decodeInventoryConfiguration(
        body("<OptionalFields><Field>Size</Field><Field>ETag</Field></OptionalFields>"),
      ).optionalFields,
    ).toStrictEqual(["Size", "ETag"]);
  });

  test.each([
    ["no OptionalFields", ""],
    ["empty <OptionalFields/>", "<OptionalFields/>"],
    ["empty <OptionalFields></OptionalFields>", "<OptionalFields></OptionalFields>"],
  ])("%s gives []", (_name, extra) => {
    expect(decodeInventoryConfiguration(body(extra)).optionalFields).toStrictEqual([]);
  });

  test.each([
    ["<Encryption><SSE-COS/></Encryption>", "SSE-COS"],
    ["<Encryption><SSE-COS></SSE-COS></Encryption>", "SSE-COS"],
    ["<Encryption>\n  <SSE-COS>\n  </SSE-COS>\n</Encryption>", "SSE-COS"],
    ["<SSE-COS></SSE-COS>", "SSE-COS"],
    ["<SSE-COS/>", "SSE-COS"],
    ["<Encryption></Encryption>", undefined],
    ["", undefined],
  ])("destination %p gives encryption %p", (destExtra, expected) => {
    expect(decodeInventoryConfiguration(body("", { destExtra })).destination.encryption).toBe(expected);
  });

  test.each([
    ["no Filter", ""],
    ["<Filter/>", "<Filter/>"],
    ["<Filter></Filter>", "<Filter></Filter>"],
    ["whitespace-only Filter", "<Filter>\n   </Filter>"],
    ["<Filter><And/></Filter>", "<Filter><And/></Filter>"],
    ["<Filter><Period/></Filter>", "<Filter><Period/></Filter>"],
  ])("%s gives filter undefined", (_name, extra) => {
    const cfg = decodeInventoryConfiguration(body(extra));
    expect(cfg.filter).toBeUndefined();
    expect("filter" in cfg).toBe(false);
  });

  test("Prefix outside And, Prefix inside And, Prefix outside with tags inside And", () => {
    expect(decodeInventoryConfiguration(body("<Filter><Prefix>a/</Prefix></Filter>")).filter).toStrictEqual({
      prefix: "a/",
    });
    expect(
      decodeInventoryConfiguration(body("<Filter><And><Prefix>a/</Prefix></And></Filter>")).filter,
    ).toStrictEqual({
      prefix: "a/",
    });
    expect(
      decodeInventoryConfiguration(
        body("<Filter><Prefix>a/</Prefix><And><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>"),
      ).filter,
    ).toStrictEqual({ prefix: "a/", tags: [{ key: "k", value: "v" }] });
  });

  // One decode policy for both clouds (issue 11): an empty optional element
  // reads as absent, as OSS's decoder already read it. This test said "an
  // empty Prefix element is kept as an empty prefix" ({ prefix: "" }).
  test("an empty Prefix element reads as no prefix, so the filter is empty", () => {
    expect(decodeInventoryConfiguration(body("<Filter><Prefix></Prefix></Filter>")).filter).toBeUndefined();
    expect(
      decodeInventoryConfiguration(
        body("<Filter><Prefix></Prefix><Period><StartTime>1</StartTime></Period></Filter>"),
      ).filter,
    ).toStrictEqual({ period: { startTime: 1 } });
  });

  test("one Tag or many; a missing Value reads as empty", () => {
    expect(
      decodeInventoryConfiguration(
        body("<Filter><And><Tag><Key>age</Key><Value>18</Value></Tag></And></Filter>"),
      ).filter,
    ).toStrictEqual({ tags: [{ key: "age", value: "18" }] });
    expect(
      decodeInventoryConfiguration(
        body(
          "<Filter><And><Prefix>p</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag>" +
            "<Tag><Key>c</Key></Tag></And></Filter>",
        ),
      ).filter,
    ).toStrictEqual({
      prefix: "p",
      tags: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
        { key: "c", value: "" },
      ],
    });
  });

  test("Period with only one end, Period inside And, negative times read as numbers", () => {
    expect(
      decodeInventoryConfiguration(body("<Filter><Period><StartTime>5</StartTime></Period></Filter>")).filter,
    ).toStrictEqual({
      period: { startTime: 5 },
    });
    expect(
      decodeInventoryConfiguration(body("<Filter><And><Period><EndTime>7</EndTime></Period></And></Filter>"))
        .filter,
    ).toStrictEqual({ period: { endTime: 7 } });
    expect(
      decodeInventoryConfiguration(body("<Filter><Period><StartTime>-1</StartTime></Period></Filter>")).filter
        ?.period?.startTime,
    ).toBe(-1);
  });

  test("missing optional destination elements stay absent", () => {
    const dest = decodeInventoryConfiguration(body("")).destination;
    expect(dest).toStrictEqual({ format: "CSV", bucket: "qcs::cos:ap-guangzhou::dest-1250000000" });
  });

  test("namespace prefixes, a BOM and a standalone declaration", () => {
    const xml =
      '\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<c:InventoryConfiguration xmlns:c="http://example.invalid/c"><c:Id>n1</c:Id><c:IsEnabled>false</c:IsEnabled>' +
      "<c:Destination><c:COSBucketDestination><c:Format>CSV</c:Format><c:Bucket>b</c:Bucket></c:COSBucketDestination></c:Destination>" +
      "<c:Schedule><c:Frequency>Daily</c:Frequency></c:Schedule><c:IncludedObjectVersions>All</c:IncludedObjectVersions>" +
      "</c:InventoryConfiguration>";
    const cfg = decodeInventoryConfiguration(xml);
    expect(cfg.id).toBe("n1");
    expect(cfg.isEnabled).toBe(false);
    expect(cfg.destination.bucket).toBe("b");
  });

  test("values are passed through unchecked (rules judge them)", () => {
    const cfg = decodeInventoryConfiguration(
      body("")
        .replace("Weekly", "Monthly")
        .replace("<IncludedObjectVersions>Current", "<IncludedObjectVersions>Some"),
    );
    expect(cfg.schedule.frequency).toBe("Monthly");
    expect(cfg.includedObjectVersions).toBe("Some");
  });

  test("numeric character references, as Go's encoder writes them, are decoded", () => {
    const cfg = decodeInventoryConfiguration(
      body("<Filter><Prefix>&#34;a&#39;&#x9;b&#xA;&#233;</Prefix></Filter>"),
    );
    expect(cfg.filter?.prefix).toBe("\"a'\tb\né");
    // ...and an escaped ampersand before "#" stays literal (one decoding pass).
    const literal = decodeInventoryConfiguration(
      body("<Filter><Prefix>&amp;#233;&amp;lt;&amp;amp;</Prefix></Filter>"),
    );
    expect(literal.filter?.prefix).toBe("&#233;&lt;&amp;");
  });
});

describe("decoder errors", () => {
  test.each([
    ["Id", body("").replace("<Id>t1</Id>", "")],
    ["IsEnabled", body("").replace("<IsEnabled>true</IsEnabled>", "")],
    [
      "IncludedObjectVersions",
      body("").replace("<IncludedObjectVersions>Current</IncludedObjectVersions>", ""),
    ],
    ["Schedule/Frequency", body("").replace("<Frequency>Weekly</Frequency>", "")],
    ["Schedule/Frequency", body("").replace("<Schedule><Frequency>Weekly</Frequency></Schedule>", "")],
    ["Destination/COSBucketDestination/Format", body("").replace("<Format>CSV</Format>", "")],
    [
      "Destination/COSBucketDestination/Bucket",
      body("").replace("<Bucket>qcs::cos:ap-guangzhou::dest-1250000000</Bucket>", ""),
    ],
  ])("missing %s is named", (name, xml) => {
    expectFormatError(
      () => decodeInventoryConfiguration(xml),
      new RegExp(`missing required element\\(s\\): ${name}$`),
    );
  });

  test("every missing element is named at once", () => {
    expectFormatError(
      () => decodeInventoryConfiguration("<InventoryConfiguration><Filter/></InventoryConfiguration>"),
      /Id, IsEnabled, Destination\/COSBucketDestination\/Format, Destination\/COSBucketDestination\/Bucket, Schedule\/Frequency, IncludedObjectVersions$/,
    );
    expectFormatError(() => decodeInventoryConfiguration("<InventoryConfiguration/>"), /missing required/);
  });

  test("an empty required element counts as present (the rules name it)", () => {
    expect(decodeInventoryConfiguration(body("").replace("<Id>t1</Id>", "<Id/>")).id).toBe("");
  });

  test.each(["yes", "1", "", "truee"])("IsEnabled %p is rejected", (v) => {
    expectFormatError(
      () => decodeInventoryConfiguration(body("", { isEnabled: v })),
      /IsEnabled must be "true" or "false"/,
    );
  });

  test.each(["abc", "1.5", "1e3", "99999999999999999999"])("Period time %p is rejected", (v) => {
    expectFormatError(
      () =>
        decodeInventoryConfiguration(body(`<Filter><Period><StartTime>${v}</StartTime></Period></Filter>`)),
      /Filter\/Period\/StartTime must be an integer/,
    );
  });

  test.each([
    ["empty input", "", /empty/],
    ["whitespace", "  \n ", /empty/],
    ["unclosed element", "<InventoryConfiguration><Id>x</InventoryConfiguration>", /malformed XML/],
    ["bare ampersand", body("<Filter><Prefix>a&b</Prefix></Filter>"), /malformed XML/],
    ["not XML", "Id=1", /malformed XML/],
    ["two roots", "<InventoryConfiguration/><InventoryConfiguration/>", /exactly one root/],
    [
      "DOCTYPE",
      '<!DOCTYPE x [<!ENTITY e "zz">]><InventoryConfiguration>&e;</InventoryConfiguration>',
      /DOCTYPE/,
    ],
    ["wrong root", "<Other><Id>x</Id></Other>", /expected root element InventoryConfiguration, got Other/],
    [
      "reserved element name",
      "<InventoryConfiguration><__proto__>x</__proto__></InventoryConfiguration>",
      /malformed XML/,
    ],
  ])("%s is an XmlFormatError", (_name, xml, pattern) => {
    expectFormatError(() => decodeInventoryConfiguration(xml), pattern);
  });

  test("the syntax error carries its position", () => {
    try {
      decodeInventoryConfiguration("<InventoryConfiguration>\n<Id>x</Idd>\n</InventoryConfiguration>");
      throw new Error("expected a failure");
    } catch (err) {
      expect(err).toBeInstanceOf(XmlFormatError);
      expect((err as XmlFormatError).line).toBe(2);
      expect((err as XmlFormatError).column).toBeGreaterThan(0);
    }
  });

  test("errors inside a list name the configuration's index", () => {
    const xml =
      "<ListInventoryConfigurationResult>" +
      body("").replace(/^<InventoryConfiguration>/, "<InventoryConfiguration>") +
      body("").replace("<Id>t1</Id>", "") +
      "<IsTruncated>false</IsTruncated></ListInventoryConfigurationResult>";
    expectFormatError(
      () => decodeListPage(xml),
      /^InventoryConfiguration\[1\] is missing required element\(s\): Id$/,
    );
  });
});

describe("encoding", () => {
  const base: CosInventoryConfiguration = {
    id: "job.1",
    isEnabled: false,
    includedObjectVersions: "Current",
    optionalFields: [],
    schedule: { frequency: "Weekly" },
    destination: { format: "CSV", bucket: "qcs::cos:ap-guangzhou::dest-1250000000" },
  };

  test("a minimal configuration leaves every optional part out", () => {
    expect(encodeInventoryConfiguration(base)).toBe(
      "<InventoryConfiguration><Id>job.1</Id><IsEnabled>false</IsEnabled><IncludedObjectVersions>Current</IncludedObjectVersions>" +
        "<Schedule><Frequency>Weekly</Frequency></Schedule><Destination><COSBucketDestination><Format>CSV</Format>" +
        "<Bucket>qcs::cos:ap-guangzhou::dest-1250000000</Bucket></COSBucketDestination></Destination></InventoryConfiguration>",
    );
  });

  test("tags go inside And together with the prefix; Period stays under Filter", () => {
    const xml = encodeInventoryConfiguration({
      ...base,
      filter: {
        prefix: "p/",
        tags: [
          { key: "a", value: "1" },
          { key: "b", value: "" },
        ],
        period: { startTime: 1, endTime: 2 },
      },
    });
    expect(xml).toContain(
      "<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></And>" +
        "<Period><StartTime>1</StartTime><EndTime>2</EndTime></Period></Filter>",
    );
  });

  test("tags without a prefix, a prefix alone, a period alone", () => {
    expect(encodeInventoryConfiguration({ ...base, filter: { tags: [{ key: "k", value: "v" }] } })).toContain(
      "<Filter><And><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>",
    );
    expect(encodeInventoryConfiguration({ ...base, filter: { prefix: "x" } })).toContain(
      "<Filter><Prefix>x</Prefix></Filter>",
    );
    expect(encodeInventoryConfiguration({ ...base, filter: { period: { endTime: 9 } } })).toContain(
      "<Filter><Period><EndTime>9</EndTime></Period></Filter>",
    );
  });

  test("a filter holding nothing is left out", () => {
    for (const filter of [{}, { tags: [] }, { period: {} }, { tags: [], period: {} }]) {
      expect(encodeInventoryConfiguration({ ...base, filter })).not.toContain("<Filter>");
    }
  });

  test("no declaration and no namespace", () => {
    const xml = encodeInventoryConfiguration(MODEL_A);
    expect(xml.startsWith("<InventoryConfiguration>")).toBe(true);
    expect(xml).not.toContain("xmlns");
    expect(xml).not.toContain("<?xml");
  });
});

describe("escaping and non-ASCII", () => {
  const nasty = `a&b<c>d"e'f 腾讯云/é/𝄞`;
  const cfg: CosInventoryConfiguration = {
    ...MODEL_A,
    filter: { prefix: nasty, tags: [{ key: `k&<>"'`, value: "é腾讯云" }] },
    optionalFields: ["Tag", "x-cos-meta-é&"],
    destination: { ...MODEL_A.destination, prefix: `${nasty}/`, accountId: "<&>" },
  };

  test("markup characters are escaped and the output is well-formed", () => {
    const xml = encodeInventoryConfiguration(cfg);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("<Prefix>a&amp;b&lt;c&gt;d&quot;e&apos;f 腾讯云/é/𝄞</Prefix>");
    expect(xml).toContain("<Key>k&amp;&lt;&gt;&quot;&apos;</Key>");
  });

  test("everything round-trips", () => {
    expect(decodeInventoryConfiguration(encodeInventoryConfiguration(cfg))).toStrictEqual(cfg);
  });

  test("the official SDK parses our escaped output to the same strings", () => {
    const parsed = sdkUtil.xml2json(encodeInventoryConfiguration(cfg)) as {
      InventoryConfiguration: { Filter: { And: { Prefix: string; Tag: { Key: string } } } };
    };
    expect(parsed.InventoryConfiguration.Filter.And.Prefix).toBe(nasty);
    expect(parsed.InventoryConfiguration.Filter.And.Tag.Key).toBe(`k&<>"'`);
  });

  test("characters XML cannot carry are refused before sending", () => {
    expectFormatError(() => encodeInventoryConfiguration({ ...MODEL_A, id: "a\u0001b" }), /U\+0001/);
    expectFormatError(() => encodeInventoryConfiguration({ ...MODEL_A, id: "a\uD800b" }), /U\+D800/);
  });
});

// ---------------------------------------------------------------------------
// Property test

class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)] as T;
  }
  // Pieces chosen to stress the escaper and the entity decoder: markup, entity
  // look-alikes, numeric-reference look-alikes, non-ASCII (BMP and astral),
  // inner whitespace.
  private static readonly PIECES = [
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    ".",
    "/",
    ":",
    "*",
    "&",
    "<",
    ">",
    '"',
    "'",
    ";",
    "#",
    "amp;",
    "lt;",
    "#233;",
    "#x41;",
    "nbsp;",
    "quot;",
    "]]>",
    "<!--",
    "腾讯云",
    "é",
    "𝄞",
    "ü",
    " ",
    "\t",
    "\n",
    "x-cos-meta-",
    "%2F",
    "=",
    "?",
  ];
  /**
   * A string that may be empty. Values never start or end with whitespace and
   * never hold "\r": the parser trims values (as asked) and XML turns "\r"
   * into "\n", so those two cannot survive any XML round trip.
   */
  str(maxPieces = 6): string {
    const n = this.int(0, maxPieces);
    let s = "";
    for (let i = 0; i < n; i++) s += this.pick(Gen.PIECES);
    s = s.replace(/^\s+|\s+$/g, "");
    return s;
  }
  nonEmpty(): string {
    const s = this.str();
    return s === "" ? this.pick(["x", "&", "腾"]) : s;
  }
  seconds(): number {
    return this.pick([0, 1, 1568688761, Number.MAX_SAFE_INTEGER, -5, this.int(0, 4_000_000_000)]);
  }
}

const FIELDS = COS_OPTIONAL_FIELDS;

function randomConfig(g: Gen): CosInventoryConfiguration {
  const cfg: CosInventoryConfiguration = {
    id: g.bool(0.8) ? g.pick(["list1", "a.b-c_d", "X".repeat(64)]) : g.str(),
    isEnabled: g.bool(),
    includedObjectVersions: g.pick(["All", "Current"] as const),
    schedule: g.bool(0.25)
      ? { frequency: "Monthly", monthlyDate: g.int(0, 40) }
      : { frequency: g.pick(["Daily", "Weekly"] as const) },
    optionalFields: Array.from({ length: g.int(0, 10) }, () =>
      g.bool(0.7) ? g.pick(FIELDS) : g.bool() ? `x-cos-meta-${g.pick(["a", "my-header", "x_1"])}` : g.str(),
    ),
    destination: {
      format: g.bool(0.9) ? "CSV" : g.str(),
      bucket: g.bool(0.7) ? "qcs::cos:ap-guangzhou::examplebucket-1250000000" : g.str(),
    },
  };
  // Optional values are never "": one decode policy for both clouds (issue
  // 11) reads an empty optional element as absent, so "" cannot round-trip
  // (until then the COS decoder kept it as "").
  if (g.bool()) cfg.destination.accountId = g.bool(0.7) ? String(g.int(1, 1e12)) : g.nonEmpty();
  if (g.bool()) cfg.destination.prefix = g.nonEmpty();
  if (g.bool()) cfg.destination.encryption = "SSE-COS";
  if (g.bool(0.7)) {
    // Only filters that hold something: an empty one is, by design, not written.
    const filter: NonNullable<CosInventoryConfiguration["filter"]> = {};
    const parts = g.int(1, 15); // bit 1 prefix, bit 2 tags, bit 4 period, bit 8 storage classes
    if (parts & 1) filter.prefix = g.nonEmpty();
    if (parts & 2)
      filter.tags = Array.from({ length: g.int(1, 4) }, () => ({ key: g.str(), value: g.str() }));
    if (parts & 4) {
      const which = g.int(1, 3);
      filter.period = {};
      if (which & 1) filter.period.startTime = g.seconds();
      if (which & 2) filter.period.endTime = g.seconds();
    }
    if (parts & 8)
      filter.storageClasses = Array.from({ length: g.int(1, 3) }, () => g.pick(COS_STORAGE_CLASSES));
    cfg.filter = filter;
  }
  return cfg;
}

/** The same configuration in the shape the node SDK builds before json2xml, keys in our element order. */
function toSdkShape(cfg: CosInventoryConfiguration): SdkObject {
  const out: SdkObject = {
    Id: cfg.id,
    IsEnabled: cfg.isEnabled ? "true" : "false",
    IncludedObjectVersions: cfg.includedObjectVersions,
  };
  if (cfg.filter) {
    const f: SdkObject = {};
    const tags = (cfg.filter.tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));
    const classes = cfg.filter.storageClasses ?? [];
    if (tags.length > 0 || classes.length > 0) {
      const and: SdkObject = {};
      if (cfg.filter.prefix !== undefined) and.Prefix = cfg.filter.prefix;
      if (tags.length > 0) and.Tag = tags;
      if (classes.length > 0) and.StorageClass = classes.join(",");
      f.And = and;
    } else if (cfg.filter.prefix !== undefined) {
      f.Prefix = cfg.filter.prefix;
    }
    const p = cfg.filter.period;
    if (p && (p.startTime !== undefined || p.endTime !== undefined)) {
      const period: SdkObject = {};
      if (p.startTime !== undefined) period.StartTime = String(p.startTime);
      if (p.endTime !== undefined) period.EndTime = String(p.endTime);
      f.Period = period;
    }
    out.Filter = f;
  }
  if (cfg.optionalFields.length > 0) out.OptionalFields = { Field: cfg.optionalFields };
  out.Schedule =
    cfg.schedule.monthlyDate === undefined
      ? { Frequency: cfg.schedule.frequency }
      : { Frequency: cfg.schedule.frequency, MonthlyDate: String(cfg.schedule.monthlyDate) };
  const d: SdkObject = { Format: cfg.destination.format };
  if (cfg.destination.accountId !== undefined) d.AccountId = cfg.destination.accountId;
  d.Bucket = cfg.destination.bucket;
  if (cfg.destination.prefix !== undefined) d.Prefix = cfg.destination.prefix;
  if (cfg.destination.encryption) d.Encryption = { "SSE-COS": "" };
  out.Destination = { COSBucketDestination: d };
  return out;
}

describe("property: decode(encode(m)) equals m", () => {
  const SEED = 20240917;
  const RUNS = 600;

  test(`${RUNS} random configurations (seed ${SEED}) round-trip and match the SDK's bytes`, () => {
    const g = new Gen(SEED);
    const seen = {
      tags: 0,
      period: 0,
      prefixOnly: 0,
      encryption: 0,
      accountId: 0,
      noFilter: 0,
      fields: 0,
      monthly: 0,
      storageClasses: 0,
      prefixInAnd: 0,
    };
    for (let i = 0; i < RUNS; i++) {
      const m = randomConfig(g);
      const xml = encodeInventoryConfiguration(m);
      const context = `run ${i}: ${xml}`;
      expect({ context, valid: XMLValidator.validate(xml) }).toStrictEqual({ context, valid: true });
      expect({ context, decoded: decodeInventoryConfiguration(xml) }).toStrictEqual({ context, decoded: m });
      // The official SDK's builder, fed the same content in the same order,
      // writes the same bytes: our escaping and layout equal the SDK's.
      expect({ context, sdk: sdkUtil.json2xml({ InventoryConfiguration: toSdkShape(m) }) }).toStrictEqual({
        context,
        sdk: xml,
      });
      // The shape the emulator keeps for cos-go-sdk-v5's bodies reads back the same, and is recognised.
      const inAnd = encodeInventoryConfiguration(m, { prefixInAnd: true });
      expect({ context, decoded: decodeInventoryConfiguration(inAnd) }).toStrictEqual({
        context,
        decoded: m,
      });
      if (m.filter?.prefix !== undefined) {
        expect({ context, shape: cosBodyShape(inAnd) }).toStrictEqual({
          context,
          shape: { prefixInAnd: true },
        });
        seen.prefixInAnd++;
      }

      if (m.filter?.tags) seen.tags++;
      if (m.schedule.monthlyDate !== undefined) seen.monthly++;
      if (m.filter?.storageClasses) seen.storageClasses++;
      if (m.filter?.period) seen.period++;
      if (m.filter && !m.filter.tags && !m.filter.storageClasses && m.filter.prefix !== undefined) {
        seen.prefixOnly++;
        // Only a lone prefix has two shapes: bare by default, inside <And> when written so.
        expect({ context, shape: cosBodyShape(xml) }).toStrictEqual({ context, shape: {} });
      }
      if (!m.filter) seen.noFilter++;
      if (m.destination.encryption) seen.encryption++;
      if (m.destination.accountId !== undefined) seen.accountId++;
      if (m.optionalFields.length > 0) seen.fields++;
    }
    // The generator really covered every option.
    for (const [what, count] of Object.entries(seen)) {
      expect({ what, enough: count >= 50 }).toStrictEqual({ what, enough: true });
    }
  });

  test("random list pages round-trip", () => {
    const g = new Gen(SEED + 1);
    for (let i = 0; i < 150; i++) {
      const page: CosInventoryListPage = {
        configurations: Array.from({ length: g.int(0, 3) }, () => randomConfig(g)),
        isTruncated: g.bool(),
      };
      if (g.bool()) page.continuationToken = g.nonEmpty();
      if (g.bool()) page.nextContinuationToken = g.nonEmpty();
      expect(decodeListPage(encodeListPage(page))).toStrictEqual(page);
    }
  });
});

// ---------------------------------------------------------------------------
// The official SDK as the producer

describe("reading XML built by the official SDK's json2xml", () => {
  /** What putBucketInventory does to its input before json2xml (base.js): wrap fields, rename SSECOS. */
  function sdkPutBody(input: SdkObject): string {
    const cfg = JSON.parse(JSON.stringify(input)) as SdkObject & {
      OptionalFields?: unknown;
      Destination?: { COSBucketDestination?: { Encryption?: SdkObject } };
    };
    if (cfg.OptionalFields) cfg.OptionalFields = { Field: cfg.OptionalFields };
    const enc = cfg.Destination?.COSBucketDestination?.Encryption;
    if (enc && "SSECOS" in enc) {
      enc["SSE-COS"] = enc.SSECOS;
      delete enc.SSECOS;
    }
    return sdkUtil.json2xml({ InventoryConfiguration: cfg });
  }

  test("the node SDK doc sample (seed 002), field for field", () => {
    const sample = {
      Id: "inventory_test",
      IsEnabled: "true",
      Destination: {
        COSBucketDestination: {
          Format: "CSV",
          AccountId: "100000000001",
          Bucket: "qcs::cos:ap-beijing::targetbucket-1250000000",
          Prefix: "inventory_test_prefix",
          Encryption: { SSECOS: "" },
        },
      },
      Schedule: { Frequency: "Daily" },
      Filter: { Prefix: "filter_prefix" },
      IncludedObjectVersions: "All",
      OptionalFields: ["Size", "LastModifiedDate", "StorageClass", "ETag"],
    };
    const xml = sdkPutBody(sample);
    const cfg = decodeInventoryConfiguration(xml);
    expect(cfg.id).toBe(sample.Id);
    expect(cfg.isEnabled).toBe(true);
    expect(cfg.destination.format).toBe(sample.Destination.COSBucketDestination.Format);
    expect(cfg.destination.accountId).toBe(sample.Destination.COSBucketDestination.AccountId);
    expect(cfg.destination.bucket).toBe(sample.Destination.COSBucketDestination.Bucket);
    expect(cfg.destination.prefix).toBe(sample.Destination.COSBucketDestination.Prefix);
    expect(cfg.destination.encryption).toBe("SSE-COS");
    expect(cfg.schedule.frequency).toBe(sample.Schedule.Frequency);
    expect(cfg.filter).toStrictEqual({ prefix: sample.Filter.Prefix });
    expect(cfg.includedObjectVersions).toBe(sample.IncludedObjectVersions);
    expect(cfg.optionalFields).toStrictEqual(sample.OptionalFields);
  });

  test("the sample without encryption, with a single field, tags and a period", () => {
    const xml = sdkPutBody({
      Id: "t",
      IsEnabled: "false",
      Destination: { COSBucketDestination: { Format: "CSV", Bucket: "qcs::cos:ap-beijing::t-1250000000" } },
      Schedule: { Frequency: "Weekly" },
      Filter: {
        And: {
          Prefix: "p",
          Tag: [
            { Key: "age", Value: "18" },
            { Key: "team", Value: "a&b" },
          ],
        },
        Period: { StartTime: "1568688761", EndTime: "1568688762" },
      },
      IncludedObjectVersions: "Current",
      OptionalFields: ["Tag"],
    });
    expect(decodeInventoryConfiguration(xml)).toStrictEqual({
      id: "t",
      isEnabled: false,
      includedObjectVersions: "Current",
      schedule: { frequency: "Weekly" },
      optionalFields: ["Tag"],
      filter: {
        prefix: "p",
        tags: [
          { key: "age", value: "18" },
          { key: "team", value: "a&b" },
        ],
        period: { startTime: 1568688761, endTime: 1568688762 },
      },
      destination: { format: "CSV", bucket: "qcs::cos:ap-beijing::t-1250000000" },
    });
  });

  test("decodeInventoryConfigurationObject reads the SDK's parsed tree too", () => {
    // The SDK parser keeps the same tree shape we use (element name -> content).
    const tree = sdkUtil.xml2json(BODY_A) as {
      InventoryConfiguration: Parameters<typeof decodeInventoryConfigurationObject>[0];
    };
    expect(decodeInventoryConfigurationObject(tree.InventoryConfiguration)).toStrictEqual(MODEL_A);
  });
});

// ---------------------------------------------------------------------------

describe("list pages", () => {
  test("zero, one and many configurations", () => {
    for (const n of [0, 1, 3]) {
      const page: CosInventoryListPage = {
        configurations: Array.from({ length: n }, (_, i) => ({ ...MODEL_A, id: `list${i}` })),
        isTruncated: false,
      };
      const xml = encodeListPage(page);
      expect(xml.startsWith("<ListInventoryConfigurationResult>")).toBe(true);
      expect(decodeListPage(xml)).toStrictEqual(page);
    }
  });

  test("element order: configurations, IsTruncated, ContinuationToken, NextContinuationToken", () => {
    const xml = encodeListPage({
      configurations: [],
      isTruncated: true,
      continuationToken: "a/b+c=",
      nextContinuationToken: "n&1",
    });
    expect(xml).toBe(
      "<ListInventoryConfigurationResult><IsTruncated>true</IsTruncated><ContinuationToken>a/b+c=</ContinuationToken>" +
        "<NextContinuationToken>n&amp;1</NextContinuationToken></ListInventoryConfigurationResult>",
    );
  });

  test("declaration, namespace, missing IsTruncated, empty tokens", () => {
    const page = decodeListPage(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListInventoryConfigurationResult xmlns="http://example.invalid/">' +
        "<ContinuationToken/><NextContinuationToken></NextContinuationToken></ListInventoryConfigurationResult>",
    );
    expect(page).toStrictEqual({ configurations: [], isTruncated: false });
  });

  test("the S3/OSS root spelling is accepted; anything else is not", () => {
    expect(
      decodeListPage(
        "<ListInventoryConfigurationsResult><IsTruncated>True</IsTruncated></ListInventoryConfigurationsResult>",
      ),
    ).toStrictEqual({
      configurations: [],
      isTruncated: true,
    });
    expectFormatError(
      () => decodeListPage("<InventoryConfiguration/>"),
      /expected root element ListInventoryConfigurationResult/,
    );
  });

  test("a repeated IsTruncated: false twice stays false", () => {
    expect(
      decodeListPage(
        "<ListInventoryConfigurationResult><IsTruncated>false</IsTruncated><IsTruncated>FALSE</IsTruncated></ListInventoryConfigurationResult>",
      ).isTruncated,
    ).toBe(false);
  });

  test("a non-boolean IsTruncated is an error", () => {
    expectFormatError(
      () =>
        decodeListPage(
          "<ListInventoryConfigurationResult><IsTruncated>maybe</IsTruncated></ListInventoryConfigurationResult>",
        ),
      /IsTruncated must be/,
    );
  });
});

describe("error bodies", () => {
  test("encoded exactly in the documented COS shape", () => {
    expect(
      encodeErrorBody({
        code: "NoSuchBucket",
        message: "The specified bucket does not exist.",
        resource: "examplebucket-1250000000.cos.ap-beijing.myqcloud.com/?inventory&id=list1",
        requestId: "NTlhMzg1ZWVfMjQ4OGY3MGFfMWE1NF8****",
        traceId:
          "OGVmYzZiMmQzYjA2OWNhODk0NTRkMTBiOWVmMDAxODc0OWRkZjk0ZDM1NmI1M2E2MTRlY2MzZDhmNmI5MWI1OTBjYzE2MjAxN2M1MzJiOTdkZjMxMDVlYTZjN2FiMmI0NTk3NTFlNjUyODEzMmE0NmY4NjNmNjQ4NDA1ZGIxMjI=",
      }),
    ).toBe(
      "<?xml version='1.0' encoding='utf-8' ?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message>" +
        "<Resource>examplebucket-1250000000.cos.ap-beijing.myqcloud.com/?inventory&amp;id=list1</Resource>" +
        "<RequestId>NTlhMzg1ZWVfMjQ4OGY3MGFfMWE1NF8****</RequestId>" +
        "<TraceId>OGVmYzZiMmQzYjA2OWNhODk0NTRkMTBiOWVmMDAxODc0OWRkZjk0ZDM1NmI1M2E2MTRlY2MzZDhmNmI5MWI1OTBjYzE2MjAxN2M1MzJiOTdkZjMxMDVlYTZjN2FiMmI0NTk3NTFlNjUyODEzMmE0NmY4NjNmNjQ4NDA1ZGIxMjI=</TraceId></Error>",
    );
  });

  test("round-trips, including markup in the message", () => {
    const e = {
      code: "InvalidArgument",
      message: `bad <Id> & "quotes"`,
      resource: "r",
      requestId: "rid",
      traceId: "tid",
    };
    expect(decodeErrorBody(encodeErrorBody(e))).toStrictEqual(e);
  });

  test("reads partial bodies, with declaration variants and extra elements", () => {
    expect(
      decodeErrorBody(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>RequestTimeTooSkewed</Code>\n  <Message>x</Message>\n' +
          "  <ServerTime>2026-01-01T00:00:00Z</ServerTime>\n  <RequestId></RequestId>\n</Error>",
      ),
    ).toStrictEqual({ code: "RequestTimeTooSkewed", message: "x" });
  });

  test.each([
    ["empty", ""],
    ["plain text", "Service Unavailable"],
    ["HTML from a proxy", "<html><body><h1>502 Bad Gateway</h1></body></html>"],
    ["truncated XML", "<Error><Code>NoSuchBucket</Code><Mess"],
    ["JSON", '{"Code":"x"}'],
    ["not a string", undefined as unknown as string],
  ])("never throws: %s gives {}", (_name, input) => {
    expect(decodeErrorBody(input)).toStrictEqual({});
  });
});

// ---------------------------------------------------------------------------

describe("xml helpers", () => {
  test("escapeXmlText escapes the five markup characters and nothing else", () => {
    expect(escapeXmlText(`&<>"' 腾讯云 é\t\n`)).toBe("&amp;&lt;&gt;&quot;&apos; 腾讯云 é\t\n");
    expect(escapeXmlText("&amp;")).toBe("&amp;amp;");
  });

  test("el builds deterministic elements; falsy children are skipped", () => {
    expect(el("A", "x&y")).toBe("<A>x&amp;y</A>");
    expect(el("A")).toBe("<A></A>");
    expect(el("A", [el("B", "1"), undefined, false, null, "", el("C")])).toBe("<A><B>1</B><C></C></A>");
    expect(optionalEl("A", undefined)).toBe("");
    expect(optionalEl("A", "")).toBe("<A></A>");
    expect(() => el("bad name", "")).toThrow(XmlFormatError);
  });

  test("asArray, firstOf, text, child, bool, isBlank", () => {
    const doc = parseXml("<R><A>1</A><A>2</A><B><C>x</C></B><M>t<N/></M><E/></R>");
    expect(doc.root).toBe("R");
    expect(asArray(child(doc.content, "A"))).toStrictEqual(["1", "2"]);
    expect(asArray(child(doc.content, "C"))).toStrictEqual([]);
    expect(asArray(child(doc.content, "E"))).toStrictEqual([""]);
    expect(firstOf(child(doc.content, "A"))).toBe("1");
    expect(text(child(doc.content, "A"))).toBe("1");
    expect(text(child(doc.content, "B"))).toBe("");
    expect(text(child(doc.content, "M"))).toBe("t");
    expect(text(undefined)).toBe("");
    expect(text(child(child(doc.content, "B"), "C"))).toBe("x");
    expect([
      bool("true"),
      bool("True"),
      bool("TRUE"),
      bool("false"),
      bool("False"),
      bool("yes"),
      bool(undefined),
    ]).toStrictEqual([true, true, true, false, false, undefined, undefined]);
    expect(isBlank(child(doc.content, "E"))).toBe(true);
    expect(isBlank(parseXml("<X><Y/><Z> </Z></X>").content)).toBe(true);
    expect(isBlank(child(doc.content, "B"))).toBe(false);
  });

  test("parseXml keeps every value a string and drops attributes", () => {
    const doc = parseXml('<R a="1"><N>0123</N><T>true</T><F>1.50</F></R>');
    expect(doc.content).toStrictEqual({ N: "0123", T: "true", F: "1.50" });
  });
});
