import { create } from "@bufbuild/protobuf";
import { requireOwnership } from "@switchyard/access-policy";
import {
  type GetDashboardRequest,
  type GetDashboardResponse,
  GetDashboardResponseSchema,
} from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import type { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { notFound } from "@switchyard/errors";
import type { EndUser } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import { backendCall } from "./backend-call.js";
import { startDeadlineBudget } from "./deadline-budget.js";
import type { ProfileCache } from "./profile-cache.js";
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
  /** Aborts when the caller goes away: every backend call still running is cancelled. */
  signal?: AbortSignal | undefined;
  /** The verified end user: sent with every backend call, which enforce ownership too. */
  endUser: EndUser;
}

export type DashboardScreen = (
  request: GetDashboardRequest,
  options: ScreenCallOptions,
) => Promise<GetDashboardResponse>;

/**
 * GetDashboard: profile, recent orders and order statistics, asked of user-service (through the
 * profile cache) and order-service IN PARALLEL under one deadline budget. A section that fails or is late is left
 * empty and listed in `degraded_sections`; only an unknown customer fails the whole call.
 * Whose dashboard is decided by the access token (`dashboardCustomer`), not by the request.
 */
export function createDashboardScreen(
  dependencies: ScreenDependencies & { recentOrders: number; profiles: ProfileCache },
): DashboardScreen {
  const { profiles, orders, budgetMs, recentOrders, logger } = dependencies;
  return async (request, options) => {
    const { endUser } = options;
    const customerId = dashboardCustomer(request.customerId, endUser);
    const budget = startDeadlineBudget({ budgetMs, callerTimeoutMs: options.callerTimeoutMs });
    const { signal } = options;
    const [profile, recent, stats] = await Promise.all([
      runSection(
        budget,
        {
          name: "profile",
          unavailableReason: "the profile is temporarily unavailable",
          // From the profile cache (src/profile-cache.ts): per end user, invalidated by events.
          call: async (deadlineMs) => {
            const user = await profiles.get(customerId, endUser, deadlineMs);
            if (user === undefined) throw notFound(`customer ${customerId} was not found`);
            return user;
          },
        },
        signal,
      ),
      runSection(
        budget,
        {
          name: "orders",
          unavailableReason: "orders are temporarily unavailable",
          call: backendCall(
            orders.listOrders.bind(orders),
            { customerId, pageSize: recentOrders, pageToken: "" },
            endUser,
          ),
        },
        signal,
      ),
      runSection(
        budget,
        {
          name: "order_stats",
          unavailableReason: "order statistics are temporarily unavailable",
          call: backendCall(orders.getCustomerOrderSummary.bind(orders), { customerId }, endUser),
        },
        signal,
      ),
    ]);
    // No customer, no page: the other sections would describe nobody.
    if (!profile.ok && profile.error.kind === "not-found") {
      throw notFound(`customer ${customerId} was not found`);
    }
    const user = profile.ok ? profile.value : undefined;
    const summary = stats.ok ? stats.value.summary : undefined;
    return create(GetDashboardResponseSchema, {
      profile: user === undefined ? undefined : toProfile(user),
      recentOrders: recent.ok ? recent.value.orders.map(toOrderRow) : [],
      orderStats: summary === undefined ? undefined : toOrderStats(summary),
      degradedSections: degradedSections([profile, recent, stats], logger),
    });
  };
}

/**
 * Whose dashboard a call reads: the authenticated user's own when `customer_id` is empty; the
 * given one only if it is theirs or they hold the admin scope (else PERMISSION_DENIED, before
 * any backend is asked).
 */
export function dashboardCustomer(requested: string, endUser: EndUser): string {
  if (requested === "") return endUser.subject;
  const customerId = uuidArgument(requested, "customer_id");
  requireOwnership(endUser, customerId, "read", `read the dashboard of customer ${customerId}`);
  return customerId;
}
