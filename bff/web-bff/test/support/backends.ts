import * as grpc from "@grpc/grpc-js";
import {
  type Order,
  OrderServiceClient,
  OrderServiceService,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import {
  type User,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import { startServiceBackends } from "@switchyard/test-backends";
import { uniqueName } from "@switchyard/testing";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import type { TestCertificates } from "@switchyard/workload-identity/testing";

/**
 * The REAL user-service and order-service (their declarations, `@switchyard/test-backends`):
 * mTLS with test certificates, THE access policy, NATS, projections; the helpers below act as
 * the gateway would, for the end user they concern.
 */
export interface Backends {
  userServiceTarget: string;
  orderServiceTarget: string;
  /** Test CA and certificates of every workload (web-bff's own and its callers'). */
  certs: TestCertificates;
  /** NATS_URL and EVENTS_NAMESPACE of the backends' events: web-bff hears user events there. */
  natsEnv: { NATS_URL: string; EVENTS_NAMESPACE: string };
  /**
   * GetUser calls user-service has answered so far (its own rpc.server.call.duration count on
   * /metrics): what a cache in front of it saves, counted where the calls arrive.
   */
  getUserCalls(): Promise<number>;
  registerUser(givenName: string, familyName: string): Promise<User>;
  /** UpdateUser as the user themself: the new names, at the user's current version. */
  updateUser(user: User, givenName: string, familyName: string): Promise<User>;
  placeOrder(
    customerId: string,
    lines: { sku: string; quantity: number; unitPriceMinor: bigint }[],
    currencyCode?: string,
  ): Promise<Order>;
  cancelOrder(orderId: string, reason: string): Promise<Order>;
  /** Resolves once every event so far is published and order-service's projections have it. */
  waitForProjections(): Promise<void>;
  /** Stops order-service for good (its port then refuses connections). */
  stopOrderService(): Promise<void>;
  /** Stops user-service for good. */
  stopUserService(): Promise<void>;
  close(): Promise<void>;
}

const silent = () => createLogger({ service: "backend", level: "silent" });

/**
 * Starts the real user-service and order-service from their declarations
 * (`@switchyard/test-backends`), and clients acting as the gateway does.
 */
export async function startBackends(): Promise<Backends> {
  const services = await startServiceBackends({ databasePrefix: "bff", logger: silent() });
  const { certs, userServiceTarget, orderServiceTarget } = services;
  // The helpers act as the gateway does: for an end user.
  const users = createGrpcClient(UserServiceClient, {
    target: userServiceTarget,
    ...services.clientTransport("gateway", "user-service"),
  });
  const orders = createGrpcClient(OrderServiceClient, {
    target: orderServiceTarget,
    ...services.clientTransport("gateway", "order-service"),
  });
  const asCustomer = (customerId: string) => endUserMetadata({ subject: customerId, scopes: [] });
  const customerOfOrder = new Map<string, string>();

  return {
    userServiceTarget,
    orderServiceTarget,
    certs,
    natsEnv: { NATS_URL: services.nats.url, EVENTS_NAMESPACE: services.nats.prefix },
    async getUserCalls() {
      const response = await fetch(services.userService.metricsUrl);
      const text = await response.text();
      let calls = 0;
      for (const line of text.split("\n")) {
        if (
          /^rpc_server_call_duration(_seconds)?_count\{/.test(line) &&
          line.includes('rpc_method="GetUser"')
        ) {
          calls += Number(line.slice(line.lastIndexOf(" ") + 1));
        }
      }
      return calls;
    },
    async updateUser(user, givenName, familyName) {
      const { user: updated } = await callUnary(
        users.updateUser.bind(users),
        { userId: user.userId, givenName, familyName, expectedVersion: user.version },
        { metadata: asCustomer(user.userId) },
      );
      if (updated === undefined) throw new Error("UpdateUser answered without a user");
      return updated;
    },
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
      const metadata = asCustomer(customerId);
      metadata.set("idempotency-key", uniqueName("order"));
      const { order } = await callUnary(
        orders.placeOrder.bind(orders),
        { customerId, currencyCode, lines: lines.map((line) => ({ ...line, currencyCode: "" })) },
        { metadata },
      );
      if (order === undefined) throw new Error("PlaceOrder answered without an order");
      customerOfOrder.set(order.orderId, customerId);
      return order;
    },
    async cancelOrder(orderId, reason) {
      const { order } = await callUnary(
        orders.cancelOrder.bind(orders),
        { orderId, reason },
        { metadata: asCustomer(customerOfOrder.get(orderId) ?? "") },
      );
      if (order === undefined) throw new Error("CancelOrder answered without an order");
      return order;
    },
    waitForProjections: () => services.waitForProjections(),
    async stopOrderService() {
      orders.close();
      await services.stopOrderService();
    },
    stopUserService: () => services.stopUserService(),
    async close() {
      users.close();
      orders.close();
      await services.close();
    },
  };
}

/**
 * A real gRPC server on port 0 (mTLS as order-service, from `certs`) that implements
 * OrderService and answers nothing before `delayMs`: a backend that is up but too slow for the
 * budget.
 */
export async function startSlowOrderService(
  certs: TestCertificates,
  delayMs: number,
): Promise<{ target: string; calls: string[]; close(): Promise<void> }> {
  const identity = createWorkloadIdentity(certs.configFor("order-service"), {
    workload: "order-service",
    logger: silent(),
  });
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
    server.bindAsync("127.0.0.1:0", identity.serverCredentials(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    target: `127.0.0.1:${port}`,
    calls,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.forceShutdown();
      identity.close();
    },
  };
}
