import type { OrderServiceServer } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { unary } from "@switchyard/grpc-kit";
import { cancelOrder } from "../application/cancel-order.js";
import { confirmOrder } from "../application/confirm-order.js";
import { getCustomerOrderSummary } from "../application/get-customer-order-summary.js";
import { getOrder } from "../application/get-order.js";
import { listOrders } from "../application/list-orders.js";
import type { OrderUseCaseDependencies } from "../application/order-use-case-dependencies.js";
import { placeOrder } from "../application/place-order.js";
import { shipOrder } from "../application/ship-order.js";
import { toCustomerOrderSummaryMessage, toOrderMessage } from "./order-message.js";

/** Fully-qualified gRPC service name, as reported by health and reflection. */
export const orderServiceName = "switchyard.order.v1.OrderService";

/**
 * switchyard.order.v1.OrderService over grpc-js: each method hands the decoded request and the
 * call's invocation to its use case (application/) and encodes what it returns. No rules here.
 */
export function createOrderServiceHandlers(
  dependencies: OrderUseCaseDependencies,
): OrderServiceServer {
  return {
    placeOrder: unary((request, context) => placeOrder(dependencies, request, context)),
    getOrder: unary(async (request, context) => ({
      order: toOrderMessage(await getOrder(dependencies, request, context)),
    })),
    listOrders: unary(async (request, context) => {
      const page = await listOrders(dependencies, request, context);
      return { orders: page.orders.map(toOrderMessage), nextPageToken: page.nextPageToken };
    }),
    confirmOrder: unary(async (request, context) => ({
      order: toOrderMessage(await confirmOrder(dependencies, request, context)),
    })),
    shipOrder: unary(async (request, context) => ({
      order: toOrderMessage(await shipOrder(dependencies, request, context)),
    })),
    cancelOrder: unary(async (request, context) => ({
      order: toOrderMessage(await cancelOrder(dependencies, request, context)),
    })),
    getCustomerOrderSummary: unary(async (request, context) => ({
      summary: toCustomerOrderSummaryMessage(
        await getCustomerOrderSummary(dependencies, request, context),
      ),
    })),
  };
}
