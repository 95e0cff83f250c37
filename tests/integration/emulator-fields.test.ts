// The emulator follows the services with no silent drops: every element the
// codecs know (the newer schedule, storage-class and incremental elements
// included) is stored and served back; an element it does not model is
// refused in the cloud's error format, never answered 200 and dropped; a COS
// GET keeps the prefix shape the job was written in (the official SDK builds
// both); and an absolute-form request target is served.
import COS from "cos-nodejs-sdk-v5";
import * as cosCodec from "../../provider/clouds/cos/codec";
import * as ossCodec from "../../provider/clouds/oss/codec";
import * as cos from "../support/cos-emulator";
import { emulatorPerSuite } from "../support/emulator-suite";
import * as oss from "../support/oss-emulator";

/** A COS body of job `id` whose `<Filter>` and `<Schedule>` are the given XML. */
function cosBody(id: string, filter: string, schedule = "<Frequency>Weekly</Frequency>"): string {
  return (
    `<InventoryConfiguration><Id>${id}</Id><IsEnabled>true</IsEnabled>` +
    `<IncludedObjectVersions>Current</IncludedObjectVersions>${filter}` +
    `<Schedule>${schedule}</Schedule><Destination><COSBucketDestination><Format>CSV</Format>` +
    `<Bucket>qcs::cos:${cos.REGION}::${cos.OTHER_BUCKET}</Bucket></COSBucketDestination></Destination>` +
    `</InventoryConfiguration>`
  );
}

/** The suites' OSS body of `id` with `extra` XML before the closing tag, and `schedule` as its schedule. */
function ossBody(id: string, extra: string, schedule?: string): string {
  const xml = ossCodec.encodeInventoryConfiguration(oss.config(id));
  const withSchedule =
    schedule === undefined
      ? xml
      : xml.replace("<Schedule><Frequency>Daily</Frequency></Schedule>", `<Schedule>${schedule}</Schedule>`);
  return withSchedule.replace("</InventoryConfiguration>", `${extra}</InventoryConfiguration>`);
}

describe("COS dialect: new fields are kept, unknown elements refused", () => {
  const emulator = emulatorPerSuite(cos.startCosEmulator);

  test("Monthly + MonthlyDate and Filter/And/StorageClass are stored and served", async () => {
    const emu = emulator();
    const body = cosBody(
      "m1",
      "<Filter><And><Prefix>logs/</Prefix><StorageClass>STANDARD,ARCHIVE</StorageClass></And></Filter>",
      "<Frequency>Monthly</Frequency><MonthlyDate>5</MonthlyDate>",
    );
    expect((await cos.put(emu, "m1", body)).status).toBe(200);
    const got = cosCodec.decodeInventoryConfiguration((await cos.get(emu, "m1")).body);
    expect(got.schedule).toEqual({ frequency: "Monthly", monthlyDate: 5 });
    expect(got.filter).toEqual({ prefix: "logs/", storageClasses: ["STANDARD", "ARCHIVE"] });
    const listed = cosCodec.decodeListPage((await cos.list(emu)).body).configurations;
    expect(listed).toEqual([got]);
  });

  test("<SSECOS> (some SDKs' spelling) is stored as SSE-COS", async () => {
    const emu = emulator();
    const body = cosBody("e1", "").replace(
      "</COSBucketDestination>",
      "<Encryption><SSECOS></SSECOS></Encryption></COSBucketDestination>",
    );
    expect((await cos.put(emu, "e1", body)).status).toBe(200);
    const reply = await cos.get(emu, "e1");
    expect(cosCodec.decodeInventoryConfiguration(reply.body).destination.encryption).toBe("SSE-COS");
  });

  test.each([
    ["an unknown filter element", "<Filter><And><Colour>red</Colour></And></Filter>", "Filter/And/Colour"],
    ["an unknown top-level element", "<Filter><Prefix>a</Prefix></Filter><Owner>me</Owner>", "Owner"],
    [
      "a repeated prefix",
      "<Filter><Prefix>a</Prefix><Prefix>b</Prefix></Filter>",
      "Filter/Prefix (repeated)",
    ],
  ])("%s is refused with MalformedXML naming it, and nothing is stored", async (_what, filter, path) => {
    const emu = emulator();
    const error = cos.expectCosError(await cos.put(emu, "u1", cosBody("u1", filter)), 400, "MalformedXML");
    expect(error.message).toContain(`does not model ${path}`);
    expect((await cos.get(emu, "u1")).status).toBe(404);
  });

  test("MonthlyDate on a Weekly job is refused by name, not dropped", async () => {
    const emu = emulator();
    const body = cosBody("w1", "", "<Frequency>Weekly</Frequency><MonthlyDate>5</MonthlyDate>");
    const error = cos.expectCosError(await cos.put(emu, "w1", body), 400, "InvalidArgument");
    expect(error.message).toContain('schedule.monthlyDate applies only to a "Monthly" schedule.frequency');
    expect((await cos.get(emu, "w1")).status).toBe(404);
  });

  test("a lone prefix keeps the shape it was written in: inside <And>, or bare", async () => {
    const emu = emulator();
    expect(
      (await cos.put(emu, "in-and", cosBody("in-and", "<Filter><And><Prefix>p/</Prefix></And></Filter>")))
        .status,
    ).toBe(200);
    expect((await cos.put(emu, "bare", cosBody("bare", "<Filter><Prefix>p/</Prefix></Filter>"))).status).toBe(
      200,
    );
    expect((await cos.get(emu, "in-and")).body).toContain("<Filter><And><Prefix>p/</Prefix></And></Filter>");
    expect((await cos.get(emu, "bare")).body).toContain("<Filter><Prefix>p/</Prefix></Filter>");
    const page = (await cos.list(emu)).body;
    expect(page).toContain(
      "<Id>in-and</Id><IsEnabled>true</IsEnabled><IncludedObjectVersions>Current</IncludedObjectVersions><Filter><And><Prefix>p/</Prefix></And></Filter>",
    );
    expect(page).toContain(
      "<Id>bare</Id><IsEnabled>true</IsEnabled><IncludedObjectVersions>Current</IncludedObjectVersions><Filter><Prefix>p/</Prefix></Filter>",
    );
    // Our own client reads the prefix from either shape.
    for (const id of ["in-and", "bare"]) {
      expect(cosCodec.decodeInventoryConfiguration((await cos.get(emu, id)).body).filter).toEqual({
        prefix: "p/",
      });
    }
  });

  test("the official SDK writing the prefix inside <And> reads it back from there", async () => {
    const emu = emulator();
    const sdk = new COS({
      SecretId: cos.AK,
      SecretKey: cos.SK,
      Ip: `127.0.0.1:${emu.port}`,
      Protocol: "http:",
    });
    const where = { Bucket: cos.BUCKET, Region: cos.REGION };
    const sent = {
      Id: "sdk-and",
      IsEnabled: "true",
      IncludedObjectVersions: "Current",
      // The d.ts knows only a bare prefix; the SDK's json2xml writes whatever it is given.
      Filter: { And: { Prefix: "photos/" } } as unknown as COS.InventoryConfiguration["Filter"],
      Schedule: { Frequency: "Daily" },
      Destination: {
        COSBucketDestination: { Format: "CSV", Bucket: `qcs::cos:${cos.REGION}::${cos.OTHER_BUCKET}` },
      },
    } as COS.InventoryConfiguration;
    await sdk.putBucketInventory({ ...where, Id: "sdk-and", InventoryConfiguration: sent });
    const got = await sdk.getBucketInventory({ ...where, Id: "sdk-and" });
    expect(got.InventoryConfiguration.Filter).toEqual({ And: { Prefix: "photos/" } });
  });

  test("an absolute-form target is served, and its error Resource names the target's host", async () => {
    const emu = emulator();
    const host = `${cos.BUCKET}.cos.${cos.REGION}.myqcloud.com`;
    const absoluteForm = { host: "proxy.invalid" };
    expect((await cos.put(emu, "abs", undefined, { absoluteForm })).status).toBe(200);
    const got = await cos.get(emu, "abs", { absoluteForm });
    expect(got.status).toBe(200);
    expect(cosCodec.decodeInventoryConfiguration(got.body).id).toBe("abs");
    const error = cos.expectCosError(
      await cos.get(emu, "nope", { absoluteForm }),
      404,
      "NoSuchInventoryConfiguration",
    );
    expect(error.resource).toBe(`${host}/?inventory=&id=nope`);
  });
});

describe("OSS dialect: new fields are kept, unknown elements refused with their EC", () => {
  const emulator = emulatorPerSuite(() => oss.startOssEmulator());

  test.each([
    [
      "Monthly",
      "<Frequency>Monthly</Frequency><DayOfMonth>28</DayOfMonth>",
      { frequency: "Monthly", dayOfMonth: 28 },
    ],
    [
      "Once",
      "<Frequency>Once</Frequency><AutoDelete>true</AutoDelete>",
      { frequency: "Once", autoDelete: true },
    ],
  ])("a %s job is stored and served with its schedule", async (_what, schedule, expected) => {
    const emu = emulator();
    expect((await oss.put(emu, "s1", ossBody("s1", "", schedule))).status).toBe(200);
    const got = ossCodec.decodeInventoryConfiguration((await oss.get(emu, "s1")).body);
    expect(got.schedule).toEqual(expected);
  });

  test("IncrementalInventory is stored and served", async () => {
    const emu = emulator();
    const inc =
      "<IncrementalInventory><IsEnabled>true</IsEnabled><Schedule><Frequency>600</Frequency></Schedule>" +
      "<OptionalFields><Field>RecordType</Field><Field>Size</Field></OptionalFields></IncrementalInventory>";
    expect((await oss.put(emu, "i1", ossBody("i1", inc))).status).toBe(200);
    const got = ossCodec.decodeInventoryConfiguration((await oss.get(emu, "i1")).body);
    expect(got.incrementalInventory).toEqual({
      isEnabled: true,
      frequency: 600,
      optionalFields: ["RecordType", "Size"],
    });
  });

  test("an unknown element is refused with MalformedXML and its EC, and nothing is stored", async () => {
    const emu = emulator();
    const reply = await oss.put(emu, "u1", ossBody("u1", "<Owner>me</Owner>"));
    const error = oss.expectOssError(reply, 400, "MalformedXML", "0016-00000608");
    expect(error.message).toContain("does not model Owner");
    expect((await oss.get(emu, "u1")).status).toBe(404);
  });

  test.each([
    [
      "DayOfMonth on a Daily job",
      ossBody("r1", "", "<Frequency>Daily</Frequency><DayOfMonth>3</DayOfMonth>"),
      /schedule.dayOfMonth applies only/,
      undefined,
    ],
    [
      "AutoDelete on a Weekly job",
      ossBody("r1", "", "<Frequency>Weekly</Frequency><AutoDelete>true</AutoDelete>"),
      /schedule.autoDelete applies only/,
      undefined,
    ],
    [
      "an incremental frequency other than 600",
      ossBody(
        "r1",
        "<IncrementalInventory><IsEnabled>true</IsEnabled><Schedule><Frequency>60</Frequency></Schedule></IncrementalInventory>",
      ),
      /incrementalInventory.frequency must be 600/,
      undefined,
    ],
    [
      "a begin time after the end time (with its EC)",
      ossCodec.encodeInventoryConfiguration(
        oss.config("r1", {
          filter: { lastModifyBeginTimeStamp: 1637000001, lastModifyEndTimeStamp: 1637000000 },
        }),
      ),
      /must not be after/,
      "0020-00000022",
    ],
    [
      "an end time before 2010 (with its EC)",
      ossCodec.encodeInventoryConfiguration(
        oss.config("r1", {
          filter: { lastModifyBeginTimeStamp: 1262275296, lastModifyEndTimeStamp: 1000000001 },
        }),
      ),
      /lastModifyEndTimeStamp must be a whole number of seconds/,
      "0020-00000023",
    ],
    [
      "a bad storage class (with its EC)",
      ossCodec.encodeInventoryConfiguration(oss.config("r1", { filter: { storageClass: "Standard,Cold" } })),
      /has storage class "Cold"/,
      "0020-00000026",
    ],
  ])("%s is refused by name", async (_what, body, message, ec) => {
    const emu = emulator();
    const error = oss.expectOssError(await oss.put(emu, "r1", body), 400, "InvalidArgument", ec);
    expect(error.message).toMatch(message);
    expect((await oss.get(emu, "r1")).status).toBe(404);
  });

  test("an id that exists is 409 with EC 0020-00000042", async () => {
    const emu = emulator();
    expect((await oss.put(emu, "dup")).status).toBe(200);
    oss.expectOssError(
      await oss.put(emu, "dup"),
      409,
      "InventoryConfigurationAlreadyExists",
      "0020-00000042",
    );
  });

  test("an absolute-form target is served, and its error names the target's host", async () => {
    const emu = emulator();
    const absoluteForm = { host: "proxy.invalid" };
    expect((await oss.put(emu, "abs", undefined, { absoluteForm })).status).toBe(200);
    expect((await oss.get(emu, "abs", { absoluteForm })).status).toBe(200);
    const error = oss.expectOssError(await oss.get(emu, "nope", { absoluteForm }), 404, "NoSuchInventory");
    expect(error.hostId).toBe(oss.VHOST);
  });
});
