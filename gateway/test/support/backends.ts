import { Writable } from "node:stream";
import { createAuthorizationInterceptor } from "@switchyard/access-policy";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
import { createAccessTokenVerifier, createFileKeySet } from "@switchyard/end-user-auth";
import type { TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createGrpcClient, type GrpcServer } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import {
  createOrderServiceGrpcServer,
  createUserServiceCustomerDirectory,
  migrationsFolder as orderMigrations,
} from "@switchyard/order-service/testing";
import { createTestDatabase } from "@switchyard/testing";
import {
  createUserServiceGrpcServer,
  systemClock,
  migrationsFolder as userMigrations,
} from "@switchyard/user-service/testing";
import { createWebBffServer } from "@switchyard/web-bff/testing";
import {
  type ClientTransport,
  createWorkloadIdentity,
  type WorkloadIdentity,
} from "@switchyard/workload-identity";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";

/** Rows in the services' databases: compare before/after a rejected call to prove nothing was written. */
export interface RowCounts {
  users: number;
  orders: number;
  orderLines: number;
  userIdempotencyKeys: number;
  orderIdempotencyKeys: number;
}

export interface Backends {
  userServiceTarget: string;
  orderServiceTarget: string;
  /** The real web-bff, when started with `{ webBff }`; else undefined. */
  webBffTarget: string | undefined;
  /** How the gateway dials each service: mTLS with the gateway's test identity. */
  gatewayTransport: (server: "user-service" | "order-service") => ClientTransport;
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * The REAL user-service and order-service, built by their own factories and wired as their
 * main.ts does — mTLS with test certificates from the real script, the authorization
 * interceptor of THE access policy (which also decides whose end-user metadata to believe) —
 * in-process on 127.0.0.1:0, each over its own fresh, migrated database; order-service asks the
 * real user-service about customers as itself. With `{ webBff: { tokens } }` also the real
 * web-bff (mTLS to the services, trusting `tokens`' keys) on plain h2c, as in main.ts.
 */
export async function startBackends(
  options: { webBff?: { tokens: TestTokenIssuer; budgetMs?: number } } = {},
): Promise<Backends> {
  const quiet = createLogger({ service: "backend", level: "warn", destination: discard() });
  const certs: TestCertificates = createTestCertificates({
    workloads: ["user-service", "order-service", "gateway", "web-bff"],
  });
  const identities: WorkloadIdentity[] = [];
  const identity = (workload: string) => {
    const created = createWorkloadIdentity(certs.configFor(workload), { workload, logger: quiet });
    identities.push(created);
    return created;
  };
  const userIdentity = identity("user-service");
  const orderIdentity = identity("order-service");
  const gatewayIdentity = identity("gateway");
  const userDb = await migratedDatabase("gateway_users", userMigrations, "user_service");
  const orderDb = await migratedDatabase("gateway_orders", orderMigrations, "order_service");

  const userServer: GrpcServer = createUserServiceGrpcServer({
    logger: quiet,
    health: new HealthRegistry(),
    interceptors: [
      createAuthorizationInterceptor({
        server: "user-service",
        identifyCaller: userIdentity.callerOf,
        logger: quiet,
      }),
    ],
    db: userDb.database.db,
    clock: systemClock,
    idempotencyTtlMs: 60_000,
  });
  const userPort = await userServer.listen("127.0.0.1:0", userIdentity.serverCredentials());
  const userServiceTarget = `127.0.0.1:${userPort}`;

  const customerClient = createGrpcClient(UserServiceClient, {
    target: userServiceTarget,
    ...orderIdentity.clientTransport("user-service"),
  });
  const orderServer: GrpcServer = createOrderServiceGrpcServer({
    logger: quiet,
    health: new HealthRegistry(),
    interceptors: [
      createAuthorizationInterceptor({
        server: "order-service",
        identifyCaller: orderIdentity.callerOf,
        logger: quiet,
      }),
    ],
    db: orderDb.database.db,
    customers: createUserServiceCustomerDirectory({ client: customerClient, deadlineMs: 5_000 }),
    idempotencyTtlMs: 60_000,
  });
  const orderPort = await orderServer.listen("127.0.0.1:0", orderIdentity.serverCredentials());
  const orderServiceTarget = `127.0.0.1:${orderPort}`;

  const bff = options.webBff ? await startWebBff(options.webBff) : undefined;
  async function startWebBff({
    tokens,
    budgetMs = 2_000,
  }: {
    tokens: TestTokenIssuer;
    budgetMs?: number;
  }) {
    const bffIdentity = identity("web-bff");
    const users = createGrpcClient(UserServiceClient, {
      target: userServiceTarget,
      ...bffIdentity.clientTransport("user-service"),
    });
    const orders = createGrpcClient(OrderServiceClient, {
      target: orderServiceTarget,
      ...bffIdentity.clientTransport("order-service"),
    });
    const server = createWebBffServer({
      users,
      orders,
      logger: quiet,
      health: new HealthRegistry(),
      accessTokens: createAccessTokenVerifier({
        keys: createFileKeySet(tokens.jwksFile, { cooldownMs: 0 }),
        issuer: tokens.issuer,
        audience: tokens.audience,
        algorithms: ["ES256"],
        clockToleranceSeconds: 30,
      }),
      budgetMs,
      recentOrders: 5,
    });
    const port = await server.listen("127.0.0.1", 0);
    return {
      target: `127.0.0.1:${port}`,
      async close() {
        await server.close(500);
        users.close();
        orders.close();
      },
    };
  }

  return {
    userServiceTarget,
    orderServiceTarget,
    webBffTarget: bff?.target,
    gatewayTransport: (server) => gatewayIdentity.clientTransport(server),
    async counts() {
      const [users] = await userDb.database.sql<{ users: number; keys: number }[]>`
        select (select count(*) from users)::int as users,
               (select count(*) from idempotency_keys)::int as keys`;
      const [orders] = await orderDb.database.sql<
        { orders: number; lines: number; keys: number }[]
      >`
        select (select count(*) from orders)::int as orders,
               (select count(*) from order_lines)::int as lines,
               (select count(*) from idempotency_keys)::int as keys`;
      return {
        users: users?.users ?? -1,
        userIdempotencyKeys: users?.keys ?? -1,
        orders: orders?.orders ?? -1,
        orderLines: orders?.lines ?? -1,
        orderIdempotencyKeys: orders?.keys ?? -1,
      };
    },
    async close() {
      await bff?.close();
      await orderServer.shutdown(1_000);
      customerClient.close();
      await userServer.shutdown(1_000);
      await orderDb.drop();
      await userDb.drop();
      for (const created of identities) created.close();
      certs.remove();
    },
  };
}

async function migratedDatabase(
  prefix: string,
  migrationsFolder: string,
  service: string,
): Promise<{ database: Database; drop(): Promise<void> }> {
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

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}
