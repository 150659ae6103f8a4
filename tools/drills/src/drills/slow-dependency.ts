import { Writable } from "node:stream";
import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createLogger } from "@switchyard/logging";
import { startServiceBackends } from "@switchyard/test-backends";
import { startDelayingProxy } from "@switchyard/testing";
import { webBff } from "@switchyard/web-bff/testing";
import type { DrillContext, DrillVerdict } from "../drill.js";
import { connectJsonCall, startCallLoad } from "../edge-flow/connect-call-load.js";
import { startGatewayUnderDrill } from "../edge-flow/gateway-under-drill.js";
import { pause } from "../pause.js";
import { slowDependencyMeasurements } from "./slow-dependency-verdict.js";

interface Plan {
  ratePerSecond: number;
  normalMs: number;
  slowMs: number;
  afterMs: number;
}
const fullPlan: Plan = { ratePerSecond: 10, normalMs: 5_000, slowMs: 15_000, afterMs: 6_000 };
const shortPlan: Plan = { ratePerSecond: 10, normalMs: 3_000, slowMs: 6_000, afterMs: 4_000 };
/** web-bff's dashboard budget (its default); user-service is slowed well past it. */
const budgetMs = 800;
const delayMs = 2_000;
const callTimeoutMs = 10_000;

/**
 * slow-dependency: the real user-service and order-service, the real web-bff and gateway; a
 * TCP proxy the drill controls sits between web-bff and user-service. Dashboards (GetDashboard
 * through the gateway) and order reads (ListOrders through the gateway, no user-service on
 * their path) run at 10/s each while every answer of user-service to web-bff is held back 2 s
 * for 15 s (6 s short). Promise: dashboards still answer 200 within the budget, marking the
 * profile section degraded; order reads are unaffected; nothing fails, and the dashboard is
 * whole again once the delay ends.
 */
export async function runSlowDependency(context: DrillContext): Promise<DrillVerdict> {
  const plan = context.short ? shortPlan : fullPlan;
  const { progress, signal, elapsed } = context;
  const logger = createLogger({ service: "drill", level: "silent", destination: discard() });
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const backends = await startServiceBackends({ databasePrefix: "drill", logger });
    cleanups.push(() => backends.close());
    const proxy = await startDelayingProxy(backends.userServiceTarget);
    cleanups.push(() => proxy.close());
    const tokens = await createTestTokenIssuer();
    cleanups.push(async () => tokens.remove());
    const bff = await startConnectService(webBff, {
      env: {
        WEB_BFF_PORT: "0",
        USER_SERVICE_TARGET: proxy.target,
        ORDER_SERVICE_TARGET: backends.orderServiceTarget,
        DASHBOARD_BUDGET_MS: String(budgetMs),
        SHUTDOWN_GRACE_MS: "500",
        ...backends.identityEnv("web-bff"),
        ...tokens.env(),
      },
      logger,
    });
    cleanups.push(() => bff.stop());
    const edge = await startGatewayUnderDrill({
      userServiceTarget: backends.userServiceTarget,
      orderServiceTarget: backends.orderServiceTarget,
      webBffTarget: `127.0.0.1:${bff.port}`,
      identity: backends.identityConfig("gateway"),
      logger,
      tokens,
    });
    cleanups.push(() => edge.stop());

    const registered = await connectJsonCall(
      edge.baseUrl,
      "switchyard.edge.v1.UserService/RegisterUser",
      {
        email: "slow-drill@example.com",
        fullName: "Slow Drill",
      },
    )(AbortSignal.timeout(callTimeoutMs));
    const { user } = (await registered.json()) as { user: { userId: string } };
    const authorization = await edge.authorization(user.userId);
    for (let index = 0; index < 3; index++) {
      await connectJsonCall(
        edge.baseUrl,
        "switchyard.edge.v1.OrderService/PlaceOrder",
        {
          customerId: user.userId,
          currencyCode: "EUR",
          lines: [{ sku: "TEA-1", quantity: 2, unitPriceCents: "450" }],
        },
        { authorization, "idempotency-key": `slow-drill-${index}` },
      )(AbortSignal.timeout(callTimeoutMs));
    }
    await backends.waitForProjections({ timeoutMs: 60_000 });
    progress(
      `user-service, order-service, web-bff (dashboard budget ${budgetMs} ms) and the gateway running; web-bff reaches user-service through a delaying proxy`,
    );

    const dashboards = startCallLoad({
      call: connectJsonCall(
        edge.baseUrl,
        "switchyard.bff.web.v1.WebService/GetDashboard",
        { customerId: user.userId },
        { authorization },
      ),
      ratePerSecond: plan.ratePerSecond,
      timeoutMs: callTimeoutMs,
      note: (body) => {
        const degraded =
          (body as { degradedSections?: { section: string }[] }).degradedSections ?? [];
        return degraded.length === 0 ? undefined : degraded.map((d) => d.section).join("+");
      },
    });
    cleanups.push(() => dashboards.stop());
    const orderReads = startCallLoad({
      call: connectJsonCall(
        edge.baseUrl,
        "switchyard.edge.v1.OrderService/ListOrders",
        { customerId: user.userId, pageSize: 10 },
        { authorization },
      ),
      ratePerSecond: plan.ratePerSecond,
      timeoutMs: callTimeoutMs,
    });
    cleanups.push(() => orderReads.stop());
    actions.push(
      `GetDashboard and ListOrders through the gateway at ${plan.ratePerSecond}/s each throughout`,
    );
    progress(`dashboards and order reads at ${plan.ratePerSecond}/s each`);
    await pause(plan.normalMs, signal);

    const slowFrom = Date.now();
    proxy.setDelay(delayMs);
    actions.push(`user-service's answers to web-bff delayed ${delayMs} ms from ${elapsed()}`);
    progress(`user-service → web-bff delayed ${delayMs} ms for ${plan.slowMs / 1000} s`);
    await pause(plan.slowMs, signal);
    const slowUntil = Date.now();
    proxy.setDelay(0);
    actions.push(`delay removed at ${elapsed()}`);
    progress("delay removed; watching recovery");
    await pause(plan.afterMs, signal);
    const dashboardSamples = await dashboards.stop();
    const orderSamples = await orderReads.stop();

    return {
      drill: "slow-dependency",
      actions,
      measurements: slowDependencyMeasurements({
        dashboards: dashboardSamples,
        orderReads: orderSamples,
        slowFrom,
        slowUntil,
        delayMs,
        budgetMs,
        // The budget plus the hops around it (gateway, mTLS, JSON) on a loaded machine.
        answerWithinMs: budgetMs + 700,
      }),
    };
  } finally {
    progress("cleaning up (gateway, web-bff, proxy, services, databases)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}
