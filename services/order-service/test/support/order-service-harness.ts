import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import {
  type Order,
  OrderServiceClient,
  type PlaceOrderRequest,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { Database } from "@switchyard/database";
import { callUnary, createGrpcClient } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { expect } from "vitest";
import { createUserServiceCustomerDirectory } from "../../src/adapters/user-service-customer-directory.js";
import { createOrderServiceGrpcServer } from "../../src/grpc/order-service-server.js";
import { createProjectedCustomerDirectory } from "../../src/projections/projected-customer-directory.js";
import { createMigratedDatabase } from "./migrated-database.js";
import {
  type OrderServiceEventPipeline,
  startOrderServiceEventPipeline,
} from "./order-service-event-pipeline.js";
import { startUserServiceStub, type UserServiceStub } from "./user-service-stub-server.js";

export interface RowCounts {
  orders: number;
  orderLines: number;
  idempotencyKeys: number;
}

export interface OrderServiceHarness {
  client: OrderServiceClient;
  users: UserServiceStub;
  database: Database;
  customerLookupDeadlineMs: number;
  /** Every JSON log line the server wrote. */
  logLines: string[];
  /** The outbox relay and projection consumers, when started with `{ events: true }`. */
  events: OrderServiceEventPipeline | undefined;
  placeOrder(request: PlaceOrderRequest, options?: { idempotencyKey?: string }): Promise<Order>;
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * order-service on 127.0.0.1:0 over a fresh migrated database, asking a REAL user-service stub
 * server (also on port 0) about customers, driven through a real generated client.
 */
export async function startOrderService(
  options: { customerLookupDeadlineMs?: number; events?: boolean } = {},
): Promise<OrderServiceHarness> {
  const customerLookupDeadlineMs = options.customerLookupDeadlineMs ?? 1_000;
  const { database, drop } = await createMigratedDatabase();
  const users = await startUserServiceStub();
  const userServiceClient = createGrpcClient(UserServiceClient, { target: users.target });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const server = createOrderServiceGrpcServer({
    logger: createLogger({ service: "order-service", level: "debug", destination }),
    health: new HealthRegistry(),
    db: database.db,
    // Composed as in main.ts: the projection first (empty unless events are consumed), then
    // user-service.
    customers: createProjectedCustomerDirectory({
      db: database.db,
      fallback: createUserServiceCustomerDirectory({
        client: userServiceClient,
        deadlineMs: customerLookupDeadlineMs,
      }),
    }),
    idempotencyTtlMs: 60_000,
  });
  const port = await server.listen("127.0.0.1:0");
  const events = options.events ? await startOrderServiceEventPipeline(database) : undefined;
  const client = createGrpcClient(OrderServiceClient, {
    target: `127.0.0.1:${port}`,
    defaultDeadlineMs: 20_000,
  });

  return {
    client,
    users,
    database,
    customerLookupDeadlineMs,
    logLines,
    events,
    async placeOrder(request, callOptions = {}) {
      const metadata = new grpc.Metadata();
      if (callOptions.idempotencyKey !== undefined) {
        metadata.set("idempotency-key", callOptions.idempotencyKey);
      }
      const { order } = await callUnary(client.placeOrder.bind(client), request, { metadata });
      if (order === undefined) throw new Error("PlaceOrder answered without an order");
      return order;
    },
    async counts() {
      const [row] = await database.sql<RowCounts[]>`
        select (select count(*) from orders)::int as "orders",
               (select count(*) from order_lines)::int as "orderLines",
               (select count(*) from idempotency_keys)::int as "idempotencyKeys"`;
      if (row === undefined) throw new Error("count query returned nothing");
      return row;
    },
    async close() {
      client.close();
      userServiceClient.close();
      await server.shutdown(1_000);
      await events?.close();
      await users.stop();
      await drop();
    },
  };
}

/** Awaits a call that must fail, and returns its gRPC error (the test fails if it succeeds). */
export async function grpcError(call: Promise<unknown>): Promise<grpc.ServiceError> {
  const outcome = await call.then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) {
    throw new Error(
      `expected the call to fail, it answered ${JSON.stringify(outcome.response, bigintJson)}`,
    );
  }
  expect(outcome.error).toHaveProperty("code");
  return outcome.error as grpc.ServiceError;
}

/** The google.rpc.BadRequest field paths carried in grpc-status-details-bin. */
export function badRequestFields(error: grpc.ServiceError): string[] {
  const [encoded] = error.metadata.get("grpc-status-details-bin");
  if (!(encoded instanceof Buffer)) return [];
  return Status.decode(encoded)
    .details.filter((detail) => detail.typeUrl === "type.googleapis.com/google.rpc.BadRequest")
    .flatMap((detail) => BadRequest.decode(detail.value).fieldViolations.map((v) => v.field));
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
