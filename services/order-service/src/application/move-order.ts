import { orderCancelled, orderStatusChanged, traceparentOrNew } from "@switchyard/events";
import { appendToOutbox } from "@switchyard/outbox";
import type { OrderStatus } from "../domain/order.js";
import { orderCancelledEvent, orderStatusChangedEvent } from "../events/order-events.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/**
 * Moves an order to `to` (the state machine in domain/order-status decides whether it may) and
 * appends OrderCancelled or OrderStatusChanged: the move and its event commit together, or
 * neither does. Shared by confirm, ship and cancel.
 */
export async function moveOrder(
  dependencies: Pick<OrderUseCaseDependencies, "db">,
  invocation: Invocation,
  orderId: string,
  to: OrderStatus,
  changes: { cancelReason?: string } = {},
) {
  return dependencies.db.transaction(async (tx) => {
    const order = await createOrderRepository(tx).move(orderId, to, changes);
    const options = {
      aggregateId: order.orderId,
      traceparent: traceparentOrNew(invocation.traceparent),
    };
    if (to === "CANCELLED") {
      await appendToOutbox(
        tx,
        orderCancelled,
        orderCancelledEvent(order, order.previousStatus),
        options,
      );
    } else {
      await appendToOutbox(
        tx,
        orderStatusChanged,
        orderStatusChangedEvent(order, order.previousStatus),
        options,
      );
    }
    return order;
  });
}
