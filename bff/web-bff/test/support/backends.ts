import * as grpc from "@grpc/grpc-js";
import {
  type CustomerOrderSummary,
  type Order,
  OrderServiceClient,
  OrderServiceService,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import {
  type User,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import { callUnary, createGrpcClient, type GrpcServer } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import {
  createOrderServiceGrpcServer,
  createUserServiceCustomerDirectory,
  migrationsFolder as orderMigrations,
} from "@switchyard/order-service/testing";
import { createTestDatabase, uniqueName } from "@switchyard/testing";
import {
  createUserServiceGrpcServer,
  systemClock,
  migrationsFolder as userMigrations,
} from "@switchyard/user-service/testing";

/** The REAL user-service and order-service, in-process on port 0, each on a fresh database. */
export interface Backends {
  userServiceTarget: string;
  orderServiceTarget: string;
  registerUser(givenName: string, familyName: string): Promise<User>;
  placeOrder(
    customerId: string,
    lines: { sku: string; quantity: number; unitPriceMinor: bigint }[],
    currencyCode?: string,
  ): Promise<Order>;
  cancelOrder(orderId: string, reason: string): Promise<Order>;
  /** order-service's own answer to GetCustomerOrderSummary, to compare the dashboard with. */
  orderSummary(customerId: string): Promise<CustomerOrderSummary>;
  /** Stops order-service for good (its port then refuses connections). */
  stopOrderService(): Promise<void>;
  /** Stops user-service for good. */
  stopUserService(): Promise<void>;
  close(): Promise<void>;
}

const silent = () => createLogger({ service: "backend", level: "silent" });

async function migratedDatabase(prefix: string, migrationsFolder: string, service: string) {
  const testDatabase = await createTestDatabase({ prefix });
  const database = connectDatabase({ url: testDatabase.url });
  await applyMigrations(database, { migrationsFolder, service });
  return {
    database,
    async drop() {
      await database.close();
      await testDatabase.drop();
    },
  };
}

/** Starts user-service, then order-service asking it about customers. */
export async function startBackends(): Promise<Backends> {
  const usersDb = await migratedDatabase("bff_users", userMigrations, "user_service");
  const ordersDb = await migratedDatabase("bff_orders", orderMigrations, "order_service");

  const userServer: GrpcServer = createUserServiceGrpcServer({
    logger: silent(),
    health: new HealthRegistry(),
    db: usersDb.database.db,
    clock: systemClock,
    idempotencyTtlMs: 60_000,
  });
  const userServiceTarget = `127.0.0.1:${await userServer.listen("127.0.0.1:0")}`;
  const users = createGrpcClient(UserServiceClient, { target: userServiceTarget });

  const orderServer: GrpcServer = createOrderServiceGrpcServer({
    logger: silent(),
    health: new HealthRegistry(),
    db: ordersDb.database.db,
    customers: createUserServiceCustomerDirectory({ client: users, deadlineMs: 5_000 }),
    idempotencyTtlMs: 60_000,
  });
  const orderServiceTarget = `127.0.0.1:${await orderServer.listen("127.0.0.1:0")}`;
  const orders = createGrpcClient(OrderServiceClient, { target: orderServiceTarget });

  let orderServiceRunning = true;
  let userServiceRunning = true;
  const stopOrderService = async () => {
    if (!orderServiceRunning) return;
    orderServiceRunning = false;
    orders.close();
    await orderServer.shutdown(1_000);
  };
  const stopUserService = async () => {
    if (!userServiceRunning) return;
    userServiceRunning = false;
    await userServer.shutdown(1_000);
  };

  return {
    userServiceTarget,
    orderServiceTarget,
    async registerUser(givenName, familyName) {
      const { user } = await callUnary(users.registerUser.bind(users), {
        email: `${uniqueName(givenName.toLowerCase())}@example.com`,
        givenName,
        familyName,
      });
      if (user === undefined) throw new Error("RegisterUser answered without a user");
      return user;
    },
    async placeOrder(customerId, lines, currencyCode = "EUR") {
      const metadata = new grpc.Metadata();
      metadata.set("idempotency-key", uniqueName("order"));
      const { order } = await callUnary(
        orders.placeOrder.bind(orders),
        { customerId, currencyCode, lines: lines.map((line) => ({ ...line, currencyCode: "" })) },
        { metadata },
      );
      if (order === undefined) throw new Error("PlaceOrder answered without an order");
      return order;
    },
    async cancelOrder(orderId, reason) {
      const { order } = await callUnary(orders.cancelOrder.bind(orders), { orderId, reason });
      if (order === undefined) throw new Error("CancelOrder answered without an order");
      return order;
    },
    async orderSummary(customerId) {
      const { summary } = await callUnary(orders.getCustomerOrderSummary.bind(orders), {
        customerId,
      });
      if (summary === undefined) throw new Error("GetCustomerOrderSummary answered without one");
      return summary;
    },
    stopOrderService,
    stopUserService,
    async close() {
      await stopOrderService();
      users.close();
      await stopUserService();
      await ordersDb.drop();
      await usersDb.drop();
    },
  };
}

/**
 * A real gRPC server on port 0 that implements OrderService and answers nothing before
 * `delayMs`: a backend that is up but too slow for the budget.
 */
export async function startSlowOrderService(
  delayMs: number,
): Promise<{ target: string; calls: string[]; close(): Promise<void> }> {
  const server = new grpc.Server();
  const calls: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(OrderServiceService)) {
    implementation[name] = (
      _call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      calls.push(name);
      const timer = setTimeout(() => {
        timers.delete(timer);
        callback(null, method.responseDeserialize(Buffer.alloc(0)));
      }, delayMs);
      timers.add(timer);
    };
  }
  server.addService(OrderServiceService, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    target: `127.0.0.1:${port}`,
    calls,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.forceShutdown();
    },
  };
}
