import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
import { callUnary, createGrpcClient, type GrpcServer } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { createTestDatabase, type TestDatabase } from "@switchyard/testing";
import { expect } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import { createUserServiceGrpcServer } from "../../src/user-service-server.js";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

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

export interface UserServiceHarness {
  client: UserServiceClient;
  database: Database;
  /** Every JSON log line the server wrote. */
  logLines: string[];
  /** users rows, ordered, as plain JSON: compare before/after to prove nothing changed. */
  snapshot(): Promise<string>;
  countUsers(): Promise<number>;
  close(): Promise<void>;
}

/** user-service on 127.0.0.1:0 over a fresh database, with a real generated client. */
export async function startUserService(
  options: { clock?: Clock; idempotencyTtlMs?: number } = {},
): Promise<UserServiceHarness> {
  const { database, close: closeDatabase } = await startMigratedDatabase();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const server: GrpcServer = createUserServiceGrpcServer({
    logger: createLogger({ service: "user-service", level: "debug", destination }),
    health: new HealthRegistry(),
    db: database.db,
    clock: options.clock ?? { now: () => new Date() },
    idempotencyTtlMs: options.idempotencyTtlMs ?? 60_000,
  });
  const port = await server.listen("127.0.0.1:0");
  const client = createGrpcClient(UserServiceClient, {
    target: `127.0.0.1:${port}`,
    defaultDeadlineMs: 20_000,
  });
  return {
    client,
    database,
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
      await server.shutdown(1000);
      await closeDatabase();
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
