/**
 * What `cos.InventoryRun` and `oss.InventoryRun` share: the arguments that
 * mean the same on both clouds, the outputs a run reports, and the
 * constructor that fills in the region and attaches the run shim. A run is
 * a one-shot operation: it happens when the resource is created and again
 * whenever its configuration or `triggers` change (a replacement); its
 * delete does not undo it (see each cloud's class).
 */
import * as pulumi from "@pulumi/pulumi";
import { RUN_NAME_KEY, type RuntimeKind } from "../engine/contract";
import { REGION_SOURCES, defaultRegion } from "../engine/region";
import { dynamicType, shimSource } from "./shim";

/** The arguments of a one-shot run on either cloud; `Filter`, `Destination` and `Field` are the cloud's. */
export interface CommonRunArgs<Filter, Destination, Field extends string> {
  /** Source bucket. Changing it runs the inventory again. */
  bucket: pulumi.Input<string>;
  /** Region of the source bucket; default the cloud's stack config, else its environment variable. */
  region?: pulumi.Input<string>;
  /**
   * Id the run is submitted under, 1–64 of `a-z A-Z 0-9 - _ .`. Default: a fresh
   * `<resource name>-<YYYYMMDDhhmmss>-<4 hex>` per run (COS refuses an id used the
   * same day, so a fixed id can run at most once a day).
   */
  inventoryId?: pulumi.Input<string>;
  /** `"All"` or `"Current"` object versions. Default `"Current"`. */
  includedObjectVersions?: pulumi.Input<"All" | "Current">;
  /** Which objects are listed; default every object. */
  filter?: pulumi.Input<Filter>;
  /** Extra report columns; order does not matter. */
  optionalFields?: pulumi.Input<pulumi.Input<Field>[]>;
  /** Where the report is delivered. */
  destination: pulumi.Input<Destination>;
  /**
   * Values whose change runs the inventory again (like `command.local.Command`'s
   * `triggers`), e.g. `[release.version]`. Any change of the other arguments
   * runs it again too.
   */
  triggers?: pulumi.Input<unknown[]>;
}

/** A one-shot inventory run of some cloud. The resource ID is `<region>/<bucket>/<runId>`. */
export abstract class InventoryRunResource extends pulumi.CustomResource {
  /** The id the run was submitted under (the declared `inventoryId`, or the generated one). */
  declare public readonly runId: pulumi.Output<string>;
  /** When the run was started (ISO 8601, the provider's clock). */
  declare public readonly startedAt: pulumi.Output<string>;
  /** The bucket the report is written to, as the cloud names it (`qcs::cos:…` / `acs:oss:::…`). */
  declare public readonly reportBucket: pulumi.Output<string>;
  /** The key prefix of the report's folder in {@link reportBucket}. */
  declare public readonly reportPrefix: pulumi.Output<string>;
  /** Source bucket region. */
  declare public readonly region: pulumi.Output<string>;
  /** Source bucket. */
  declare public readonly bucket: pulumi.Output<string>;
  /** The triggers as last run. */
  declare public readonly triggers: pulumi.Output<unknown[] | undefined>;

  /**
   * Declares a run of cloud `kind`: its inputs with the region defaulted and
   * the resource name (the stem of a generated id), served by the run shim.
   *
   * @param kind the cloud
   * @param name the resource name
   * @param args the run
   * @param opts resource options
   */
  protected constructor(
    kind: RuntimeKind,
    name: string,
    args: CommonRunArgs<unknown, unknown, string> & Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const source = REGION_SOURCES[kind];
    const region = defaultRegion(
      args.region,
      () => new pulumi.Config(source.configNamespace).get("region") ?? process.env[source.env],
    );
    const inputs: pulumi.Inputs = {
      // Named so each becomes an output; the provider sets them.
      runId: undefined,
      jobId: undefined,
      startedAt: undefined,
      reportBucket: undefined,
      reportPrefix: undefined,
      manifestKey: undefined,
      filter: undefined,
      triggers: undefined,
      ...args,
      region,
      [RUN_NAME_KEY]: name,
      __provider: shimSource(`${kind}Run`),
    };
    super(dynamicType(kind, "InventoryRun"), name, inputs, opts);
  }
}
