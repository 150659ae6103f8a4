import { Writable } from "node:stream";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
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
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * The REAL user-service and order-service, built by their own factories (as their main.ts does),
 * in-process on 127.0.0.1:0, each over its own fresh, migrated database; order-service asks the
 * real user-service about customers.
 */
export async function startBackends(): Promise<Backends> {
  const quiet = createLogger({ service: "backend", level: "warn", destination: discard() });
  const userDb = await migratedDatabase("gateway_users", userMigrations, "user_service");
  const orderDb = await migratedDatabase("gateway_orders", orderMigrations, "order_service");

  const userServer: GrpcServer = createUserServiceGrpcServer({
    logger: quiet,
    health: new HealthRegistry(),
    db: userDb.database.db,
    clock: systemClock,
    idempotencyTtlMs: 60_000,
  });
  const userPort = await userServer.listen("127.0.0.1:0");
  const userServiceTarget = `127.0.0.1:${userPort}`;

  const customerClient = createGrpcClient(UserServiceClient, { target: userServiceTarget });
  const orderServer: GrpcServer = createOrderServiceGrpcServer({
    logger: quiet,
    health: new HealthRegistry(),
    db: orderDb.database.db,
    customers: createUserServiceCustomerDirectory({ client: customerClient, deadlineMs: 5_000 }),
    idempotencyTtlMs: 60_000,
  });
  const orderPort = await orderServer.listen("127.0.0.1:0");

  return {
    userServiceTarget,
    orderServiceTarget: `127.0.0.1:${orderPort}`,
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
      await orderServer.shutdown(1_000);
      customerClient.close();
      await userServer.shutdown(1_000);
      await orderDb.drop();
      await userDb.drop();
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
