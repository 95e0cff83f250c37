/**
 * pulumi-bucket-inventory: Pulumi resources for object-storage bucket
 * inventory jobs on Tencent Cloud COS and Alibaba Cloud OSS.
 *
 * `import * as inventory from "pulumi-bucket-inventory"` gives the public
 * surface only; everything else under `provider/` is internal.
 *
 * @packageDocumentation
 */

import * as cos from "./cos";
import * as oss from "./oss";

export { cos, oss };
export {
  CloudError,
  MALFORMED_RESPONSE_CODE,
  MalformedResponseError,
  NotFoundError,
  TransportError,
  ValidationError,
} from "./core/errors";
export type {
  CloudErrorDetails,
  CloudName,
  TransportErrorCode,
  TransportErrorContext,
  ValidationFailure,
} from "./core/errors";
export type { EndpointOverride } from "./http/endpoint";
