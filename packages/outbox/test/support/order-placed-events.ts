import { randomUUID } from "node:crypto";
import type { OrderPlaced } from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import { orderPlaced, protoTimestamp } from "@switchyard/events";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { appendToOutbox } from "../../src/index.js";

/** An OrderPlaced event for a made-up order. */
export function sampleOrderPlaced(totalMinor = 1_000n): OrderPlaced {
  return {
    eventId: randomUUID(),
    occurTime: protoTimestamp(new Date()),
    orderId: randomUUID(),
    orderVersion: 1n,
    customerId: randomUUID(),
    currencyCode: "EUR",
    totalMinor,
    lines: [{ sku: "SKU-1", quantity: 1, unitPriceMinor: totalMinor }],
  };
}

/** Commits `count` OrderPlaced events, one transaction each (like `count` PlaceOrder calls). */
export async function appendOrderPlacedEvents(
  db: PostgresJsDatabase,
  count: number,
  options: { concurrency?: number } = {},
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const event = sampleOrderPlaced();
      await db.transaction((tx) =>
        appendToOutbox(tx, orderPlaced, event, { aggregateId: event.orderId }),
      );
      ids.push(event.eventId);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return ids;
}
