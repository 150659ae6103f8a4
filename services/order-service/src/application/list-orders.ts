import { requireOwnership } from "@switchyard/access-policy";
import type { ListOrdersRequest } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { Order } from "../domain/order.js";
import { validateListOrders } from "../domain/order-request-validation.js";
import { decodeOrderPageToken, encodeOrderPageToken } from "../persistence/order-page-token.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import type { Invocation, OrderUseCaseDependencies } from "./order-use-case-dependencies.js";

/** One page of a customer's orders, newest first, with the token of the next page ("" at the end). */
export async function listOrders(
  dependencies: OrderUseCaseDependencies,
  request: ListOrdersRequest,
  invocation: Invocation,
): Promise<{ orders: Order[]; nextPageToken: string }> {
  const query = validateListOrders(request);
  requireOwnership(
    invocation.endUser,
    query.customerId,
    "read",
    `list the orders of customer ${query.customerId}`,
  );
  const after =
    request.pageToken === ""
      ? undefined
      : decodeOrderPageToken(request.pageToken, query.customerId);
  // One extra row tells whether another page exists without a count query.
  const rows = await createOrderRepository(dependencies.db).listByCustomer(query.customerId, {
    limit: query.pageSize + 1,
    ...(after === undefined ? {} : { after }),
  });
  const orders = rows.slice(0, query.pageSize);
  const last = orders.at(-1);
  return {
    orders,
    nextPageToken:
      rows.length > query.pageSize && last !== undefined
        ? encodeOrderPageToken(query.customerId, last)
        : "",
  };
}
