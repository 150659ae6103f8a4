import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { AnyEventType, EventEnvelope } from "@switchyard/events";
import type { ConsumedEvent } from "@switchyard/inbox";
import { describe, expect, it } from "vitest";
import { customerFromUserEvent } from "../src/projections/customer-from-user-event.js";
import { orderServiceProjections } from "../src/projections/order-service-projections.js";
import { orderSummaryChangeOf } from "../src/projections/order-summary-projection.js";

// Bytes committed once per published event version (packages/events/scripts/write-fixtures.ts).
// If a proto change makes any of them decode differently, these tests fail in CI.
const fixturesFolder = fileURLToPath(
  new URL("../../../packages/events/test/fixtures/", import.meta.url),
);
const fixtureUserId = "0b7e6d1c-4c1a-4f6e-9d2b-3a5c7e9f1a2b";
const fixtureOrderId = "5f0c3e2a-8b7d-4a1e-b6c9-2d4f6a8c0e1f";

async function fixturesOf(
  type: AnyEventType,
): Promise<{ version: string; event: ConsumedEvent }[]> {
  const folder = `${fixturesFolder}${type.typeName}/`;
  const files = (await readdir(folder)).filter((file) => file.endsWith(".binpb")).sort();
  return Promise.all(
    files.map(async (file) => {
      const body = new Uint8Array(await readFile(`${folder}${file}`));
      const envelope: EventEnvelope = {
        id: "00000000-0000-4000-8000-000000000000",
        type: type.typeName,
        source: "fixture",
        time: new Date(0),
        traceparent: undefined,
        subject: type.subject,
        body,
      };
      return { version: file, event: { envelope, message: type.codec.decode(body), type } };
    }),
  );
}

const consumed = orderServiceProjections.flatMap((projection) => [...projection.eventTypes]);

describe("committed event fixtures, as order-service's projections read them", () => {
  it.each(consumed.map((type) => [type.typeName, type] as const))(
    "has at least one fixture of %s",
    async (_name, type) => {
      expect((await fixturesOf(type)).length).toBeGreaterThan(0);
    },
  );

  it("translates every user event fixture into a customer change", async () => {
    const changes = [];
    for (const type of consumed.filter((type) => type.typeName.includes(".user.events."))) {
      for (const { event } of await fixturesOf(type)) changes.push(customerFromUserEvent(event));
    }
    expect(changes).toEqual([
      {
        customerId: fixtureUserId,
        sourceVersion: 1n,
        displayName: "Ada Lovelace",
        standing: "active",
      },
      { customerId: fixtureUserId, sourceVersion: 2n, displayName: "Augusta Ada King" },
      { customerId: fixtureUserId, sourceVersion: 3n, standing: "suspended" },
    ]);
  });

  it("translates every order event fixture into a summary change", async () => {
    const changes = [];
    for (const type of consumed.filter((type) => type.typeName.includes(".order.events."))) {
      for (const { event } of await fixturesOf(type)) changes.push(orderSummaryChangeOf(event));
    }
    expect(changes).toEqual([
      {
        customerId: fixtureUserId,
        countDeltas: { PENDING: 1n },
        totalDelta: { currencyCode: "EUR", orders: 1n, totalMinor: 4_498n },
        placed: { orderId: fixtureOrderId, time: new Date("2026-01-01T00:00:00.123Z") },
      },
      { customerId: fixtureUserId, countDeltas: { PENDING: -1n, CONFIRMED: 1n } },
      {
        customerId: fixtureUserId,
        countDeltas: { CONFIRMED: -1n, CANCELLED: 1n },
        totalDelta: { currencyCode: "EUR", orders: -1n, totalMinor: -4_498n },
      },
    ]);
  });
});
