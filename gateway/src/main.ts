import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import {
  accessTokenVerifierFromConfigOrExit,
  authenticationInterceptor,
} from "@switchyard/end-user-auth";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { topologyFromConfig } from "@switchyard/topology";
import { createWorkloadIdentityOrExit } from "@switchyard/workload-identity";
import { gatewayConfigShape } from "./config.js";
import {
  gatewayRoutes,
  methodsRequiringIdempotencyKey,
  publicMethods,
  v1Deprecation,
} from "./gateway-routes.js";
import { createGatewayServer } from "./gateway-server.js";
import { deadlineInterceptor } from "./interceptors/deadline.js";
import { errorMappingInterceptor } from "./interceptors/error-mapping.js";
import { idempotencyKeyInterceptor } from "./interceptors/idempotency-key.js";
import { requestIdInterceptor } from "./interceptors/request-id.js";
import { channelReadiness, createUpstreams } from "./upstream-clients.js";

const config = loadConfigOrExit(gatewayConfigShape);
const logger = createLogger({ service: "gateway", level: config.LOG_LEVEL });
const identity = createWorkloadIdentityOrExit(config, { workload: "gateway", logger });
const accessTokens = accessTokenVerifierFromConfigOrExit(config, { logger });

const topology = topologyFromConfig(config);
const upstreams = createUpstreams(topology, {
  maxDeadlineMs: config.MAX_DEADLINE_MS,
  transport: identity.clientTransport,
});

// Ready when both backends are connectable; the BFF is optional for the public API.
const health = new HealthRegistry();
health.addReadinessCheck("user-service", channelReadiness(upstreams.users));
health.addReadinessCheck("order-service", channelReadiness(upstreams.orders));

const gateway = createGatewayServer({
  logger,
  health,
  routes: gatewayRoutes(upstreams),
  interceptors: [
    requestIdInterceptor(),
    authenticationInterceptor({ verifier: accessTokens, publicMethods, logger }),
    deadlineInterceptor({ defaultMs: config.DEFAULT_DEADLINE_MS, maxMs: config.MAX_DEADLINE_MS }),
    idempotencyKeyInterceptor({ requiredFor: methodsRequiringIdempotencyKey }),
    errorMappingInterceptor(logger),
  ],
  deprecations: [
    v1Deprecation({ deprecatedAt: config.V1_DEPRECATED_AT, sunset: config.V1_SUNSET }),
  ],
  maxBodyBytes: config.MAX_BODY_BYTES,
});
const port = await gateway.listen(config.GATEWAY_HOST, config.GATEWAY_PORT);
logger.info(
  { port, topology, config: redactConfig(gatewayConfigShape, config) },
  "gateway listening",
);

// Drain the HTTP side before closing the clients its in-flight calls still use.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 5_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain HTTP", () => gateway.close(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("close upstream clients", () => upstreams.close());
shutdown.addStep("stop watching TLS files", () => identity.close());
shutdown.listen();
