/**
 * The emulator's credential services, told apart from COS and OSS by the
 * request's shape before any dialect is chosen: Tencent STS (a `POST` with
 * `X-TC-Action`), Alibaba STS (an unsigned-header RPC call with `Action` and
 * `Version`), and the CVM and ECS instance metadata paths. They are never
 * given faults, and are logged with their service as the dialect and their
 * action.
 */
import type { EmulatorRequest, EmulatorResponse } from "./contract";
import { metadataServiceOf, serveAlibabaMetadata, serveTencentMetadata } from "./metadata";
import { alibabaStsAction, isAlibabaStsRequest, serveAlibabaSts } from "./sts/alibaba";
import type { ServiceState } from "./sts/common";
import { isTencentStsRequest, serveTencentSts, tencentStsAction } from "./sts/tencent";

/** A credential service that takes a request. */
export interface ServiceRoute {
  /** Its name in the request log's `dialect`. */
  name: "tencent-sts" | "alibaba-sts" | "tencent-metadata" | "alibaba-metadata";
  /** What the request asks, for the log: the STS action, or the metadata path. */
  action: string;
  /** Serves it. */
  serve(req: EmulatorRequest, state: ServiceState): EmulatorResponse;
}

/** The credential service `req` is for; undefined for COS and OSS requests. */
export function serviceFor(req: EmulatorRequest): ServiceRoute | undefined {
  if (isTencentStsRequest(req))
    return { name: "tencent-sts", action: tencentStsAction(req), serve: serveTencentSts };
  if (isAlibabaStsRequest(req))
    return { name: "alibaba-sts", action: alibabaStsAction(req), serve: serveAlibabaSts };
  const metadata = metadataServiceOf(req);
  if (metadata === "tencent-metadata")
    return { name: metadata, action: req.pathname, serve: serveTencentMetadata };
  if (metadata === "alibaba-metadata")
    return { name: metadata, action: req.pathname, serve: serveAlibabaMetadata };
  return undefined;
}
