import type { Interceptor } from "@connectrpc/connect";
import { createAuthorizationInterceptor } from "@switchyard/access-policy";
import { loadConfig } from "@switchyard/config";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import {
  accessTokenVerifierFromConfig,
  authenticationInterceptor,
  endUserAuthConfigShape,
  endUserKey,
} from "@switchyard/end-user-auth";
import {
  createGatewayServer,
  createUpstreams,
  deadlineInterceptor,
  errorMappingInterceptor,
  gatewayRoutes,
  idempotencyKeyInterceptor,
  methodsRequiringIdempotencyKey,
  publicMethods,
  requestIdInterceptor,
  v1Deprecation,
} from "@switchyard/gateway/testing";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { devJwtSettings, ensureDevJwtKeys } from "@switchyard/token";
import { localTopology } from "@switchyard/topology";
import {
  createUserServiceGrpcServer,
  migrationsFolder,
  systemClock,
} from "@switchyard/user-service/testing";
import { createWorkloadIdentity, type WorkloadIdentity } from "@switchyard/workload-identity";
import { devCertificateConfig, type SecurityMode } from "./security-pair-settings.js";

// One half of the benchmark's security pair, as its own process (like the real stack: the
// gateway and user-service never share a CPU queue): BENCH_ROLE=user-service|gateway,
// BENCH_MODE=secure|plaintext. Prints {"port": N} on stdout once listening; SIGTERM stops it.
//
// secure    = exactly what main.ts composes: mTLS (dev certificates), the authorization
//             interceptor (workload + end-user policy), JWT verified at the gateway (dev JWKS).
// plaintext = the same code with the security taken out: insecure channels, no interceptor in
//             user-service, and a gateway that reads `sub` from the token WITHOUT verifying it.

const role = process.env.BENCH_ROLE;
const mode = process.env.BENCH_MODE as SecurityMode;
const logger = createLogger({ service: `bench-${role}`, level: "warn" });
const identityOf = (workload: string): WorkloadIdentity =>
  createWorkloadIdentity(devCertificateConfig(workload), { workload, logger });

let stop: () => Promise<void>;
let port: number;
if (role === "user-service") {
  const database = connectDatabase({ url: process.env.DATABASE_URL ?? "" });
  await applyMigrations(database, { migrationsFolder, service: "user_service" });
  const identity = mode === "secure" ? identityOf("user-service") : undefined;
  const server = createUserServiceGrpcServer({
    logger,
    health: new HealthRegistry(),
    interceptors: identity
      ? [
          createAuthorizationInterceptor({
            server: "user-service",
            identifyCaller: identity.callerOf,
            logger,
          }),
        ]
      : [],
    db: database.db,
    clock: systemClock,
    idempotencyTtlMs: 60_000,
  });
  port = await server.listen("127.0.0.1:0", identity?.serverCredentials());
  stop = async () => {
    await server.shutdown(1_000);
    await database.close();
    identity?.close();
  };
} else {
  const identity = mode === "secure" ? identityOf("gateway") : undefined;
  const topology = localTopology("127.0.0.1", { "web-bff": 9 });
  topology["user-service"] = process.env.USER_SERVICE_TARGET ?? "";
  const upstreams = createUpstreams(topology, {
    maxDeadlineMs: 30_000,
    ...(identity ? { transport: identity.clientTransport } : {}),
  });
  const verifier =
    mode === "secure"
      ? accessTokenVerifierFromConfig(
          // The settings the devstack gives the gateway: the dev issuer's JWKS file.
          loadConfig(endUserAuthConfigShape, devJwtSettings(await ensureDevJwtKeys())),
          { logger },
        )
      : undefined;
  const gateway = createGatewayServer({
    logger,
    health: new HealthRegistry(),
    routes: gatewayRoutes(upstreams),
    interceptors: [
      requestIdInterceptor(),
      verifier
        ? authenticationInterceptor({ verifier, publicMethods, logger })
        : unverifiedEndUser(),
      deadlineInterceptor({ defaultMs: 5_000, maxMs: 30_000 }),
      idempotencyKeyInterceptor({ requiredFor: methodsRequiringIdempotencyKey }),
      errorMappingInterceptor(logger),
    ],
    deprecations: [
      v1Deprecation({
        deprecatedAt: "Sun, 01 Nov 2026 00:00:00 GMT",
        sunset: "Sat, 01 May 2027 00:00:00 GMT",
      }),
    ],
    maxBodyBytes: 1024 * 1024,
  });
  port = await gateway.listen("127.0.0.1", 0);
  stop = async () => {
    await gateway.close(1_000);
    upstreams.close();
    identity?.close();
  };
}
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once("SIGTERM", () => {
  void stop().then(() => process.exit(0));
});

/** The baseline's stand-in for authentication: `sub` read from the token, never verified. */
function unverifiedEndUser(): Interceptor {
  return (next) => (request) => {
    const payload = request.header.get("authorization")?.split(".")[1] ?? "";
    try {
      const { sub } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
        sub?: string;
      };
      if (sub !== undefined) request.contextValues.set(endUserKey, { subject: sub, scopes: [] });
    } catch {
      // No end user: user-service has no interceptor in this mode and does not need one.
    }
    return next(request);
  };
}
