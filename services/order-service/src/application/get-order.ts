import { requireOwnership } from "@switchyard/access-policy";
import { type Order, orderNotFound } from "../domain/order.js";
import { validateUuid } from "../domain/order-request-validation.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/** One order, for its customer (or an admin, or an internal caller). */
export async function getOrder(
  dependencies: OrderUseCaseDependencies,
  request: { orderId: string },
  invocation: Invocation,
): Promise<Order> {
  const orderId = validateUuid(request.orderId, "order_id");
  const order = await createOrderRepository(dependencies.db).findById(orderId);
  // Before NOT_FOUND: to a user, someone else's order and no order look the same (AIP-211).
  requireOwnership(invocation.endUser, order?.customerId, "read", `read order ${orderId}`);
  if (order === undefined) throw orderNotFound(orderId);
  return order;
}
