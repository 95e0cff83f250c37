/**
 * The provider object serialized into stack state for every resource: a thin
 * shim whose methods load `pulumi-bucket-inventory/runtime` from the installed
 * package when they run. Resources created by one version are therefore
 * refreshed, updated and deleted by the version installed now, and neither
 * credentials nor a large closure are serialized.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The clouds the runtime serves, by the name of their provider export. */
export type RuntimeKind = "cos" | "oss";

/**
 * The shim for one cloud. Only `require` and `kind` (a string) are captured,
 * so the serialized text stays a few KB; an `import` would be captured as a
 * module value and serialized into state.
 */
export function runtimeShim(kind: RuntimeKind): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    async configure(req) {
      return require("pulumi-bucket-inventory/runtime").configure(req);
    },
    async check(olds, news) {
      return require("pulumi-bucket-inventory/runtime")[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-bucket-inventory/runtime")[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-bucket-inventory/runtime")[kind].create(inputs);
    },
    async read(id, props) {
      return require("pulumi-bucket-inventory/runtime")[kind].read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-bucket-inventory/runtime")[kind].update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-bucket-inventory/runtime")[kind].delete(id, props);
    },
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
