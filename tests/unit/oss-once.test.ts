// The one-shot OSS report (`Schedule/Frequency` `Once` with `AutoDelete`) as
// `oss.InventoryRun` writes it: the codec round-trips it and the rules judge it.
import { decodeInventoryConfiguration, encodeInventoryConfiguration } from "../../provider/clouds/oss/codec";
import type { OssInventoryConfiguration } from "../../provider/clouds/oss/model";
import { validateInventoryConfiguration } from "../../provider/clouds/oss/rules";
import { expectFormatError, ossRulesSample } from "../support/samples";

function once(autoDelete?: boolean): OssInventoryConfiguration {
  const cfg = ossRulesSample();
  cfg.schedule = autoDelete === undefined ? { frequency: "Once" } : { frequency: "Once", autoDelete };
  return cfg;
}

describe("OSS one-shot (Once) configurations", () => {
  test.each([true, false])("AutoDelete %s is written inside Schedule and read back", (autoDelete) => {
    const xml = encodeInventoryConfiguration(once(autoDelete));
    expect(xml).toContain(
      `<Schedule><Frequency>Once</Frequency><AutoDelete>${autoDelete}</AutoDelete></Schedule>`,
    );
    expect(decodeInventoryConfiguration(xml)).toEqual(once(autoDelete));
    expect(validateInventoryConfiguration(once(autoDelete))).toEqual([]);
  });

  test("without AutoDelete nothing is written and nothing is read", () => {
    const xml = encodeInventoryConfiguration(once());
    expect(xml).toContain("<Schedule><Frequency>Once</Frequency></Schedule>");
    expect(decodeInventoryConfiguration(xml).schedule).toEqual({ frequency: "Once" });
  });

  test("AutoDelete in any letter case reads as a boolean; anything else is refused", () => {
    const xml = encodeInventoryConfiguration(once(true)).replace("<AutoDelete>true<", "<AutoDelete>TRUE<");
    expect(decodeInventoryConfiguration(xml).schedule.autoDelete).toBe(true);
    expectFormatError(
      () => decodeInventoryConfiguration(xml.replace("<AutoDelete>TRUE<", "<AutoDelete>yes<")),
      /Schedule\/AutoDelete must be "true" or "false", got "yes"/,
    );
  });

  test("the rules refuse AutoDelete beside a periodic frequency, and a non-boolean", () => {
    const daily = ossRulesSample();
    daily.schedule = { frequency: "Daily", autoDelete: true };
    expect(validateInventoryConfiguration(daily)).toEqual([
      expect.objectContaining({
        property: "schedule.autoDelete",
        reason: expect.stringMatching(/applies only to a "Once" schedule.frequency/),
      }),
    ]);
    const odd = once();
    (odd.schedule as { autoDelete?: unknown }).autoDelete = "yes";
    expect(validateInventoryConfiguration(odd)).toEqual([
      expect.objectContaining({
        property: "schedule.autoDelete",
        reason: expect.stringMatching(/true or false/),
      }),
    ]);
  });
});
