import { requireOwnership } from "@switchyard/access-policy";
import type { CancelOrderRequest } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { validateCancellation } from "../domain/order-request-validation.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import { moveOrder } from "./move-order.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/** Cancels an order of the end user's own (or any, for an internal caller), with OrderCancelled. */
export async function cancelOrder(
  dependencies: OrderUseCaseDependencies,
  request: CancelOrderRequest,
  invocation: Invocation,
) {
  const { orderId, reason } = validateCancellation(request);
  if (invocation.endUser !== undefined) {
    // An order's customer never changes: reading it outside the move's transaction is safe.
    const existing = await createOrderRepository(dependencies.db).findById(orderId);
    requireOwnership(invocation.endUser, existing?.customerId, "write", `cancel order ${orderId}`);
  }
  return moveOrder(dependencies, invocation, orderId, "CANCELLED", { cancelReason: reason });
}
