import type { Database } from "@switchyard/database";
import { DomainError } from "@switchyard/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewOrder } from "../src/domain/order.js";
import {
  createOrderRepository,
  type OrderRepository,
} from "../src/persistence/order-repository.js";
import { createMigratedDatabase } from "./support/migrated-database.js";

let database: Database;
let drop: () => Promise<void>;
let repository: OrderRepository;

beforeAll(async () => {
  ({ database, drop } = await createMigratedDatabase());
  repository = createOrderRepository(database.db);
});
afterAll(async () => drop?.());

const newOrder = (customerId: string): NewOrder => ({
  customerId,
  currencyCode: "EUR",
  lines: [
    { sku: "A", quantity: 2, unitPriceMinor: 100n, lineTotalMinor: 200n },
    { sku: "B", quantity: 1, unitPriceMinor: 50n, lineTotalMinor: 50n },
  ],
  totalMinor: 250n,
});

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("order repository", () => {
  it("stores an order with its lines in order and reads it back", async () => {
    const placed = await repository.insert(newOrder(crypto.randomUUID()));
    const found = await repository.findById(placed.orderId);
    expect(found).toEqual(placed);
    expect(found?.status).toBe("PENDING");
    expect(found?.version).toBe(1n);
    expect(found?.lines.map((line) => line.sku)).toEqual(["A", "B"]);
  });

  it("moves PENDING → CONFIRMED → SHIPPED, bumping the version each time", async () => {
    const { orderId } = await repository.insert(newOrder(crypto.randomUUID()));
    expect((await repository.move(orderId, "CONFIRMED")).version).toBe(2n);
    const shipped = await repository.move(orderId, "SHIPPED");
    expect(shipped.status).toBe("SHIPPED");
    expect(shipped.version).toBe(3n);
    expect(shipped.lines).toHaveLength(2);
  });

  it("rejects an illegal move naming both states and leaves the row alone", async () => {
    const { orderId } = await repository.insert(newOrder(crypto.randomUUID()));
    await repository.move(orderId, "CONFIRMED");
    await repository.move(orderId, "SHIPPED");
    const error = await rejection(repository.move(orderId, "CANCELLED", { cancelReason: "late" }));
    expect(error.kind).toBe("failed-precondition");
    expect(error.message).toBe("cannot move order from SHIPPED to CANCELLED");
    const after = await repository.findById(orderId);
    expect(after?.status).toBe("SHIPPED");
    expect(after?.cancelReason).toBeUndefined();
    expect(after?.version).toBe(3n);
  });

  it("lets exactly one of many concurrent cancels win", async () => {
    const { orderId } = await repository.insert(newOrder(crypto.randomUUID()));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        repository.move(orderId, "CANCELLED", { cancelReason: `r${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await repository.findById(orderId))?.version).toBe(2n);
  });

  it("says not-found for a missing order", async () => {
    const id = crypto.randomUUID();
    const error = await rejection(repository.move(id, "CONFIRMED"));
    expect(error.kind).toBe("not-found");
    expect(error.message).toBe(`order ${id} does not exist`);
  });

  it("lists one customer's orders newest first in keyset pages", async () => {
    const customerId = crypto.randomUUID();
    await repository.insert(newOrder(crypto.randomUUID()));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await repository.insert(newOrder(customerId))).orderId);
    const first = await repository.listByCustomer(customerId, { limit: 3 });
    const last = first.at(-1);
    if (last === undefined) throw new Error("empty first page");
    const second = await repository.listByCustomer(customerId, { limit: 3, after: last });
    const listed = [...first, ...second];
    expect(listed).toHaveLength(5);
    expect(new Set(listed.map((o) => o.orderId))).toEqual(new Set(ids));
    const times = listed.map((o) => o.createTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("refuses rows that break the money invariants even if the code is bypassed", async () => {
    const { sql } = database;
    const orderId = crypto.randomUUID();
    await expect(
      sql`insert into orders (order_id, customer_id, status, currency_code, total_minor)
          values (${orderId}, ${crypto.randomUUID()}, 'LOST', 'EUR', 0)`,
    ).rejects.toThrow(/orders_status_check/);
    const { orderId: realId } = await repository.insert(newOrder(crypto.randomUUID()));
    await expect(
      sql`insert into order_lines values (${realId}, 9, 'X', 2, 10, 21)`,
    ).rejects.toThrow(/order_lines_line_total_minor_check/);
  });
});
