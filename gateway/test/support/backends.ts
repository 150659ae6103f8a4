import { Writable } from "node:stream";
import { startConnectService } from "@switchyard/connect-host";
import type { TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createLogger } from "@switchyard/logging";
import { type RowCounts, startServiceBackends } from "@switchyard/test-backends";
import { webBff } from "@switchyard/web-bff/testing";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";

export type { RowCounts };

export interface Backends {
  userServiceTarget: string;
  orderServiceTarget: string;
  /** The real web-bff, when started with `{ webBff }`; else undefined. */
  webBffTarget: string | undefined;
  /** The gateway's test certificate (mTLS to the services and web-bff). */
  gatewayIdentity: WorkloadIdentityConfig;
  /** The NATS server and namespace of the services' events (the gateway's NATS_URL / EVENTS_NAMESPACE). */
  nats: { url: string; prefix: string };
  /** user-service's /metrics (its RED series say which calls reached it). */
  userServiceMetricsUrl: string;
  /** web-bff's /metrics, when it runs (its RED series say which dashboards reached it). */
  webBffMetricsUrl: string | undefined;
  /** Stops user-service for good (its port then refuses connections); idempotent. */
  stopUserService(): Promise<void>;
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * The REAL user-service and order-service from their declarations (`@switchyard/test-backends`:
 * mTLS with test certificates, THE access policy, own databases, NATS, projections). With
 * `{ webBff: { tokens } }` also the real web-bff — its declaration, started by the Connect
 * host — with its own certificate, trusting `tokens`.
 */
export async function startBackends(
  options: {
    /** `events`: web-bff gets NATS too, so its profile cache is dropped by user events. */
    webBff?: { tokens: TestTokenIssuer; budgetMs?: number; events?: boolean };
  } = {},
): Promise<Backends> {
  const quiet = createLogger({ service: "backend", level: "warn", destination: discard() });
  const services = await startServiceBackends({ databasePrefix: "gateway", logger: quiet });
  let stopWebBff = async () => {};
  let webBffTarget: string | undefined;
  let webBffMetricsUrl: string | undefined;
  if (options.webBff) {
    const { tokens, budgetMs = 2_000, events = false } = options.webBff;
    const running = await startConnectService(webBff, {
      env: {
        WEB_BFF_PORT: "0",
        USER_SERVICE_TARGET: services.userServiceTarget,
        ORDER_SERVICE_TARGET: services.orderServiceTarget,
        DASHBOARD_BUDGET_MS: String(budgetMs),
        SHUTDOWN_GRACE_MS: "500",
        ...services.identityEnv("web-bff"),
        ...tokens.env(),
        JWKS_COOLDOWN_MS: "0",
        ...(events ? { NATS_URL: services.nats.url, EVENTS_NAMESPACE: services.nats.prefix } : {}),
      },
      logger: quiet,
    });
    stopWebBff = () => running.stop();
    webBffTarget = `127.0.0.1:${running.port}`;
    webBffMetricsUrl = running.metricsUrl;
  }
  return {
    userServiceTarget: services.userServiceTarget,
    orderServiceTarget: services.orderServiceTarget,
    webBffTarget,
    gatewayIdentity: services.identityConfig("gateway"),
    nats: { url: services.nats.url, prefix: services.nats.prefix },
    userServiceMetricsUrl: services.userService.metricsUrl,
    webBffMetricsUrl,
    stopUserService: () => services.stopUserService(),
    counts: () => services.counts(),
    async close() {
      await stopWebBff();
      await services.close();
    },
  };
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}
