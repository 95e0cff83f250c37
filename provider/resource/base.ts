/**
 * What every cloud's `BucketInventory` shares: the arguments and outputs
 * that mean the same on both clouds, and the constructor that fills in the
 * defaults and attaches the shim. Each cloud's file adds what differs, with
 * its own TSDoc: the bucket and region arguments, the filter, column and
 * destination types, and the normalized output shapes.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RuntimeKind } from "../engine/contract";
import { type DefaultedArgs, inventoryInputs } from "./defaults";
import { dynamicType, shimSource } from "./shim";

/**
 * The arguments that mean the same on every cloud; `Filter` and `Destination` are the cloud's own shapes.
 * `schedule` is each cloud's own too (its frequencies and their extra elements differ).
 */
export interface CommonInventoryArgs<Filter, Destination> {
  /** Job id: 1–64 of `a-z A-Z 0-9 - _ .`. Default: the resource name. Changing it replaces the job. */
  inventoryId?: pulumi.Input<string>;
  /** Whether the job runs. Default `true`. */
  enabled?: pulumi.Input<boolean>;
  /** `"All"` or `"Current"` object versions. Default `"Current"`. */
  includedObjectVersions?: pulumi.Input<"All" | "Current">;
  /** Which objects are listed; default every object. */
  filter?: pulumi.Input<Filter>;
  /** Where reports are delivered. */
  destination: pulumi.Input<Destination>;
  /**
   * Take over a job that already exists with this id (importing it), updating it to this configuration.
   * Without it, creating over an existing, different job fails instead of overwriting it.
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * A bucket inventory job of some cloud, whose report columns are `Field`; the resource ID is
 * `<region>/<bucket>/<inventoryId>`.
 */
export abstract class InventoryResource<Field extends string> extends pulumi.CustomResource {
  /**
   * The configuration the job had when `adopt: true` took it over and changed it (normalized like
   * this resource's own properties); undefined when nothing was overwritten.
   */
  declare public readonly adoptedConfiguration: pulumi.Output<Record<string, unknown> | undefined>;
  /** Layout version of this resource's state. */
  declare public readonly schemaVersion: pulumi.Output<number>;
  /** Source bucket. */
  declare public readonly bucket: pulumi.Output<string>;
  /** Job id. */
  declare public readonly inventoryId: pulumi.Output<string>;
  /** Whether the job runs. */
  declare public readonly enabled: pulumi.Output<boolean>;
  /** `All` or `Current`. */
  declare public readonly includedObjectVersions: pulumi.Output<"All" | "Current">;
  /** Extra report columns, sorted. */
  declare public readonly optionalFields: pulumi.Output<Field[]>;

  /**
   * Declares an inventory job of cloud `kind`: its inputs with the defaults filled in (see
   * `./defaults`), served by the hand-written shim (see `./shim`) instead of a serialized closure.
   *
   * @param kind the cloud
   * @param name the resource name, and the default `inventoryId`
   * @param args the job
   * @param opts resource options
   */
  protected constructor(
    kind: RuntimeKind,
    name: string,
    args: DefaultedArgs & CommonInventoryArgs<unknown, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const inputs = inventoryInputs(kind, name, args);
    super(dynamicType(kind), name, { ...inputs, __provider: shimSource(kind) }, opts);
  }
}
