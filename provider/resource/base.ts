/**
 * What every cloud's `BucketInventory` shares: the arguments and outputs
 * that mean the same on both clouds, and the constructor that fills in the
 * defaults and attaches the shim. Each cloud's file adds what differs, with
 * its own TSDoc: the bucket and region arguments, the filter, column and
 * destination types, and the normalized output shapes.
 */
import * as pulumi from "@pulumi/pulumi";
import { GET_KEY, IMPORT_KEY, type RuntimeKind } from "../engine/contract";
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
   * Take over a job that already exists with this id, updating it to this configuration (its previous one is
   * kept in `adoptedConfiguration`). Without it, creating over an existing job fails instead of overwriting it.
   * To take a job over only if it already equals the declaration, without writing it, use the `import` resource
   * option instead (see "Import" in the README).
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * The outputs every cloud's resource has, named (unset) in the inputs of a `get` so that its resource object
 * gets them: the SDK makes an output for each input it is given.
 */
const OUTPUT_NAMES = [
  "schemaVersion",
  "region",
  "bucket",
  "inventoryId",
  "enabled",
  "includedObjectVersions",
  "schedule",
  "filter",
  "optionalFields",
  "destination",
  "adoptedConfiguration",
] as const;

/** A cloud's `BucketInventory` class, as `get` and `isInstance` use it. */
export interface ReadingConstructor<R> {
  /** Reads the job `opts.id` (what `get` does); `args` is ignored. */
  new (
    name: string,
    args: undefined,
    opts: pulumi.CustomResourceOptions & { id: pulumi.Input<pulumi.ID> },
  ): R;
  /** The class's cloud. */
  readonly kind: RuntimeKind;
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
   * The `import` option does not reach the engine: the engine would read the job by its ID alone,
   * and the dynamic-provider host then has no provider code to run. Its ID goes to the provider as an
   * input instead, and the create takes the job over when it equals the declaration (see
   * `../engine/importing`). With `opts.id` (what `get` passes), `args` is ignored and the job is read.
   *
   * @param kind the cloud
   * @param name the resource name, and the default `inventoryId`
   * @param args the job
   * @param opts resource options
   */
  protected constructor(
    kind: RuntimeKind,
    name: string,
    args: (DefaultedArgs & CommonInventoryArgs<unknown, unknown>) | undefined,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const { import: importId, ...rest } = opts ?? {};
    const shim = { __provider: shimSource(kind) };
    // The shim must be among a read's inputs: the engine hands those to the host as the state to read with.
    const props =
      rest.id !== undefined
        ? { ...Object.fromEntries(OUTPUT_NAMES.map((k) => [k, undefined])), [GET_KEY]: true, ...shim }
        : {
            ...inventoryInputs(kind, name, args ?? {}),
            ...(importId === undefined ? {} : { [IMPORT_KEY]: importId }),
            ...shim,
          };
    super(dynamicType(kind), name, props, rest);
  }

  /**
   * Looks up an existing inventory job of this class's cloud, read-only: this stack reads it on every
   * update and never changes or deletes it. The deployment fails when the job does not exist.
   *
   * @param name the resource name in this stack
   * @param id the job's ID, `<region>/<bucket>/<inventoryId>`
   * @param opts resource options
   * @returns the job, with its configuration as outputs
   */
  static get<R extends InventoryResource<string>>(
    this: ReadingConstructor<R>,
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): R {
    return new this(name, undefined, { ...opts, id });
  }

  /**
   * Whether `obj` is a `BucketInventory` of this class's cloud, by its type token, so that it holds
   * across copies of this package loaded side by side (where `instanceof` does not).
   *
   * @param obj any value
   */
  static override isInstance<R extends InventoryResource<string>>(
    this: ReadingConstructor<R>,
    obj: unknown,
  ): obj is R {
    return (
      pulumi.CustomResource.isInstance(obj) &&
      (obj as { __pulumiType?: unknown }).__pulumiType === dynamicType(this.kind)
    );
  }
}
