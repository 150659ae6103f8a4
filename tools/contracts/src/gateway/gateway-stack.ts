import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { gateway } from "@switchyard/gateway/testing";
import { callConnectJson } from "@switchyard/load";
import { createLogger } from "@switchyard/logging";
import { type ServiceBackends, startServiceBackends } from "@switchyard/test-backends";
import { webBff } from "@switchyard/web-bff/testing";

/** The provider of the public API, for real: gateway → web-bff and the two services. */
export interface GatewayStack {
  /** http://127.0.0.1:<port> of the gateway. */
  url: string;
  /** The issuer whose JWKS the gateway and web-bff trust: provider states mint tokens with it. */
  tokens: TestTokenIssuer;
  backends: ServiceBackends;
  close(): Promise<void>;
}

/**
 * Starts what production runs behind the public API, from the same declarations: the real
 * user-service and order-service (`@switchyard/test-backends`: own databases, mTLS, NATS, the
 * event-fed projections), the real web-bff and the real gateway (Connect host), on port 0.
 */
export async function startGatewayStack(): Promise<GatewayStack> {
  const logger = createLogger({ service: "contracts", level: "silent" });
  const tokens = await createTestTokenIssuer();
  const backends = await startServiceBackends({ databasePrefix: "contracts", logger });
  const bff = await startConnectService(webBff, {
    env: {
      WEB_BFF_PORT: "0",
      USER_SERVICE_TARGET: backends.userServiceTarget,
      ORDER_SERVICE_TARGET: backends.orderServiceTarget,
      // Generous: a contract is about shapes, not the dashboard's latency budget.
      DASHBOARD_BUDGET_MS: "5000",
      ...backends.identityEnv("web-bff"),
      ...tokens.env(),
    },
    logger,
  });
  const edge = await startConnectService(gateway, {
    env: {
      GATEWAY_PORT: "0",
      USER_SERVICE_TARGET: backends.userServiceTarget,
      ORDER_SERVICE_TARGET: backends.orderServiceTarget,
      WEB_BFF_TARGET: `127.0.0.1:${bff.port}`,
      ...backends.identityEnv("gateway"),
      ...tokens.env(),
    },
    logger,
  });
  return {
    url: edge.url,
    tokens,
    backends,
    async close() {
      await edge.stop();
      await bff.stop();
      await backends.close();
      tokens.remove();
    },
  };
}

/** A call through the public API that must succeed (provider states create data this way). */
export async function publicCall<T>(
  stack: GatewayStack,
  procedure: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const outcome = await callConnectJson<T>(stack.url, procedure, body, { headers });
  if (!outcome.ok || outcome.body === undefined) {
    throw new Error(`${procedure} failed: ${outcome.code} ${outcome.message ?? ""}`);
  }
  return outcome.body;
}
