import {
  type CallerRule,
  type ServiceAccessPolicy,
  serviceAccessPolicy,
} from "@switchyard/access-policy";
import { startConnectService } from "@switchyard/connect-host";
import type { AccessTokenVerifier } from "@switchyard/end-user-auth";
import { gateway } from "@switchyard/gateway/testing";
import { createLogger } from "@switchyard/logging";
import { startGrpcService } from "@switchyard/service-host";
import { devJwtSettings, ensureDevJwtKeys } from "@switchyard/token";
import { userService } from "@switchyard/user-service/testing";
import { devCertificateConfig, type SecurityMode } from "./security-pair-settings.js";

// One half of the benchmark's security pair, as its own process (like the real stack: the
// gateway and user-service never share a CPU queue): BENCH_ROLE=user-service|gateway,
// BENCH_MODE=secure|plaintext. Prints {"port": N} on stdout once listening; SIGTERM stops it.
// Both halves are THE declarations (user-service's and the gateway's), started by their hosts:
//
// secure    = as deployed: mTLS (dev certificates), the authorization interceptor (workload +
//             end-user policy), JWT verified at the gateway (dev JWKS).
// plaintext = the same declarations with the security configured out: MESH_MODE=linkerd (no
//             TLS) without a proxy, a policy that opens the two benchmarked methods to callers
//             without identity, and a gateway verifier that reads `sub` WITHOUT verifying.

const role = process.env.BENCH_ROLE;
const mode = process.env.BENCH_MODE as SecurityMode;
const logger = createLogger({ service: `bench-${role}`, level: "warn" });
const plaintext = mode === "plaintext";

/** Extra settings for one half (JSON objects from the parent: caches, tracing, shedding). */
const extraEnv = (variable: string): Record<string, string> =>
  JSON.parse(process.env[variable] ?? "{}") as Record<string, string>;

const identityEnv = (workload: string): Record<string, string> => {
  if (plaintext) return { MESH_MODE: "linkerd" };
  const config = devCertificateConfig(workload);
  return {
    TLS_CA_FILE: config.TLS_CA_FILE ?? "",
    TLS_CERT_FILE: config.TLS_CERT_FILE ?? "",
    TLS_KEY_FILE: config.TLS_KEY_FILE ?? "",
  };
};

let running: { port: number; stop(): Promise<void> };
if (role === "user-service") {
  running = await startGrpcService(userService, {
    env: {
      DATABASE_URL: process.env.DATABASE_URL,
      NATS_URL: process.env.NATS_URL,
      EVENTS_NAMESPACE: process.env.EVENTS_NAMESPACE,
      LOG_LEVEL: "warn",
      // Caches bypassed unless the scenario says otherwise: (e)/(f) measure security, not caching.
      CACHE: "off",
      ...identityEnv("user-service"),
      ...extraEnv("BENCH_USER_SERVICE_ENV"),
    },
    logger,
    ...(plaintext ? { policy: openToAnonymousCallers(["RegisterUser", "GetUser"]) } : {}),
  });
} else {
  running = await startConnectService(gateway, {
    env: {
      GATEWAY_PORT: "0",
      USER_SERVICE_TARGET: process.env.USER_SERVICE_TARGET,
      NATS_URL: process.env.NATS_URL,
      EVENTS_NAMESPACE: process.env.EVENTS_NAMESPACE,
      LOG_LEVEL: "warn",
      // No edge tier unless the scenario says otherwise (h): the pairs measure one thing each.
      CACHE: "off",
      ...identityEnv("gateway"),
      // The settings the devstack gives the gateway: the dev issuer's JWKS file.
      ...devJwtSettings(await ensureDevJwtKeys()),
      // (g): every call pays for the rate-limit step, none is refused (1,000,000 a minute).
      ...(process.env.BENCH_RATE_LIMITS === "on"
        ? { RATE_LIMITS: "on", RATE_LIMIT_READS: "1000000/60", RATE_LIMIT_SIGNUP: "1000000/60" }
        : {}),
      ...extraEnv("BENCH_GATEWAY_ENV"),
    },
    logger,
    ...(plaintext ? { accessTokens: unverifiedTokens() } : {}),
  });
}
process.stdout.write(`${JSON.stringify({ port: running.port })}\n`);
process.once("SIGTERM", () => {
  void running.stop().then(() => process.exit(0));
});

/** THE policy, plus `methods` of UserService open to anyone (the baseline has no identities). */
function openToAnonymousCallers(methods: string[]): ServiceAccessPolicy {
  const open: Record<string, CallerRule> = Object.fromEntries(
    methods.map((method) => [`/switchyard.user.v1.UserService/${method}`, { kind: "anyone" }]),
  );
  return { ...serviceAccessPolicy, platform: { ...serviceAccessPolicy.platform, ...open } };
}

/** The baseline's stand-in for verification: `sub` read from the token, never checked. */
function unverifiedTokens(): AccessTokenVerifier {
  return {
    async verify(authorization) {
      const payload = authorization?.split(".")[1] ?? "";
      const { sub } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
        sub?: string;
      };
      return { subject: sub ?? "", scopes: [] };
    },
  };
}
