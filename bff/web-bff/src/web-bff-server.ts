import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { type AccessTokenVerifier, authenticationInterceptor } from "@switchyard/end-user-auth";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import { createDashboardScreen } from "./dashboard.js";
import { serveHealthEndpoint } from "./health-endpoints.js";
import { createHttpServer, type HttpServer } from "./http-server.js";
import { createOrderPageScreen } from "./order-page.js";
import { requestContextInterceptor } from "./request-context-interceptor.js";
import { webServiceRoutes } from "./web-service-routes.js";

export interface WebBffDependencies {
  users: UserServiceClient;
  orders: OrderServiceClient;
  logger: Logger;
  health: HealthRegistry;
  /** Verifies the end user's bearer token on every screen call (no screen is public). */
  accessTokens: AccessTokenVerifier;
  /** DASHBOARD_BUDGET_MS: the time a screen may wait on its backends. */
  budgetMs: number;
  /** RECENT_ORDERS: rows in the dashboard's order list. */
  recentOrders: number;
}

// Screen requests are a handful of ids: anything near this size is not a real client.
const readMaxBytes = 64 * 1024;

/**
 * The web BFF: switchyard.bff.web.v1.WebService over Connect, gRPC and gRPC-Web (HTTP/1.1 and
 * h2c on one port), plus /healthz and /readyz. Every screen needs the end user's access token.
 */
export function createWebBffServer(dependencies: WebBffDependencies): HttpServer {
  const { logger, health } = dependencies;
  const connectHandler = connectNodeAdapter({
    routes: webServiceRoutes({
      dashboard: createDashboardScreen(dependencies),
      orderPage: createOrderPageScreen(dependencies),
    }),
    interceptors: [
      requestContextInterceptor(logger),
      authenticationInterceptor({
        verifier: dependencies.accessTokens,
        publicMethods: [],
        logger,
      }),
    ],
    readMaxBytes,
  });
  return createHttpServer((request, response) => {
    if (!serveHealthEndpoint(health, request, response)) connectHandler(request, response);
  });
}
