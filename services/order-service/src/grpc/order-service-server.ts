import type * as grpc from "@grpc/grpc-js";
import { requireAdmin, requireOwnership } from "@switchyard/access-policy";
import {
  type OrderServiceServer,
  OrderServiceService,
  PlaceOrderRequest,
  PlaceOrderResponse,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { failedPrecondition } from "@switchyard/errors";
import {
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  traceparentOrNew,
} from "@switchyard/events";
import {
  type CallContext,
  createGrpcServer,
  type GrpcServer,
  requesterOf,
  unary,
} from "@switchyard/grpc-kit";
import { runIdempotent } from "@switchyard/idempotency";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import { appendToOutbox } from "@switchyard/outbox";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { CustomerDirectory } from "../domain/customer.js";
import { type OrderStatus, orderNotFound } from "../domain/order.js";
import {
  validateCancellation,
  validateListOrders,
  validateUuid,
} from "../domain/order-request-validation.js";
import { validatePlaceOrder } from "../domain/place-order-validation.js";
import {
  orderCancelledEvent,
  orderPlacedEvent,
  orderStatusChangedEvent,
} from "../events/order-events.js";
import { decodeOrderPageToken, encodeOrderPageToken } from "../persistence/order-page-token.js";
import { createOrderRepository } from "../persistence/order-repository.js";
import { readCustomerOrderSummary } from "../projections/order-summary-read-model.js";
import { toCustomerOrderSummaryMessage, toOrderMessage } from "./order-message.js";

/** Fully-qualified gRPC service name, as reported by health and reflection. */
export const orderServiceName = "switchyard.order.v1.OrderService";

export interface OrderServiceDependencies {
  db: PostgresJsDatabase;
  /** Who may order: the port, not user-service itself (see the README on the ACL). */
  customers: CustomerDirectory;
  /** How long a PlaceOrder idempotency key replays its first response. */
  idempotencyTtlMs: number;
}

/** The grpc-js implementation of switchyard.order.v1.OrderService. */
export function createOrderServiceImplementation(
  dependencies: OrderServiceDependencies,
): OrderServiceServer {
  const { db, customers, idempotencyTtlMs } = dependencies;
  const orders = createOrderRepository(db);

  // A status move and its event commit together, or neither does.
  async function moveAndPublish(
    context: CallContext,
    orderId: string,
    to: OrderStatus,
    changes: { cancelReason?: string } = {},
  ) {
    return db.transaction(async (tx) => {
      const order = await createOrderRepository(tx).move(orderId, to, changes);
      const options = {
        aggregateId: order.orderId,
        traceparent: traceparentOrNew(context.traceparent),
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

  return {
    placeOrder: unary(async (request: PlaceOrderRequest, context) => {
      const newOrder = validatePlaceOrder(request);
      requireOwnership(
        context.endUser,
        newOrder.customerId,
        "write",
        `place orders for customer ${newOrder.customerId}`,
      );
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
      const command = {
        caller: requesterOf(context),
        key: context.idempotencyKey,
        operation: `${orderServiceName}/PlaceOrder`,
        request,
        requestCodec: PlaceOrderRequest,
        responseCodec: PlaceOrderResponse,
        ttlMs: idempotencyTtlMs,
      };
      return runIdempotent(db, command, async (tx) => {
        const order = await createOrderRepository(tx).insert(newOrder);
        await appendToOutbox(tx, orderPlaced, orderPlacedEvent(order), {
          aggregateId: order.orderId,
          traceparent: traceparentOrNew(context.traceparent),
        });
        return { order: toOrderMessage(order) };
      });
    }),

    getOrder: unary(async (request, context) => {
      const orderId = validateUuid(request.orderId, "order_id");
      const order = await orders.findById(orderId);
      // Before NOT_FOUND: to a user, someone else's order and no order look the same (AIP-211).
      requireOwnership(context.endUser, order?.customerId, "read", `read order ${orderId}`);
      if (order === undefined) throw orderNotFound(orderId);
      return { order: toOrderMessage(order) };
    }),

    listOrders: unary(async (request, context) => {
      const query = validateListOrders(request);
      requireOwnership(
        context.endUser,
        query.customerId,
        "read",
        `list the orders of customer ${query.customerId}`,
      );
      const after =
        request.pageToken === ""
          ? undefined
          : decodeOrderPageToken(request.pageToken, query.customerId);
      // One extra row tells whether another page exists without a count query.
      const rows = await orders.listByCustomer(query.customerId, {
        limit: query.pageSize + 1,
        ...(after === undefined ? {} : { after }),
      });
      const page = rows.slice(0, query.pageSize);
      const last = page.at(-1);
      return {
        orders: page.map(toOrderMessage),
        nextPageToken:
          rows.length > query.pageSize && last !== undefined
            ? encodeOrderPageToken(query.customerId, last)
            : "",
      };
    }),

    confirmOrder: unary(async (request, context) => {
      const orderId = validateUuid(request.orderId, "order_id");
      requireAdmin(context.endUser, `confirm order ${orderId}`);
      const order = await moveAndPublish(context, orderId, "CONFIRMED");
      return { order: toOrderMessage(order) };
    }),

    shipOrder: unary(async (request, context) => {
      const orderId = validateUuid(request.orderId, "order_id");
      requireAdmin(context.endUser, `ship order ${orderId}`);
      const order = await moveAndPublish(context, orderId, "SHIPPED");
      return { order: toOrderMessage(order) };
    }),

    cancelOrder: unary(async (request, context) => {
      const { orderId, reason } = validateCancellation(request);
      if (context.endUser !== undefined) {
        // An order's customer never changes: reading it outside the move's transaction is safe.
        const existing = await orders.findById(orderId);
        requireOwnership(context.endUser, existing?.customerId, "write", `cancel order ${orderId}`);
      }
      const order = await moveAndPublish(context, orderId, "CANCELLED", { cancelReason: reason });
      return { order: toOrderMessage(order) };
    }),

    getCustomerOrderSummary: unary(async (request, context) => {
      const customerId = validateUuid(request.customerId, "customer_id");
      requireOwnership(
        context.endUser,
        customerId,
        "read",
        `read the order summary of customer ${customerId}`,
      );
      // The event-fed read model (CQRS-lite): eventually consistent with the orders table.
      const summary = await readCustomerOrderSummary(db, customerId);
      return { summary: toCustomerOrderSummaryMessage(summary) };
    }),
  };
}

/**
 * The order-service gRPC server (health, reflection, OrderService), not yet listening: main.ts
 * and the tests build it the same way.
 */
export function createOrderServiceGrpcServer(
  options: OrderServiceDependencies & {
    logger: Logger;
    health: HealthRegistry;
    /** main.ts passes the authorization interceptor; in-process tests may pass none. */
    interceptors?: grpc.ServerInterceptor[];
  },
): GrpcServer {
  const server = createGrpcServer({
    logger: options.logger,
    health: options.health,
    serviceNames: [orderServiceName],
    interceptors: options.interceptors ?? [],
  });
  server.addService(OrderServiceService, createOrderServiceImplementation(options));
  return server;
}
