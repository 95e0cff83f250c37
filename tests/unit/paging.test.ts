import { listAllPages, type PageOfJobs } from "../../provider/clouds/common/client";
import { CloudError } from "../../provider/core/errors";

const options = {
  cloud: "oss" as const,
  operation: "LIST inventory on b",
  maxConfigurations: 5,
  maxPages: 4,
};

/** A fake service answering from a script of pages, recording the tokens it was asked with. */
function service(pages: PageOfJobs<number>[]) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined) => {
    asked.push(token);
    const page = pages[asked.length - 1];
    if (!page) throw new Error("asked for more pages than the script has");
    return page;
  };
  return { asked, fetchPage };
}

describe("listAllPages", () => {
  it("follows tokens until a page is not truncated", async () => {
    const s = service([
      { configurations: [1, 2], isTruncated: true, nextContinuationToken: "t1" },
      { configurations: [3], isTruncated: true, nextContinuationToken: "t2" },
      { configurations: [], isTruncated: false },
    ]);
    await expect(listAllPages(s.fetchPage, options)).resolves.toEqual([1, 2, 3]);
    expect(s.asked).toEqual([undefined, "t1", "t2"]);
  });

  it.each([
    ["no token", undefined],
    ["an empty token", ""],
  ])("stops on a truncated page with %s", async (_what, token) => {
    const s = service([{ configurations: [1], isTruncated: true, nextContinuationToken: token }]);
    const err = await listAllPages(s.fetchPage, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "InvalidContinuationToken", cloud: "oss", statusCode: 200 });
    expect(s.asked).toHaveLength(1);
  });

  it("stops when a token repeats instead of looping", async () => {
    const s = service([
      { configurations: [1], isTruncated: true, nextContinuationToken: "a" },
      { configurations: [2], isTruncated: true, nextContinuationToken: "b" },
      { configurations: [3], isTruncated: true, nextContinuationToken: "a" },
    ]);
    await expect(listAllPages(s.fetchPage, options)).rejects.toMatchObject({
      code: "InvalidContinuationToken",
    });
    expect(s.asked).toEqual([undefined, "a", "b"]);
  });

  it("stops when empty truncated pages with fresh tokens go on past the page limit", async () => {
    const asked: (string | undefined)[] = [];
    const endless = async (token: string | undefined): Promise<PageOfJobs<number>> => {
      asked.push(token);
      return { configurations: [], isTruncated: true, nextContinuationToken: `t${asked.length}` };
    };
    await expect(listAllPages(endless, options)).rejects.toMatchObject({ code: "TooManyPages" });
    expect(asked).toHaveLength(4);
  });

  it("stops once more jobs than a bucket holds were listed", async () => {
    const s = service([
      { configurations: [1, 2, 3], isTruncated: true, nextContinuationToken: "a" },
      { configurations: [4, 5, 6], isTruncated: true, nextContinuationToken: "b" },
    ]);
    const err = (await listAllPages(s.fetchPage, options).catch((e: unknown) => e)) as CloudError;
    expect(err.code).toBe("TooManyConfigurations");
    expect(err.message).toContain("more than 5 jobs");
    expect(err.message).toContain("LIST inventory on b");
  });
});
