/**
 * The file `pulumi import --file` reads. For each job: the dynamic resource
 * type, the name, the ID `<region>/<bucket>/<inventoryId>`, and `inputs` equal
 * to `outputs`: the checked configuration plus `__provider` (the shim the
 * resource class writes). With outputs given the engine trusts them and does
 * not call Read; it still calls Check on the inputs, which fails without
 * `__provider`, and refresh and destroy later need it in the outputs (see
 * docs/discovery.md). A job given a claim records it in its outputs as
 * `__claim`, the token this machine's journal gives the resource that manages
 * the job, as the provider records it on create.
 */
import { dynamicType, shimSource } from "../resource/shim";
import { type NormalizedJob, jobResourceId } from "./job";
import { resourceName } from "./naming";

/** One resource of a `pulumi import --file` document. */
export interface ImportResource {
  /** The resource type token. */
  type: string;
  /** The resource name (see ./naming). */
  name: string;
  /** The resource ID. */
  id: string;
  /** The inputs recorded in state. */
  inputs: Record<string, unknown>;
  /** The outputs recorded in state (the engine then does not read the job). */
  outputs: Record<string, unknown>;
}

/** A `pulumi import --file` document. */
export interface ImportFile {
  /** The resources to import. */
  resources: ImportResource[];
}

/** The import entry of one job; `claim` goes into its outputs only (check refuses unknown inputs). */
export function importResource(job: NormalizedJob, claim?: string): ImportResource {
  const props = { ...job.inputs, __provider: shimSource(job.cloud) };
  return {
    type: dynamicType(job.cloud),
    name: resourceName(job),
    id: jobResourceId(job),
    inputs: props,
    outputs: claim === undefined ? { ...props } : { ...props, __claim: claim },
  };
}

/** The import document of `jobs`, with each job's claim from `claims` (by index) when given. */
export function importFile(jobs: readonly NormalizedJob[], claims: readonly string[] = []): ImportFile {
  return { resources: jobs.map((job, i) => importResource(job, claims[i])) };
}
