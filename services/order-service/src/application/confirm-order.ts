import { requireAdmin } from "@switchyard/access-policy";
import { validateUuid } from "../domain/order-request-validation.js";
import { moveOrder } from "./move-order.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/** PENDING → CONFIRMED (back office), with OrderStatusChanged. */
export async function confirmOrder(
  dependencies: OrderUseCaseDependencies,
  request: { orderId: string },
  invocation: Invocation,
) {
  const orderId = validateUuid(request.orderId, "order_id");
  requireAdmin(invocation.endUser, `confirm order ${orderId}`);
  return moveOrder(dependencies, invocation, orderId, "CONFIRMED");
}
