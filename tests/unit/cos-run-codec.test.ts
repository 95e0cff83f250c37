// The COS one-shot run on the wire: the POST body (a job's body without
// IsEnabled and Schedule) and the PostInventoryResult answer.
import {
  decodeInventoryRun,
  decodePostInventoryResult,
  encodeInventoryConfiguration,
  encodeInventoryRun,
  encodePostInventoryResult,
} from "../../provider/clouds/cos/codec";
import type { CosInventoryRun } from "../../provider/clouds/cos/model";
import { cosRulesSample, expectFormatError } from "../support/samples";

function sampleRun(): CosInventoryRun {
  const { isEnabled: _e, schedule: _s, ...run } = cosRulesSample();
  return run;
}

describe("COS one-shot run codec", () => {
  test("the body is the job's body without IsEnabled and Schedule, in the same order", () => {
    const cfg = cosRulesSample();
    const job = encodeInventoryConfiguration(cfg);
    const expected = job
      .replace(/<IsEnabled>[^<]*<\/IsEnabled>/, "")
      .replace(/<Schedule><Frequency>[^<]*<\/Frequency><\/Schedule>/, "");
    expect(encodeInventoryRun(sampleRun())).toBe(expected);
    expect(expected).not.toMatch(/IsEnabled|Schedule/);
    expect(expected.startsWith(`<InventoryConfiguration><Id>${cfg.id}</Id><IncludedObjectVersions>`)).toBe(
      true,
    );
  });

  test("the body reads back as the run", () => {
    expect(decodeInventoryRun(encodeInventoryRun(sampleRun()))).toEqual(sampleRun());
  });

  test("a body carrying IsEnabled or Schedule is not a run", () => {
    expectFormatError(
      () => decodeInventoryRun(encodeInventoryConfiguration(cosRulesSample())),
      /carries no IsEnabled or Schedule/,
    );
  });

  test("the answer's JobId is written and read; a declaration and namespace are tolerated", () => {
    expect(encodePostInventoryResult({ jobId: "abc" })).toBe(
      "<PostInventoryResult><JobId>abc</JobId></PostInventoryResult>",
    );
    const sent =
      '<?xml version="1.0"?><PostInventoryResult xmlns="http://example"><JobId> j-1 </JobId></PostInventoryResult>';
    expect(decodePostInventoryResult(sent)).toEqual({ jobId: "j-1" });
  });

  test("an answer without JobId, or with another root, is refused", () => {
    expectFormatError(() => decodePostInventoryResult("<PostInventoryResult/>"), /has no JobId/);
    expectFormatError(
      () => decodePostInventoryResult("<Error><Code>x</Code></Error>"),
      /PostInventoryResult/,
    );
  });
});
