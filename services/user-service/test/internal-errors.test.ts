import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import {
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
} from "./support/user-service-harness.js";

describe("internal errors never leak to clients", () => {
  let service: UserServiceHarness | undefined;
  afterEach(async () => {
    await service?.close().catch(() => {});
    service = undefined;
  });

  function expectNoInternals(error: grpc.ServiceError, details = "internal error") {
    expect(error.details).toBe(details);
    const everything = `${error.message} ${JSON.stringify(error.metadata.getMap())}`;
    for (const secretish of ["select", "insert", "users", "postgres", "127.0.0.1", "5432"]) {
      expect(everything.toLowerCase()).not.toContain(secretish);
    }
  }

  it('a failing SQL statement becomes INTERNAL "internal error"; the cause is only logged', async () => {
    const harness = await startUserService();
    service = harness;
    const { userId } = (
      await callUnary(harness.client.registerUser.bind(harness.client), {
        email: "ok@example.com",
        givenName: "O",
        familyName: "K",
      })
    ).user ?? { userId: "" };
    await harness.database.sql`alter table users rename to users_gone`;

    const error = await expectStatus(
      callUnary(harness.client.getUser.bind(harness.client), { userId }),
      grpc.status.INTERNAL,
    );
    expectNoInternals(error);
    // The operator still gets the real cause, with the query, in the server's log.
    const logged = harness.logLines.find((line) => line.includes("replied INTERNAL"));
    expect(logged).toContain('relation \\"users\\" does not exist');
    await harness.database.sql`alter table users_gone rename to users`;
  });

  it('a closed database pool is UNAVAILABLE "a dependency is unavailable, retry later" for every method, with nothing internal', async () => {
    // Postgres being unreachable is a dependency outage a client may retry (grpc-kit maps
    // connection failures to UNAVAILABLE), not a bug: still no query, table or address leaks.
    const harness = await startUserService();
    service = harness;
    await harness.database.sql.end();
    const { client } = harness;
    const outcomes = await Promise.allSettled([
      callUnary(client.registerUser.bind(client), {
        email: "a@b.co",
        givenName: "A",
        familyName: "B",
      }),
      callUnary(client.getUser.bind(client), { userId: "00000000-0000-4000-8000-000000000000" }),
      callUnary(client.listUsers.bind(client), { pageSize: 0, pageToken: "" }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      const error = (outcome as PromiseRejectedResult).reason as grpc.ServiceError;
      expect(grpc.status[error.code]).toBe("UNAVAILABLE");
      expectNoInternals(error, "a dependency is unavailable, retry later");
    }
  });
});
