import { Writable } from "node:stream";
import { createLogger, type Logger } from "@switchyard/logging";
import { orderService } from "@switchyard/order-service/testing";
import {
  type GrpcServiceConfigShape,
  type GrpcServiceDeclaration,
  type RunningGrpcService,
  startGrpcService,
} from "@switchyard/service-host";
import { testIdentity, tlsEnv } from "@switchyard/service-host/testing";
import {
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
} from "@switchyard/testing";
import { userService } from "@switchyard/user-service/testing";
import type {
  ClientTransport,
  WorkloadIdentity,
  WorkloadIdentityConfig,
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

export interface ServiceBackendsOptions {
  /** Prefix of the test databases (e.g. "gateway", "bff"): tells leftovers apart. */
  databasePrefix?: string;
  /** Workloads to make test certificates for besides the two services (default gateway, web-bff). */
  callers?: string[];
  /** Where the services log (default: warnings and worse, discarded). */
  logger?: Logger;
}

/** The real user-service and order-service, running in this process. */
export interface ServiceBackends {
  userServiceTarget: string;
  orderServiceTarget: string;
  /** The running declarations (health, shutdown steps, their database pools). */
  userService: RunningGrpcService<unknown>;
  orderService: RunningGrpcService<unknown>;
  /** Test CA and certificates of the services and of every caller in `options.callers`. */
  certs: TestCertificates;
  /** The NATS server and namespace both services use (events flow between them for real). */
  nats: TestNats;
  /** mtls-mode identity config of a caller workload, e.g. for the gateway's or web-bff's env. */
  identityConfig(workload: string): WorkloadIdentityConfig;
  /** Env keys (MESH_MODE, TLS_*) of a workload's certificate: spread into a host's env. */
  identityEnv(workload: string): Record<string, string>;
  /** Credentials + channel options for `workload` calling `server` (closed by `close()`). */
  clientTransport(workload: string, server: "user-service" | "order-service"): ClientTransport;
  counts(): Promise<RowCounts>;
  /**
   * Resolves once every event written so far is published (both outboxes empty) and
   * order-service's projections have consumed it: then read models match the writes.
   */
  waitForProjections(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops order-service for good (its port then refuses connections); idempotent. */
  stopOrderService(): Promise<void>;
  /** Stops user-service for good; idempotent. */
  stopUserService(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts THE declarations of user-service and order-service with the gRPC host, as production
 * runs them — mTLS with test certificates from the real script, THE access policy, migrations,
 * NATS, outbox relays, projection consumers — on 127.0.0.1:0, each over its own fresh
 * database, both in one fresh NATS namespace. order-service finds user-service through
 * USER_SERVICE_TARGET, as through the topology in production.
 */
export async function startServiceBackends(
  options: ServiceBackendsOptions = {},
): Promise<ServiceBackends> {
  const prefix = options.databasePrefix ?? "backends";
  const logger = options.logger ?? quietLogger();
  const certs = createTestCertificates({
    workloads: ["user-service", "order-service", ...(options.callers ?? ["gateway", "web-bff"])],
  });
  const nats = await createTestNats();
  const databases: TestDatabase[] = [];
  const identities: WorkloadIdentity[] = [];
  const start = async <S extends GrpcServiceConfigShape>(
    declaration: GrpcServiceDeclaration<S>,
    env: Record<string, string>,
  ): Promise<RunningGrpcService<unknown>> => {
    const database = await createTestDatabase({
      prefix: `${prefix}_${declaration.name.replace("-", "_")}`,
    });
    databases.push(database);
    return startGrpcService(declaration, {
      env: {
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        SHUTDOWN_GRACE_MS: "1000",
        ...tlsEnv(certs, declaration.name),
        ...env,
      },
      logger,
    });
  };

  const users = await start(userService, {});
  const orders = await start(orderService, { USER_SERVICE_TARGET: users.target });
  const stopOnce = (running: RunningGrpcService<unknown>) => {
    let stopping: Promise<void> | undefined;
    return () => {
      stopping ??= running.stop();
      return stopping;
    };
  };
  const stopUserService = stopOnce(users);
  const stopOrderService = stopOnce(orders);
  const sqlOf = (running: RunningGrpcService<unknown>) => running.context.database.sql;

  return {
    userServiceTarget: users.target,
    orderServiceTarget: orders.target,
    userService: users,
    orderService: orders,
    certs,
    nats,
    identityConfig: (workload) => certs.configFor(workload),
    identityEnv: (workload) => tlsEnv(certs, workload),
    clientTransport(workload, server) {
      const identity = testIdentity(certs, workload);
      identities.push(identity);
      return identity.clientTransport(server);
    },
    async counts() {
      const [userRows] = await sqlOf(users)<{ users: number; keys: number }[]>`
        select (select count(*) from users)::int as users,
               (select count(*) from idempotency_keys)::int as keys`;
      const [orderRows] = await sqlOf(orders)<{ orders: number; lines: number; keys: number }[]>`
        select (select count(*) from orders)::int as orders,
               (select count(*) from order_lines)::int as lines,
               (select count(*) from idempotency_keys)::int as keys`;
      return {
        users: userRows?.users ?? -1,
        userIdempotencyKeys: userRows?.keys ?? -1,
        orders: orderRows?.orders ?? -1,
        orderLines: orderRows?.lines ?? -1,
        orderIdempotencyKeys: orderRows?.keys ?? -1,
      };
    },
    async waitForProjections({ timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      // user-service's outbox first (user events feed order-service's customers), then
      // order-service's outbox and its projection consumers.
      await users.waitUntilIdle({ timeoutMs });
      await orders.waitUntilIdle({ timeoutMs: Math.max(1, deadline - Date.now()) });
    },
    stopOrderService,
    stopUserService,
    async close() {
      for (const identity of identities) identity.close();
      await Promise.allSettled([stopOrderService()]);
      await Promise.allSettled([stopUserService()]);
      for (const database of databases) await database.drop();
      await nats.close();
      certs.remove();
    },
  };
}

/** A logger for backends nobody reads unless something goes wrong. */
function quietLogger(): Logger {
  const discard = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  return createLogger({ service: "backend", level: "warn", destination: discard });
}
