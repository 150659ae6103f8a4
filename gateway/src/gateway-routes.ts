import type { ConnectRouter } from "@connectrpc/connect";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderService as V1OrderService } from "@switchyard/contracts/connect/switchyard/edge/v1/order_service_pb";
import { UserService as V1UserService } from "@switchyard/contracts/connect/switchyard/edge/v1/user_service_pb";
import { OrderService as V2OrderService } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import { UserService as V2UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import type { EdgeTier } from "./edge-cache/edge-tier.js";
import type { Upstreams } from "./upstream-clients.js";
import { v1OrderRoutes } from "./v1/order-routes.js";
import { v1UserRoutes } from "./v1/user-routes.js";
import { v2OrderRoutes } from "./v2/order-routes.js";
import { v2UserRoutes } from "./v2/user-routes.js";
import { webRoutes } from "./web/web-routes.js";

/** The upstream clients and the edge tier in front of GetUser and GetDashboard. */
export type GatewayUpstreams = Upstreams & { edge: EdgeTier };

/** Every public service of the gateway, mapped onto its upstream. */
export function gatewayRoutes(upstreams: GatewayUpstreams) {
  return (router: ConnectRouter): void => {
    const { users, orders, bff, edge } = upstreams;
    router.service(V1UserService, v1UserRoutes(users, edge.users));
    router.service(V1OrderService, v1OrderRoutes(orders, edge.dashboards));
    router.service(V2UserService, v2UserRoutes(users, edge.users));
    router.service(V2OrderService, v2OrderRoutes(orders, edge.dashboards));
    router.service(WebService, webRoutes(bff, edge.dashboards));
  };
}

/** Methods anyone may call without an access token: signup (both versions). */
export const publicMethods = [V1UserService.method.registerUser, V2UserService.method.registerUser];

/** Methods that create something: callers must send an Idempotency-Key. */
export const methodsRequiringIdempotencyKey = [
  V1OrderService.method.placeOrder,
  V2OrderService.method.placeOrder,
];

/** v1 is deprecated in favour of v2: every v1 response says so. */
export function v1Deprecation(dates: { deprecatedAt: string; sunset: string }) {
  return {
    deprecatedPrefix: "/switchyard.edge.v1.",
    successorPrefix: "/switchyard.edge.v2.",
    ...dates,
  };
}
