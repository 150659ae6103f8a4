import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import type { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import type { Topology } from "@switchyard/topology";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";
import { gateway } from "../../src/gateway.js";

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

/** The gateway's environment for a test: port 0, the given targets, test deadlines and limits. */
export function gatewayTestEnv(
  targets: Partial<Topology>,
  options: {
    defaultDeadlineMs?: number;
    maxDeadlineMs?: number;
    identity?: WorkloadIdentityConfig;
    tokens: TestTokenIssuer;
  },
): Record<string, string> {
  // Unused upstreams point at a port nothing listens on.
  const target = (name: keyof Topology) => targets[name] ?? "127.0.0.1:9";
  const identity: Record<string, string> = options.identity
    ? {
        TLS_CA_FILE: options.identity.TLS_CA_FILE ?? "",
        TLS_CERT_FILE: options.identity.TLS_CERT_FILE ?? "",
        TLS_KEY_FILE: options.identity.TLS_KEY_FILE ?? "",
      }
    : // Without certificates: plaintext, as behind the Linkerd proxy (recording backends, stubs).
      { MESH_MODE: "linkerd" };
  return {
    GATEWAY_PORT: "0",
    USER_SERVICE_TARGET: target("user-service"),
    ORDER_SERVICE_TARGET: target("order-service"),
    WEB_BFF_TARGET: target("web-bff"),
    DEFAULT_DEADLINE_MS: String(options.defaultDeadlineMs ?? 5_000),
    MAX_DEADLINE_MS: String(options.maxDeadlineMs ?? 30_000),
    MAX_BODY_BYTES: String(testMaxBodyBytes),
    SHUTDOWN_GRACE_MS: "500",
    V1_DEPRECATED_AT: testDeprecatedAt,
    V1_SUNSET: testSunset,
    ...identity,
    ...options.tokens.env(),
    JWKS_COOLDOWN_MS: "0",
  };
}

/**
 * The REAL gateway — its declaration started by the Connect host, exactly as main.ts runs it —
 * on 127.0.0.1:0 in front of whatever `targets` point at, trusting a test issuer's JWKS file.
 * `identity` is the gateway's test certificate (mTLS to the services and web-bff); without it
 * the gateway speaks plaintext as in MESH_MODE=linkerd (for the recording backend and stubs).
 */
export async function startGateway(
  targets: Partial<Topology>,
  options: {
    defaultDeadlineMs?: number;
    maxDeadlineMs?: number;
    identity?: WorkloadIdentityConfig;
    tokens?: TestTokenIssuer;
    /** More gateway config (e.g. RATE_LIMITS=on), over the test defaults. */
    env?: Record<string, string>;
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
  const tokens = options.tokens ?? (await createTestTokenIssuer());
  const running = await startConnectService(gateway, {
    env: { ...gatewayTestEnv(targets, { ...options, tokens }), ...options.env },
    logger,
  });
  return {
    baseUrl: running.url,
    port: running.port,
    health: running.health,
    logLines,
    tokens,
    auth: async (subject, scopes = []) => ({
      authorization: await tokens.authorization(subject, scopes),
    }),
    async close() {
      await running.stop();
      if (!options.tokens) tokens.remove();
    },
  };
}

/** Until the gateway says its edge tier is subscribed to its events (it connects in the background). */
export async function edgeCacheOn(gateway: GatewayHarness): Promise<void> {
  const since = Date.now();
  while (!gateway.logLines.some((line) => line.includes("edge cache on"))) {
    if (Date.now() - since > 15_000) throw new Error("the edge cache never came on");
    await sleep(20);
  }
}
