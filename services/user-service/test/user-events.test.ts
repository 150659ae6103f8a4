import * as grpc from "@grpc/grpc-js";
import {
  UserRegistered,
  UserSuspended,
  UserUpdated,
} from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import { isTraceparent } from "@switchyard/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
} from "./support/user-service-harness.js";

let service: UserServiceHarness;
beforeAll(async () => {
  service = await startUserService();
});
afterAll(() => service?.close());

interface OutboxRow {
  event_type: string;
  aggregate_id: string;
  traceparent: string | null;
  payload: Buffer;
}

async function outboxRowsFor(userId: string): Promise<OutboxRow[]> {
  return service.database.sql<OutboxRow[]>`
    select event_type, aggregate_id, traceparent, payload from outbox_messages
    where aggregate_id = ${userId} order by create_time, event_type`;
}

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

function traced(): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("traceparent", traceparent);
  return metadata;
}

async function register(email: string, metadata = new grpc.Metadata()) {
  const response = await callUnary(
    service.client.registerUser.bind(service.client),
    { email, givenName: "Ada", familyName: "Lovelace" },
    { metadata },
  );
  return response.user?.userId ?? "";
}

describe("user events", () => {
  it("registering a user commits UserRegistered with the caller's traceparent", async () => {
    const userId = await register("events-ada@example.com", traced());
    const [row, ...rest] = await outboxRowsFor(userId);
    expect(rest).toEqual([]);
    expect(row?.event_type).toBe("switchyard.user.events.v1.UserRegistered");
    expect(row?.traceparent).toBe(traceparent);
    const event = UserRegistered.decode(row?.payload ?? Buffer.alloc(0));
    expect(event).toMatchObject({
      userId,
      userVersion: 1n,
      email: "events-ada@example.com",
      givenName: "Ada",
      familyName: "Lovelace",
    });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("starts a new trace when the caller sent no traceparent", async () => {
    const userId = await register("events-untraced@example.com");
    const [row] = await outboxRowsFor(userId);
    expect(isTraceparent(row?.traceparent ?? undefined)).toBe(true);
    expect(row?.traceparent).not.toBe(traceparent);
  });

  it("a rejected registration commits no event", async () => {
    await register("events-taken@example.com");
    const [before] = await service.database.sql`select count(*)::int as n from outbox_messages`;
    await expectStatus(register("events-taken@example.com"), grpc.status.ALREADY_EXISTS);
    const [after] = await service.database.sql`select count(*)::int as n from outbox_messages`;
    expect(after?.n).toBe(before?.n);
  });

  it("update and suspension each commit one event with the new version; a stale update none", async () => {
    const userId = await register("events-grace@example.com");
    const client = service.client;
    await callUnary(client.updateUser.bind(client), {
      userId,
      givenName: "Grace",
      familyName: "Hopper",
      expectedVersion: 1n,
    });
    await expectStatus(
      callUnary(client.updateUser.bind(client), {
        userId,
        givenName: "Stale",
        familyName: "Write",
        expectedVersion: 1n,
      }),
      grpc.status.ABORTED,
    );
    await callUnary(
      client.suspendUser.bind(client),
      { userId, reason: "chargeback" },
      { metadata: traced() },
    );

    const rows = await outboxRowsFor(userId);
    expect(rows.map((row) => row.event_type)).toEqual([
      "switchyard.user.events.v1.UserRegistered",
      "switchyard.user.events.v1.UserUpdated",
      "switchyard.user.events.v1.UserSuspended",
    ]);
    expect(UserUpdated.decode(rows[1]?.payload ?? Buffer.alloc(0))).toMatchObject({
      userId,
      userVersion: 2n,
      givenName: "Grace",
      familyName: "Hopper",
    });
    expect(UserSuspended.decode(rows[2]?.payload ?? Buffer.alloc(0))).toMatchObject({
      userId,
      userVersion: 3n,
      reason: "chargeback",
    });
    expect(rows[2]?.traceparent).toBe(traceparent);
  });
});
