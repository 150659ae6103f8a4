import { callConnectJson } from "@switchyard/load";
import { createTestDatabase, createTestNats } from "@switchyard/testing";
import { type BenchChild, startBenchChild } from "./bench-child.js";
import type { Scenario } from "./edge-scenarios.js";
import { keepAliveJsonPost } from "./keep-alive-json-post.js";
import type { SecurityMode } from "./security-pair-settings.js";

/** A user-service + gateway pair of the benchmark's own, started in `mode` on a fresh database. */
export interface SecurityPair {
  gatewayUrl: string;
  /** 127.0.0.1:port of the pair's user-service (gRPC; mTLS in secure mode). */
  userServiceTarget: string;
  /** Process ids: user-service first, then the gateway. */
  pids: number[];
  stop(): Promise<void>;
}

/**
 * Starts the pair as two processes (`security-pair-process.ts`), user-service first;
 * `rateLimits`: the gateway runs with RATE_LIMITS=on, limits far above the offered load;
 * `userServiceEnv` / `gatewayEnv`: extra settings of each half (both run with CACHE=off — no
 * users cache in user-service, no edge tier in the gateway — unless these say otherwise).
 */
export async function startSecurityPair(
  mode: SecurityMode,
  options: {
    rateLimits?: boolean;
    userServiceEnv?: Record<string, string>;
    gatewayEnv?: Record<string, string>;
  } = {},
): Promise<SecurityPair> {
  const database = await createTestDatabase({ prefix: `bench_${mode}` });
  // user-service publishes its events through its outbox: its own NATS namespace.
  const nats = await createTestNats();
  const children: BenchChild[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await database.drop();
    await nats.close();
  };
  try {
    const userService = await startChild(
      {
        BENCH_ROLE: "user-service",
        BENCH_MODE: mode,
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        BENCH_USER_SERVICE_ENV: JSON.stringify(options.userServiceEnv ?? {}),
      },
      children,
    );
    const gateway = await startChild(
      {
        BENCH_ROLE: "gateway",
        BENCH_MODE: mode,
        BENCH_RATE_LIMITS: options.rateLimits ? "on" : "off",
        USER_SERVICE_TARGET: `127.0.0.1:${userService.port}`,
        // The edge tier's NATS (user events, L2): used only where the pair turns CACHE on.
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        BENCH_GATEWAY_ENV: JSON.stringify(options.gatewayEnv ?? {}),
      },
      children,
    );
    return {
      gatewayUrl: `http://127.0.0.1:${gateway.port}`,
      userServiceTarget: `127.0.0.1:${userService.port}`,
      pids: children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * GetUser v2 through a security pair's gateway, as the customer it registers first (signup is
 * open; the token comes from `tokenFor`, the dev issuer).
 */
export async function securityScenario(
  key: string,
  title: string,
  pair: SecurityPair,
  tokenFor: (subject: string) => Promise<string>,
  concurrency: number,
): Promise<Scenario & { userId: string }> {
  const registered = await callConnectJson<{ user: { userId: string } }>(
    pair.gatewayUrl,
    "switchyard.edge.v2.UserService/RegisterUser",
    {
      email: `bench.${key}.${Date.now().toString(36)}@bench.example`,
      givenName: "Bench",
      familyName: "Mark",
    },
  );
  const userId = registered.body?.user.userId;
  if (userId === undefined) {
    throw new Error(`(${key}) could not register: ${registered.code} ${registered.message}`);
  }
  const poster = keepAliveJsonPost(
    `${pair.gatewayUrl}/switchyard.edge.v2.UserService/GetUser`,
    JSON.stringify({ userId }),
    concurrency,
    { authorization: `Bearer ${await tokenFor(userId)}` },
  );
  return {
    key,
    title,
    userId,
    pids: pair.pids,
    call: async () => {
      await poster.post();
    },
    close: () => poster.close(),
  };
}

/** One half of the pair as its own process (`security-pair-process.ts`), added to `children`. */
async function startChild(
  env: Record<string, string>,
  children: BenchChild[],
): Promise<BenchChild> {
  const child = await startBenchChild(
    "security-pair-process",
    env,
    `bench ${env.BENCH_ROLE} (${env.BENCH_MODE})`,
  );
  children.push(child);
  return child;
}
