import { Writable } from "node:stream";
import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { gateway } from "@switchyard/gateway/testing";
import { createLogger } from "@switchyard/logging";
import { type ServiceBackends, startServiceBackends } from "@switchyard/test-backends";
import { webBff } from "@switchyard/web-bff/testing";

/** The whole system in this process: gateway → web-bff → user-service + order-service. */
export interface InProcessStack {
  /** http://127.0.0.1:<gateway port> */
  gatewayUrl: string;
  services: ServiceBackends;
  /** Every JSON line the services wrote (level info and up). */
  serviceLogLines: Array<Record<string, unknown>>;
  /** `{ authorization }` header of an access token for `subject`. */
  auth(subject: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts the REAL deployables from their declarations with the hosts (services through
 * `startServiceBackends`, web-bff and the gateway through `startConnectService`), over mTLS
 * with test certificates, fresh databases and one NATS namespace — as production wires them.
 * Install the tracing provider before calling this.
 */
export async function startInProcessStack(): Promise<InProcessStack> {
  const serviceLogLines: Array<Record<string, unknown>> = [];
  const capture = new Writable({
    write(chunk, _encoding, done) {
      serviceLogLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const services = await startServiceBackends({
    databasePrefix: "traces",
    logger: createLogger({ service: "backend", level: "info", destination: capture }),
  });
  const tokens = await createTestTokenIssuer();
  const quiet = createLogger({ service: "edge", level: "warn", destination: discard() });
  const bff = await startConnectService(webBff, {
    env: {
      WEB_BFF_PORT: "0",
      USER_SERVICE_TARGET: services.userServiceTarget,
      ORDER_SERVICE_TARGET: services.orderServiceTarget,
      SHUTDOWN_GRACE_MS: "500",
      ...services.identityEnv("web-bff"),
      ...tokens.env(),
      JWKS_COOLDOWN_MS: "0",
      // Every dashboard reaches both services: the traces must show every hop, and a profile
      // section answered from web-bff's cache (1 s without NATS) would skip user-service.
      CACHE: "off",
    },
    logger: quiet,
  });
  const edge = await startConnectService(gateway, {
    env: {
      GATEWAY_PORT: "0",
      USER_SERVICE_TARGET: services.userServiceTarget,
      ORDER_SERVICE_TARGET: services.orderServiceTarget,
      WEB_BFF_TARGET: `127.0.0.1:${bff.port}`,
      SHUTDOWN_GRACE_MS: "500",
      V1_SUNSET: "Sat, 01 May 2027 00:00:00 GMT",
      ...services.identityEnv("gateway"),
      ...tokens.env(),
      JWKS_COOLDOWN_MS: "0",
    },
    logger: quiet,
  });
  return {
    gatewayUrl: edge.url,
    services,
    serviceLogLines,
    auth: async (subject) => ({ authorization: await tokens.authorization(subject, []) }),
    async close() {
      await edge.stop();
      await bff.stop();
      await services.close();
      tokens.remove();
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
