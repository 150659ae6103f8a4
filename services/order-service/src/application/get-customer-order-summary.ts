import { requireOwnership } from "@switchyard/access-policy";
import type { CustomerOrderSummary } from "../domain/customer-order-summary.js";
import { validateUuid } from "../domain/order-request-validation.js";
import { readCustomerOrderSummary } from "../projections/order-summary-read-model.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/** A customer's order statistics from the event-fed read model (eventually consistent). */
export async function getCustomerOrderSummary(
  dependencies: OrderUseCaseDependencies,
  request: { customerId: string },
  invocation: Invocation,
): Promise<CustomerOrderSummary> {
  const customerId = validateUuid(request.customerId, "customer_id");
  requireOwnership(
    invocation.endUser,
    customerId,
    "read",
    `read the order summary of customer ${customerId}`,
  );
  return readCustomerOrderSummary(dependencies.db, customerId);
}
