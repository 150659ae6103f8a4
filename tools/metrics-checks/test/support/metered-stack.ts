import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { gateway } from "@switchyard/gateway/testing";
import { createLogger } from "@switchyard/logging";
import { type ServiceBackends, startServiceBackends } from "@switchyard/test-backends";
import { webBff } from "@switchyard/web-bff/testing";

/** The four deployables in this process, each with its own admin port. */
export interface MeteredStack {
  gatewayUrl: string;
  services: ServiceBackends;
  /** Each deployable's /metrics URL, by workload name. */
  metricsUrls: Record<"gateway" | "web-bff" | "user-service" | "order-service", string>;
  /** `{ authorization }` header of an access token for `subject`. */
  auth(subject: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts THE declarations through the hosts as production wires them (mTLS with test
 * certificates, fresh databases, one NATS namespace, the gateway's rate limits on — five writes
 * per end user, so a sixth order is refused), every host
 * with ADMIN_PORT=0: four admin servers, four scrapes.
 */
export async function startMeteredStack(): Promise<MeteredStack> {
  const services = await startServiceBackends({ databasePrefix: "metrics" });
  const tokens = await createTestTokenIssuer();
  const quiet = createLogger({ service: "edge", level: "silent" });
  const upstreams = {
    USER_SERVICE_TARGET: services.userServiceTarget,
    ORDER_SERVICE_TARGET: services.orderServiceTarget,
    SHUTDOWN_GRACE_MS: "500",
    ...tokens.env(),
    JWKS_COOLDOWN_MS: "0",
  };
  const bff = await startConnectService(webBff, {
    env: { WEB_BFF_PORT: "0", ...upstreams, ...services.identityEnv("web-bff") },
    logger: quiet,
  });
  const edge = await startConnectService(gateway, {
    env: {
      GATEWAY_PORT: "0",
      ...upstreams,
      WEB_BFF_TARGET: `127.0.0.1:${bff.port}`,
      V1_SUNSET: "Sat, 01 May 2027 00:00:00 GMT",
      RATE_LIMITS: "on",
      // Five writes an hour: the test's sixth order is refused (GCRA, nothing refills in time).
      RATE_LIMIT_WRITES: "5/3600",
      ...services.identityEnv("gateway"),
    },
    logger: quiet,
  });
  return {
    gatewayUrl: edge.url,
    services,
    metricsUrls: {
      gateway: edge.metricsUrl,
      "web-bff": bff.metricsUrl,
      "user-service": services.userService.metricsUrl,
      "order-service": services.orderService.metricsUrl,
    },
    auth: async (subject) => ({ authorization: await tokens.authorization(subject, []) }),
    async close() {
      await edge.stop();
      await bff.stop();
      await services.close();
      tokens.remove();
    },
  };
}
