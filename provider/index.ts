/**
 * pulumi-bucket-inventory: Pulumi resources for object-storage bucket
 * inventory jobs.
 *
 * `import * as inventory from "pulumi-bucket-inventory"` gives the public
 * surface only; everything else under `provider/` is internal.
 *
 * @packageDocumentation
 */

import * as cos from "./cos";

export { cos };
export { CloudError, NotFoundError, TransportError, ValidationError } from "./core/errors";
export type { CloudErrorDetails, CloudName, ValidationFailure } from "./core/errors";
