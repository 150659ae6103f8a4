import { create } from "@bufbuild/protobuf";
import {
  type GetDashboardRequest,
  type GetDashboardResponse,
  GetDashboardResponseSchema,
} from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import type { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { notFound } from "@switchyard/errors";
import { callUnary } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import { startDeadlineBudget } from "./deadline-budget.js";
import { toOrderRow, toOrderStats, toProfile } from "./screen-mapping.js";
import { degradedSections, runSection } from "./section.js";
import { uuidArgument } from "./uuid-argument.js";

export interface ScreenDependencies {
  users: UserServiceClient;
  orders: OrderServiceClient;
  /** The whole time a screen may wait on its backends (DASHBOARD_BUDGET_MS). */
  budgetMs: number;
  logger: Logger;
}

export interface ScreenCallOptions {
  /** The caller's own timeout, when it sent one. */
  callerTimeoutMs?: number | undefined;
}

export type DashboardScreen = (
  request: GetDashboardRequest,
  options?: ScreenCallOptions,
) => Promise<GetDashboardResponse>;

/**
 * GetDashboard: profile, recent orders and order statistics, asked of user-service and
 * order-service IN PARALLEL under one deadline budget. A section that fails or is late is left
 * empty and listed in `degraded_sections`; only an unknown customer fails the whole call.
 */
export function createDashboardScreen(
  dependencies: ScreenDependencies & { recentOrders: number },
): DashboardScreen {
  const { users, orders, budgetMs, recentOrders, logger } = dependencies;
  return async (request, options = {}) => {
    const customerId = uuidArgument(request.customerId, "customer_id");
    const budget = startDeadlineBudget({ budgetMs, callerTimeoutMs: options.callerTimeoutMs });
    const [profile, recent, stats] = await Promise.all([
      runSection(budget, {
        name: "profile",
        unavailableReason: "the profile is temporarily unavailable",
        call: (deadlineMs) =>
          callUnary(users.getUser.bind(users), { userId: customerId }, { deadlineMs }),
      }),
      runSection(budget, {
        name: "orders",
        unavailableReason: "orders are temporarily unavailable",
        call: (deadlineMs) =>
          callUnary(
            orders.listOrders.bind(orders),
            { customerId, pageSize: recentOrders, pageToken: "" },
            { deadlineMs },
          ),
      }),
      runSection(budget, {
        name: "order_stats",
        unavailableReason: "order statistics are temporarily unavailable",
        call: (deadlineMs) =>
          callUnary(orders.getCustomerOrderSummary.bind(orders), { customerId }, { deadlineMs }),
      }),
    ]);
    // No customer, no page: the other sections would describe nobody.
    if (!profile.ok && profile.error.kind === "not-found") {
      throw notFound(`customer ${customerId} was not found`);
    }
    const user = profile.ok ? profile.value.user : undefined;
    const summary = stats.ok ? stats.value.summary : undefined;
    return create(GetDashboardResponseSchema, {
      profile: user === undefined ? undefined : toProfile(user),
      recentOrders: recent.ok ? recent.value.orders.map(toOrderRow) : [],
      orderStats: summary === undefined ? undefined : toOrderStats(summary),
      degradedSections: degradedSections([profile, recent, stats], logger),
    });
  };
}
