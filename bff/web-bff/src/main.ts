import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { accessTokenVerifierFromConfigOrExit } from "@switchyard/end-user-auth";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { topologyFromConfig } from "@switchyard/topology";
import { createWorkloadIdentityOrExit } from "@switchyard/workload-identity";
import { webBffConfigShape } from "./config.js";
import { createWebBffServer } from "./web-bff-server.js";

const config = loadConfigOrExit(webBffConfigShape);
const logger = createLogger({ service: "web-bff", level: config.LOG_LEVEL });
const identity = createWorkloadIdentityOrExit(config, { workload: "web-bff", logger });
const accessTokens = accessTokenVerifierFromConfigOrExit(config, { logger });

const topology = topologyFromConfig(config);
const users = createGrpcClient(UserServiceClient, {
  target: topology["user-service"],
  ...identity.clientTransport("user-service"),
});
const orders = createGrpcClient(OrderServiceClient, {
  target: topology["order-service"],
  ...identity.clientTransport("order-service"),
});

// No backend is a readiness check: the BFF exists to answer (degraded) while one is down, so
// taking it out of rotation then would turn a missing section into a missing page.
const health = new HealthRegistry();

const server = createWebBffServer({
  users,
  orders,
  logger,
  health,
  accessTokens,
  budgetMs: config.DASHBOARD_BUDGET_MS,
  recentOrders: config.RECENT_ORDERS,
});
const port = await server.listen(config.WEB_BFF_HOST, config.WEB_BFF_PORT);
logger.info(
  { port, topology, config: redactConfig(webBffConfigShape, config) },
  "web-bff listening",
);

// Drain HTTP before closing the clients: in-flight screens still call the backends.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 5_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain HTTP", () => server.close(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("close backend clients", () => {
  users.close();
  orders.close();
});
shutdown.addStep("stop watching TLS files", () => identity.close());
shutdown.listen();
