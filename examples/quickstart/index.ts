// Quick start placeholder: until the COS resource lands, this program proves
// the toolchain with a tiny dynamic resource that lives only in stack state.
import * as pulumi from "@pulumi/pulumi";

interface GreetingInputs {
  text: string;
}

const provider: pulumi.dynamic.ResourceProvider<GreetingInputs, GreetingInputs> = {
  async create(inputs) {
    return { id: `greeting-${inputs.text.length}`, outs: inputs };
  },
};

class Greeting extends pulumi.dynamic.Resource {
  declare public readonly text: pulumi.Output<string>;
  constructor(name: string, args: GreetingInputs) {
    super(provider, name, { ...args }, {});
  }
}

export const greeting = new Greeting("hello", { text: "hello from the offline Pulumi engine" }).text;
