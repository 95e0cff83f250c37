import { CloudError, NotFoundError, TransportError, ValidationError } from "../../provider/core/errors";

describe("typed errors", () => {
  it("carry the cloud's code, status, request id and message", () => {
    const e = new CloudError({
      cloud: "cos",
      code: "NoSuchBucket",
      statusCode: 404,
      requestId: "NjQ2ZjE0ZDlfMjQ4OGY3MGFfMWE1NjNfZTg1ZmQy",
      message: "The specified bucket does not exist.",
      operation: "GET inventory daily on examplebucket-1250000000",
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe("NoSuchBucket");
    expect(e.statusCode).toBe(404);
    expect(e.requestId).toBe("NjQ2ZjE0ZDlfMjQ4OGY3MGFfMWE1NjNfZTg1ZmQy");
    expect(e.message).toBe(
      "GET inventory daily on examplebucket-1250000000: COS 404 NoSuchBucket: The specified bucket does not exist. (request id NjQ2ZjE0ZDlfMjQ4OGY3MGFfMWE1NjNfZTg1ZmQy)",
    );
  });

  it("make not-found a CloudError subtype", () => {
    const e = new NotFoundError({ cloud: "oss", code: "", statusCode: 404, message: "gone" });
    expect(e).toBeInstanceOf(CloudError);
    expect(e.name).toBe("NotFoundError");
    expect(e.message).toBe("OSS 404 error: gone");
  });

  it("name every failing property in a validation error", () => {
    const e = new ValidationError([
      { property: "inventoryId", reason: "use only a-z, A-Z, 0-9, '-', '_' and '.'" },
      { property: "filter.period", reason: "startTime must not be after endTime" },
    ]);
    expect(e.failures).toHaveLength(2);
    expect(e.message).toBe(
      "inventoryId: use only a-z, A-Z, 0-9, '-', '_' and '.'; filter.period: startTime must not be after endTime",
    );
  });

  it("keep transport failures apart from cloud answers", () => {
    const e = new TransportError("connect ECONNREFUSED 127.0.0.1:9", "ECONNREFUSED", "http://127.0.0.1:9");
    expect(e).not.toBeInstanceOf(CloudError);
    expect(e.code).toBe("ECONNREFUSED");
  });
});
