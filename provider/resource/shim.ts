/**
 * The provider kept in stack state for every resource: a thin shim whose
 * methods load `pulumi-bucket-inventory/runtime` from the installed package
 * when they run. Resources created by one version are therefore refreshed,
 * updated and deleted by the version installed now, and neither credentials
 * nor a closure of this package are serialized.
 *
 * The shim is written out as module text rather than produced by Pulumi's
 * closure serializer: the dynamic-provider host only needs a module whose
 * `exports.handler()` returns the provider, and the serializer wraps every
 * method in a `with` scope, which made the shim 2.6 KB where this is about
 * 0.6 KB. It is kept in every resource's inputs and outputs, and the file
 * backend rewrites the whole state after each step, so its size is what
 * large stacks pay for (see bench/results.md).
 */

import { RUNTIME_MODULE, type RuntimeKind, type RuntimeMember } from "../engine/contract";

/**
 * The resource type token: the dynamic-provider package's, so its host serves
 * the resource; `resource` is `BucketInventory` (default) or `InventoryRun`.
 */
export function dynamicType(kind: RuntimeKind, resource = "BucketInventory"): string {
  return `pulumi-nodejs:dynamic/${kind}:${resource}`;
}

/**
 * The module text of the shim for one runtime member (a cloud's jobs, `cos`
 * or `oss`, or its runs, `cosRun` or `ossRun`), as the dynamic-provider host
 * loads it (`require-from-string`, then `.handler()`). Each call goes to the
 * installed runtime; `require` caches the module after the first call.
 */
export function shimSource(member: RuntimeMember): string {
  const runtime = `require(${JSON.stringify(RUNTIME_MODULE)})`;
  const cloud = `${runtime}[${JSON.stringify(member)}]`;
  return [
    "exports.handler = () => ({",
    `  configure: (req) => ${runtime}.configure(req),`,
    `  check: (olds, news) => ${cloud}.check(olds, news),`,
    `  diff: (id, olds, news) => ${cloud}.diff(id, olds, news),`,
    `  create: (inputs) => ${cloud}.create(inputs),`,
    `  read: (id, props) => ${cloud}.read(id, props),`,
    `  update: (id, olds, news) => ${cloud}.update(id, olds, news),`,
    `  delete: (id, props) => ${cloud}.delete(id, props),`,
    "});",
    "",
  ].join("\n");
}
