import { Writable } from "node:stream";
import {
  authenticationInterceptor,
  createAccessTokenVerifier,
  createFileKeySet,
} from "@switchyard/end-user-auth";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { localTopology, type Topology } from "@switchyard/topology";
import type { ClientTransport } from "@switchyard/workload-identity";
import {
  gatewayRoutes,
  methodsRequiringIdempotencyKey,
  publicMethods,
  v1Deprecation,
} from "../../src/gateway-routes.js";
import { createGatewayServer } from "../../src/gateway-server.js";
import { deadlineInterceptor } from "../../src/interceptors/deadline.js";
import { errorMappingInterceptor } from "../../src/interceptors/error-mapping.js";
import { idempotencyKeyInterceptor } from "../../src/interceptors/idempotency-key.js";
import { requestIdInterceptor } from "../../src/interceptors/request-id.js";
import { channelReadiness, createUpstreams } from "../../src/upstream-clients.js";

export const testSunset = "Sat, 01 May 2027 00:00:00 GMT";
export const testDeprecatedAt = "Sun, 01 Nov 2026 00:00:00 GMT";
export const testMaxBodyBytes = 64 * 1024;
/** The scope of an admin token: reads every user's data. */
export const adminScopes = ["switchyard:admin"];

export interface GatewayHarness {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  port: number;
  health: HealthRegistry;
  /** Every JSON log line the gateway wrote. */
  logLines: string[];
  /** The issuer whose JWKS file the gateway trusts (the real verifier, from a file). */
  tokens: TestTokenIssuer;
  /** `{ authorization: "Bearer <token for subject>" }`, to spread into request headers. */
  auth(subject: string, scopes?: string[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The gateway on 127.0.0.1:0, assembled exactly as src/main.ts assembles it (same interceptors,
 * same order, the real JWT verifier trusting a test issuer's JWKS file), in front of whatever
 * `targets` point at; `transport` is the gateway's mTLS to the services (plaintext without it,
 * for the recording backend).
 */
export async function startGateway(
  targets: Partial<Topology>,
  options: {
    defaultDeadlineMs?: number;
    maxDeadlineMs?: number;
    transport?: (server: "user-service" | "order-service") => ClientTransport;
    tokens?: TestTokenIssuer;
  } = {},
): Promise<GatewayHarness> {
  const logLines: string[] = [];
  const logger = createLogger({
    service: "gateway",
    level: "debug",
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const maxDeadlineMs = options.maxDeadlineMs ?? 30_000;
  // Unused upstreams point at a port nothing listens on.
  const topology = {
    ...localTopology("127.0.0.1", { "web-bff": 9, "user-service": 9, "order-service": 9 }),
    ...targets,
  };
  const upstreams = createUpstreams(topology, {
    maxDeadlineMs,
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const tokens = options.tokens ?? (await createTestTokenIssuer());
  const verifier = createAccessTokenVerifier({
    keys: createFileKeySet(tokens.jwksFile, { cooldownMs: 0, checkIntervalMs: 0 }),
    issuer: tokens.issuer,
    audience: tokens.audience,
    algorithms: ["ES256"],
    clockToleranceSeconds: 30,
  });
  const health = new HealthRegistry();
  health.addReadinessCheck("user-service", channelReadiness(upstreams.users));
  health.addReadinessCheck("order-service", channelReadiness(upstreams.orders));
  const gateway = createGatewayServer({
    logger,
    health,
    routes: gatewayRoutes(upstreams),
    interceptors: [
      requestIdInterceptor(),
      authenticationInterceptor({ verifier, publicMethods, logger }),
      deadlineInterceptor({ defaultMs: options.defaultDeadlineMs ?? 5_000, maxMs: maxDeadlineMs }),
      idempotencyKeyInterceptor({ requiredFor: methodsRequiringIdempotencyKey }),
      errorMappingInterceptor(logger),
    ],
    deprecations: [v1Deprecation({ deprecatedAt: testDeprecatedAt, sunset: testSunset })],
    maxBodyBytes: testMaxBodyBytes,
  });
  const port = await gateway.listen("127.0.0.1", 0);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    health,
    logLines,
    tokens,
    auth: async (subject, scopes = []) => ({
      authorization: await tokens.authorization(subject, scopes),
    }),
    async close() {
      health.markShuttingDown();
      await gateway.close(500);
      upstreams.close();
      if (!options.tokens) tokens.remove();
    },
  };
}
