import { createLogger } from "@switchyard/logging";
import { startGrpcService } from "@switchyard/service-host";
import { tlsEnv } from "@switchyard/service-host/testing";
import { createTestNats } from "@switchyard/testing";
import { userService } from "@switchyard/user-service/testing";
import { createTestCertificates } from "@switchyard/workload-identity/testing";
import postgres from "postgres";
import type { DrillContext, DrillVerdict } from "../drill.js";
import { connectJsonCall, startCallLoad } from "../edge-flow/connect-call-load.js";
import { startEmbeddedPostgresUnderDrill } from "../edge-flow/embedded-postgres-under-drill.js";
import { startGatewayUnderDrill } from "../edge-flow/gateway-under-drill.js";
import { pause } from "../pause.js";
import { postgresDownMeasurements, type ReadinessSample } from "./postgres-down-verdict.js";

interface Plan {
  ratePerSecond: number;
  steadyMs: number;
  downMs: number;
  afterMs: number;
}
const fullPlan: Plan = { ratePerSecond: 20, steadyMs: 5_000, downMs: 16_000, afterMs: 10_000 };
const shortPlan: Plan = { ratePerSecond: 20, steadyMs: 3_000, downMs: 8_000, afterMs: 6_000 };
/** The client's own bound: a call open this long is hung (the gateway's deadline is 5 s). */
const callTimeoutMs = 10_000;
const readinessPollMs = 250;

/**
 * postgres-down: the real user-service (its declaration, mTLS) over an embedded Postgres only
 * this drill uses, behind the real gateway; GetUser through the gateway at 20/s while that
 * Postgres is stopped for 16 s (8 s short) and started again. Measures every call's code and
 * time, and user-service's readiness, polled every 250 ms.
 */
export async function runPostgresDown(context: DrillContext): Promise<DrillVerdict> {
  const plan = context.short ? shortPlan : fullPlan;
  const { progress, signal, elapsed } = context;
  const logger = createLogger({
    service: "drill",
    level: (process.env.DRILL_LOG_LEVEL ?? "silent") as "silent",
  });
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    progress("starting an embedded Postgres for this drill");
    const database = await startEmbeddedPostgresUnderDrill();
    cleanups.push(() => database.remove());
    const admin = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database drill_users`;
    await admin.end();
    const databaseUrl = new URL(database.adminUrl);
    databaseUrl.pathname = "/drill_users";

    const nats = await createTestNats();
    cleanups.push(() => nats.close());
    const certs = createTestCertificates({ workloads: ["user-service", "gateway"] });
    cleanups.push(async () => certs.remove());
    const users = await startGrpcService(userService, {
      env: {
        DATABASE_URL: databaseUrl.toString(),
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        SHUTDOWN_GRACE_MS: "1000",
        // Every GetUser must reach Postgres: with the users cache on, the drill's one user is
        // answered from memory through the whole outage (170 of 170 calls OK in a CI run), which
        // is pattern 15 working, not this drill's question.
        CACHE: "off",
        ...tlsEnv(certs, "user-service"),
      },
      logger,
    });
    cleanups.push(() => users.stop());
    const edge = await startGatewayUnderDrill({
      userServiceTarget: users.target,
      identity: certs.configFor("gateway"),
      logger,
    });
    cleanups.push(() => edge.stop());
    const registered = await connectJsonCall(
      edge.baseUrl,
      "switchyard.edge.v1.UserService/RegisterUser",
      { email: "drill@example.com", fullName: "Postgres Drill" },
    )(AbortSignal.timeout(callTimeoutMs));
    const { user } = (await registered.json()) as { user: { userId: string } };
    const authorization = await edge.authorization(user.userId);
    progress(
      `user-service (declaration, mTLS, pool connect timeout 2 s) on its own embedded Postgres, behind the gateway ${edge.baseUrl}`,
    );

    const readiness: ReadinessSample[] = [];
    const readinessTimer = setInterval(() => {
      const at = Date.now();
      void users.health
        .checkReadiness()
        .then((report) => readiness.push({ at, ready: report.ready }));
    }, readinessPollMs);
    cleanups.push(async () => clearInterval(readinessTimer));

    const load = startCallLoad({
      call: connectJsonCall(
        edge.baseUrl,
        "switchyard.edge.v1.UserService/GetUser",
        { userId: user.userId },
        { authorization },
      ),
      ratePerSecond: plan.ratePerSecond,
      timeoutMs: callTimeoutMs,
    });
    cleanups.push(() => load.stop());
    actions.push(`GetUser through the gateway at ${plan.ratePerSecond}/s throughout`);
    progress(`GetUser at ${plan.ratePerSecond}/s`);
    await pause(plan.steadyMs, signal);

    const stoppedAt = Date.now();
    await database.stop();
    actions.push(`stopped Postgres (fast shutdown) at ${elapsed()}`);
    progress(`Postgres stopped; keeping it down ${plan.downMs / 1000} s`);
    await pause(plan.downMs, signal);
    const restartedAt = Date.now();
    await database.start();
    const upAt = Date.now();
    actions.push(
      `started Postgres again (same data, same port) at ${elapsed()}; user-service not restarted`,
    );
    progress(`Postgres up again after ${upAt - restartedAt} ms; watching recovery`);
    await pause(plan.afterMs, signal);
    const samples = await load.stop();
    clearInterval(readinessTimer);

    return {
      drill: "postgres-down",
      actions,
      measurements: postgresDownMeasurements({
        samples,
        readiness,
        stoppedAt,
        upAt,
        endedAt: Date.now(),
        failFastMs: 3_000,
      }),
    };
  } finally {
    progress("cleaning up (gateway, user-service, embedded Postgres and its data)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}
