import { requireOwnership } from "@switchyard/access-policy";
import {
  PlaceOrderRequest,
  PlaceOrderResponse,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { failedPrecondition } from "@switchyard/errors";
import { orderPlaced, traceparentOrNew } from "@switchyard/events";
import { requesterOf } from "@switchyard/grpc-kit";
import { runIdempotent } from "@switchyard/idempotency";
import { appendToOutbox } from "@switchyard/outbox";
import { validatePlaceOrder } from "../domain/place-order-validation.js";
import { orderPlacedEvent } from "../events/order-events.js";
import { toOrderMessage } from "../grpc/order-message.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";
import { storedIdempotentResponse } from "./stored-idempotent-response.js";

const operation = "switchyard.order.v1.OrderService/PlaceOrder";

/**
 * Places an order: validated, for the end user's own customer id, by a customer in good
 * standing, inserted with OrderPlaced in one transaction, at most once per idempotency key. A
 * replay answers the stored response before the customer is looked at: the order exists, so a
 * later suspension must not turn the retry into an error. Answers the contract's response
 * because that is what a replayed key returns.
 */
export async function placeOrder(
  dependencies: OrderUseCaseDependencies,
  request: PlaceOrderRequest,
  invocation: Invocation,
): Promise<PlaceOrderResponse> {
  const { db, customers, idempotencyTtlMs } = dependencies;
  const newOrder = validatePlaceOrder(request);
  requireOwnership(
    invocation.endUser,
    newOrder.customerId,
    "write",
    `place orders for customer ${newOrder.customerId}`,
  );
  const command = {
    caller: requesterOf(invocation),
    key: invocation.idempotencyKey,
    operation,
    request,
    requestCodec: PlaceOrderRequest,
    responseCodec: PlaceOrderResponse,
    ttlMs: idempotencyTtlMs,
  };
  const replayed = await storedIdempotentResponse(db, command);
  if (replayed !== undefined) return replayed;

  // Asked before the transaction opens: no network wait while holding database locks.
  const customer = await customers.findCustomer(newOrder.customerId);
  // The request is well-formed; it is the state of the system that forbids it, so
  // FAILED_PRECONDITION rather than NOT_FOUND (which would read as "no such order").
  if (customer === undefined) {
    throw failedPrecondition(`customer ${newOrder.customerId} does not exist`);
  }
  if (customer.standing === "suspended") {
    throw failedPrecondition(`customer ${newOrder.customerId} is suspended`);
  }
  return runIdempotent(db, command, async (tx) => {
    const order = await createOrderRepository(tx).insert(newOrder);
    await appendToOutbox(tx, orderPlaced, orderPlacedEvent(order), {
      aggregateId: order.orderId,
      traceparent: traceparentOrNew(invocation.traceparent),
    });
    return { order: toOrderMessage(order) };
  });
}
