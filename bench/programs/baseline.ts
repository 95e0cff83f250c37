/**
 * The baseline side of the engine benchmark: a Pulumi program declaring
 * `BENCH_ENGINE_COUNT` resources of a dynamic provider that does nothing,
 * with the same inputs as the cos side (the oss side's are of the same size
 * and shape), so the difference is our provider's. One baseline serves both
 * clouds' ratios.
 * `bench/engine.ts` copies its build (`dist/bench/programs/baseline.js`) into
 * a project as `index.js`.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareJobs, jobArgs } from "./job";

/** The inputs (and outputs) of a baseline resource. */
type NoopProps = ReturnType<typeof jobArgs>;

// A dynamic provider that does nothing: no check or diff (the defaults), create
// echoes the inputs, read echoes the state, delete returns. Pulumi serializes
// these functions into every resource's state, so they capture nothing.
const noop: pulumi.dynamic.ResourceProvider<NoopProps, NoopProps> = {
  async create(inputs) {
    return { id: inputs.inventoryId, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async delete() {},
};

/** A resource of the do-nothing provider. */
class Noop extends pulumi.dynamic.Resource {
  constructor(name: string, props: NoopProps) {
    super(noop, name, props, undefined, "bench", "Noop");
  }
}

declareJobs((name) => new Noop(name, jobArgs(name)));
