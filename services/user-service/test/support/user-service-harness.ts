import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
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
import {
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
} from "@switchyard/testing";
import type { TestCertificates } from "@switchyard/workload-identity/testing";
import { expect } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import { migrationsFolder, userService } from "../../src/user-service.js";

export { migrationsFolder };

/** A migrated, uniquely named database with the service's pool open on it. */
export async function startMigratedDatabase(): Promise<{
  testDatabase: TestDatabase;
  database: Database;
  close(): Promise<void>;
}> {
  const testDatabase = await createTestDatabase({ prefix: "user_service" });
  const database = connectDatabase({ url: testDatabase.url });
  await applyMigrations(database, { migrationsFolder, service: "user_service" });
  return {
    testDatabase,
    database,
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}

/** One set of test certificates per test process (made by the real dev-cert script). */
export function userServiceTestCertificates(): TestCertificates {
  return sharedTestCertificates([
    "user-service",
    "gateway",
    "order-service",
    "web-bff",
    testCallerWorkload,
  ]);
}

export interface UserServiceHarness {
  /** A client calling as the test workload (internal caller, may assert any end user). */
  client: UserServiceClient;
  /** The running declaration: target, health, shutdown steps. */
  running: RunningGrpcService<unknown>;
  certs: TestCertificates;
  /** The service's own pool (the one its handlers use). */
  database: Database;
  nats: TestNats;
  /** Every JSON log line the server wrote. */
  logLines: string[];
  /** users rows, ordered, as plain JSON: compare before/after to prove nothing changed. */
  snapshot(): Promise<string>;
  countUsers(): Promise<number>;
  close(): Promise<void>;
}

/**
 * THE user-service declaration (`src/user-service.ts`) started as production starts it — mTLS,
 * the authorization interceptor, migrations, NATS and the outbox relay — on 127.0.0.1:0 over a
 * fresh database and NATS namespace, with a real generated client calling as the test workload.
 */
export async function startUserService(
  options: {
    clock?: Clock;
    idempotencyTtlMs?: number;
    /** "production": THE access policy only, no test caller (for tests of the policy itself). */
    policy?: "production" | "with test caller";
  } = {},
): Promise<UserServiceHarness> {
  const certs = userServiceTestCertificates();
  const testDatabase = await createTestDatabase({ prefix: "user_service" });
  const nats = await createTestNats();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const running = await startGrpcService(userService, {
    env: {
      DATABASE_URL: testDatabase.url,
      NATS_URL: nats.url,
      EVENTS_NAMESPACE: nats.prefix,
      IDEMPOTENCY_TTL_HOURS: String((options.idempotencyTtlMs ?? 60_000) / 3_600_000),
      SHUTDOWN_GRACE_MS: "1000",
      ...tlsEnv(certs, "user-service"),
    },
    logger: createLogger({ service: "user-service", level: "debug", destination }),
    ...(options.policy === "production"
      ? {}
      : { policy: accessPolicyWithTestCaller("user-service") }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const identity = testIdentity(certs, testCallerWorkload);
  const client = testClient(UserServiceClient, {
    target: running.target,
    server: "user-service",
    identity,
  });
  const database = running.context.database;
  return {
    client,
    running,
    certs,
    database,
    nats,
    logLines,
    async snapshot() {
      const rows = await database.sql`select * from users order by user_id`;
      const [keys] = await database.sql`select count(*)::int as n from idempotency_keys`;
      return JSON.stringify({ rows, idempotencyKeys: keys?.n });
    },
    async countUsers() {
      const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from users`;
      return row?.n ?? 0;
    },
    async close() {
      client.close();
      identity.close();
      await running.stop().finally(async () => {
        await nats.close();
        await testDatabase.drop();
      });
    },
  };
}

/** Metadata carrying an idempotency key. */
export function withIdempotencyKey(key: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("idempotency-key", key);
  return metadata;
}

/** Awaits a call that must fail and returns its ServiceError after checking the code. */
export async function expectStatus(
  call: Promise<unknown>,
  code: grpc.status,
): Promise<grpc.ServiceError> {
  const error = await call.then(
    (response) => {
      throw new Error(
        `expected ${grpc.status[code]}, got a response: ${JSON.stringify(response, jsonBigint)}`,
      );
    },
    (error: grpc.ServiceError) => error,
  );
  expect(grpc.status[error.code], error.details).toBe(grpc.status[code]);
  return error;
}

/** The fields named by the google.rpc.BadRequest in the error's grpc-status-details-bin. */
export function badRequestFields(error: grpc.ServiceError): string[] {
  const [details] = error.metadata.get("grpc-status-details-bin");
  if (!(details instanceof Buffer)) throw new Error("no grpc-status-details-bin trailer");
  const status = Status.decode(details);
  expect(status.code).toBe(error.code);
  return status.details.flatMap((any) => {
    expect(any.typeUrl).toBe("type.googleapis.com/google.rpc.BadRequest");
    return BadRequest.decode(any.value).fieldViolations.map((violation) => violation.field);
  });
}

export { callUnary };

function jsonBigint(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}
