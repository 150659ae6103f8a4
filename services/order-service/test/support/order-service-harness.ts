import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import {
  type Order,
  OrderServiceClient,
  type PlaceOrderRequest,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { Database } from "@switchyard/database";
import type { EventNamespace } from "@switchyard/events";
import { callUnary } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import { type RunningGrpcService, startGrpcService } from "@switchyard/service-host";
import {
  accessPolicyWithTestCaller,
  sharedTestCertificates,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "@switchyard/service-host/testing";
import { createTestDatabase } from "@switchyard/testing";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import type { TestCertificates } from "@switchyard/workload-identity/testing";
import { expect } from "vitest";
import { orderService } from "../../src/order-service.js";
import { createTestEventBus, type TestEventBus } from "./test-event-bus.js";
import { startUserServiceStub, type UserServiceStub } from "./user-service-stub-server.js";

export interface RowCounts {
  orders: number;
  orderLines: number;
  idempotencyKeys: number;
}

/** The outbox relay and projection consumers the declaration runs, seen from a test. */
export interface OrderServiceEventPipeline {
  namespace: EventNamespace;
  /**
   * Resolves once every event written so far is published and consumed: the outbox has no
   * pending row and every projection consumer has acknowledged its whole stream. Bounded.
   */
  waitForReadModels(options?: { timeoutMs?: number }): Promise<void>;
}

export interface OrderServiceHarness {
  /** A client calling as the test workload (internal caller, may assert any end user). */
  client: OrderServiceClient;
  users: UserServiceStub;
  running: RunningGrpcService<unknown>;
  certs: TestCertificates;
  /** Real NATS under the service's namespace: publish user events as user-service would. */
  bus: TestEventBus;
  /** The service's own pool (the one its handlers use). */
  database: Database;
  customerLookupDeadlineMs: number;
  /** Every JSON log line the server wrote. */
  logLines: string[];
  events: OrderServiceEventPipeline;
  placeOrder(request: PlaceOrderRequest, options?: { idempotencyKey?: string }): Promise<Order>;
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/** One set of test certificates per test process (made by the real dev-cert script). */
export function orderServiceTestCertificates(): TestCertificates {
  return sharedTestCertificates([
    "order-service",
    "user-service",
    "gateway",
    "web-bff",
    testCallerWorkload,
  ]);
}

/**
 * THE order-service declaration (`src/order-service.ts`) started as production starts it —
 * mTLS, the authorization interceptor, migrations, NATS, outbox relay, projection consumers —
 * on 127.0.0.1:0 over a fresh database and NATS namespace. user-service is a REAL gRPC stub
 * (mTLS, user-service's certificate) whose users and delays the test controls.
 */
export async function startOrderService(
  options: {
    customerLookupDeadlineMs?: number;
    /** "production": THE access policy only, no test caller (for tests of the policy itself). */
    policy?: "production" | "with test caller";
  } = {},
): Promise<OrderServiceHarness> {
  // Generous unless a test is about the deadline: a loaded 2-core machine can take longer than
  // the production 1 s for an mTLS GetUser, and a spurious UNAVAILABLE proves nothing.
  const customerLookupDeadlineMs = options.customerLookupDeadlineMs ?? 10_000;
  const certs = orderServiceTestCertificates();
  const testDatabase = await createTestDatabase({ prefix: "order_service" });
  const bus = await createTestEventBus();
  const identities: WorkloadIdentity[] = [testIdentity(certs, "user-service")];
  const users = await startUserServiceStub(
    identities[0]?.serverCredentials() as grpc.ServerCredentials,
  );
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const running = await startGrpcService(orderService, {
    env: {
      DATABASE_URL: testDatabase.url,
      // Room for the 100-concurrent-calls idempotency test to actually contend in Postgres.
      DATABASE_POOL_SIZE: "20",
      NATS_URL: bus.url,
      EVENTS_NAMESPACE: bus.namespace.prefix,
      USER_SERVICE_TARGET: users.target,
      CUSTOMER_LOOKUP_DEADLINE_MS: String(customerLookupDeadlineMs),
      IDEMPOTENCY_TTL_HOURS: String(60_000 / 3_600_000),
      SHUTDOWN_GRACE_MS: "1000",
      ...tlsEnv(certs, "order-service"),
    },
    logger: createLogger({ service: "order-service", level: "debug", destination }),
    ...(options.policy === "production"
      ? {}
      : { policy: accessPolicyWithTestCaller("order-service") }),
  });
  const caller = testIdentity(certs, testCallerWorkload);
  identities.push(caller);
  const client = testClient(OrderServiceClient, {
    target: running.target,
    server: "order-service",
    identity: caller,
  });
  const database = running.context.database;

  return {
    client,
    users,
    running,
    certs,
    bus,
    database,
    customerLookupDeadlineMs,
    logLines,
    events: {
      namespace: bus.namespace,
      waitForReadModels: (waitOptions) => running.waitUntilIdle(waitOptions),
    },
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
      await running.stop().finally(async () => {
        for (const identity of identities) identity.close();
        await users.stop();
        await bus.close();
        await testDatabase.drop();
      });
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
