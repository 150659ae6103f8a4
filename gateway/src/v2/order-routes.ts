import type { ServiceImpl } from "@connectrpc/connect";
import type { OrderService } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import type { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { DashboardEdgeCache } from "../edge-cache/dashboard-edge-cache.js";
import { callService, required } from "../upstream-call.js";
import { toInternalLines } from "./money-mapping.js";
import { toV2Order, v2OrderField } from "./order-mapping.js";

/** v2 lists have no page_size: the server picks it. */
export const v2PageSize = 20;

const options = { renameField: v2OrderField };

/**
 * switchyard.edge.v2.OrderService, served by switchyard.order.v1.OrderService. The
 * Idempotency-Key of PlaceOrder is required and forwarded by the interceptor + callService.
 */
export function v2OrderRoutes(
  orders: OrderServiceClient,
  dashboards: DashboardEdgeCache,
): ServiceImpl<typeof OrderService> {
  return {
    async placeOrder(request, context) {
      const { currencyCode, lines } = toInternalLines(request.lines);
      const { order } = await callService(
        orders.placeOrder.bind(orders),
        { customerId: request.customerId, currencyCode, lines },
        context,
        options,
      );
      const placed = required(order, "order");
      // This replica's dashboards of the customer show it at once (the others at the event).
      dashboards.changed(placed.customerId);
      return { order: toV2Order(placed) };
    },

    async getOrder(request, context) {
      const { order } = await callService(
        orders.getOrder.bind(orders),
        { orderId: request.orderId },
        context,
        options,
      );
      return { order: toV2Order(required(order, "order")) };
    },

    async listOrders(request, context) {
      const response = await callService(
        orders.listOrders.bind(orders),
        { customerId: request.customerId, pageSize: v2PageSize, pageToken: request.pageToken },
        context,
        options,
      );
      return {
        orders: response.orders.map(toV2Order),
        nextPageToken: response.nextPageToken,
      };
    },

    async cancelOrder(request, context) {
      const { order } = await callService(
        orders.cancelOrder.bind(orders),
        { orderId: request.orderId, reason: request.reason },
        context,
        options,
      );
      const cancelled = required(order, "order");
      // This replica's dashboards of the customer show it at once (the others at the event).
      dashboards.changed(cancelled.customerId);
      return { order: toV2Order(cancelled) };
    },
  };
}
