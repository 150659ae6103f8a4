import { create } from "@bufbuild/protobuf";
import {
  type GetOrderPageRequest,
  type GetOrderPageResponse,
  GetOrderPageResponseSchema,
} from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { notFound } from "@switchyard/errors";
import { backendCall } from "./backend-call.js";
import type { ScreenCallOptions, ScreenDependencies } from "./dashboard.js";
import { startDeadlineBudget } from "./deadline-budget.js";
import { toOrderDetail, toProfile } from "./screen-mapping.js";
import { degradedSections, runSection } from "./section.js";
import { uuidArgument } from "./uuid-argument.js";

export type OrderPageScreen = (
  request: GetOrderPageRequest,
  options: ScreenCallOptions,
) => Promise<GetOrderPageResponse>;

/**
 * GetOrderPage: the order, then its customer (the customer id is only known from the order), both
 * under one budget. An unknown order, or one the end user may not read (order-service decides),
 * fails the call; a missing customer degrades the page.
 */
export function createOrderPageScreen(dependencies: ScreenDependencies): OrderPageScreen {
  const { users, orders, budgetMs, logger } = dependencies;
  return async (request, options) => {
    const orderId = uuidArgument(request.orderId, "order_id");
    const budget = startDeadlineBudget({ budgetMs, callerTimeoutMs: options.callerTimeoutMs });
    const order = await runSection(
      budget,
      {
        name: "order",
        unavailableReason: "the order is temporarily unavailable",
        call: backendCall(orders.getOrder.bind(orders), { orderId }, options.endUser),
      },
      options.signal,
    );
    if (!order.ok && order.error.kind === "not-found") {
      throw notFound(`order ${orderId} was not found`);
    }
    if (!order.ok && order.error.kind === "permission-denied") throw order.error;
    if (!order.ok) {
      return create(GetOrderPageResponseSchema, {
        degradedSections: [
          ...degradedSections([order], logger),
          { section: "customer", reason: "not loaded: the order is unavailable" },
        ],
      });
    }
    const found = order.value.order;
    if (found === undefined) throw new Error("order-service answered GetOrder without an order");
    const customer = await runSection(
      budget,
      {
        name: "customer",
        unavailableReason: "the customer is temporarily unavailable",
        call: backendCall(users.getUser.bind(users), { userId: found.customerId }, options.endUser),
      },
      options.signal,
    );
    const user = customer.ok ? customer.value.user : undefined;
    return create(GetOrderPageResponseSchema, {
      order: toOrderDetail(found),
      customer: user === undefined ? undefined : toProfile(user),
      degradedSections: degradedSections([customer], logger),
    });
  };
}
