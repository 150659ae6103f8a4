import { channelReadiness, defineConnectService } from "@switchyard/connect-host";
import { gatewayConfigShape } from "./config.js";
import { edgeTier } from "./edge-cache/edge-tier.js";
import {
  type GatewayUpstreams,
  gatewayRoutes,
  methodsRequiringIdempotencyKey,
  publicMethods,
  v1Deprecation,
} from "./gateway-routes.js";
import { deprecationHeaders } from "./http/deprecation-headers.js";
import { identityHeaderHook } from "./http/identity-header-hook.js";
import { gatewayAdmission } from "./rate-limits/gateway-admission.js";
import { createUpstreams } from "./upstream-clients.js";

/**
 * The gateway, declared for the Connect host: the public edge (v1, v2 and the web app's
 * WebService) on one cleartext port, in front of user-service, order-service and web-bff.
 * `src/main.ts` runs it; tests and the benchmark start this same declaration.
 */
export const gateway = defineConnectService({
  name: "gateway",
  configShape: gatewayConfigShape,
  callers: "end-users",
  listenOn: (config) => ({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT }),
  // The clients, and the edge tier in front of GetUser and GetDashboard (CACHE=on and NATS_URL
  // set): closed after HTTP has drained, the caches' event subscriptions and NATS with them.
  upstreams: ({ config, identity, topology, logger }): GatewayUpstreams => {
    const clients = createUpstreams(topology, { maxDeadlineMs: config.MAX_DEADLINE_MS, identity });
    const edge = edgeTier(config, logger);
    return {
      ...clients,
      edge,
      async close() {
        clients.close();
        await edge.close();
      },
    };
  },
  // Ready when both services are connectable; the BFF is optional for the public API.
  readinessChecks: (upstreams) => ({
    "user-service": channelReadiness(upstreams.users),
    "order-service": channelReadiness(upstreams.orders),
  }),
  routes: (upstreams) => gatewayRoutes(upstreams),
  publicMethods,
  idempotencyKeyRequiredFor: methodsRequiringIdempotencyKey,
  // Rate limits per route class and the shared daily quota (RATE_LIMITS=on).
  // The quota's NATS is the gateway's NATS_URL unless QUOTA_NATS_URL names another.
  admission: ({ config, logger }) =>
    gatewayAdmission(
      { ...config, QUOTA_NATS_URL: config.QUOTA_NATS_URL ?? config.NATS_URL },
      { publicMethods, logger },
    ),
  requestHooks: ({ config, logger }) => [
    identityHeaderHook(logger),
    deprecationHeaders(
      v1Deprecation({ deprecatedAt: config.V1_DEPRECATED_AT, sunset: config.V1_SUNSET }),
    ),
  ],
});
