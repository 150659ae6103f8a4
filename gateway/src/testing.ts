/**
 * The gateway's parts, for assembling it in-process the way src/main.ts does (other packages'
 * tests and the security benchmark of tools/bench). Exported as `@switchyard/gateway/testing`.
 */
export {
  gatewayRoutes,
  methodsRequiringIdempotencyKey,
  publicMethods,
  v1Deprecation,
} from "./gateway-routes.js";
export { createGatewayServer, type GatewayServer } from "./gateway-server.js";
export { deadlineInterceptor } from "./interceptors/deadline.js";
export { errorMappingInterceptor } from "./interceptors/error-mapping.js";
export { idempotencyKeyInterceptor } from "./interceptors/idempotency-key.js";
export { requestIdInterceptor } from "./interceptors/request-id.js";
export { channelReadiness, createUpstreams, type Upstreams } from "./upstream-clients.js";
