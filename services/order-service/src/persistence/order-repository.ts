import { randomUUID } from "node:crypto";
import { aborted } from "@switchyard/errors";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import {
  type NewOrder,
  type Order,
  type OrderLine,
  type OrderStatus,
  orderNotFound,
} from "../domain/order.js";
import { allowedSourceStatuses, assertCanMoveOrder } from "../domain/order-status.js";
import { orderLines, orders } from "./schema.js";

/** A database or an open transaction: both run queries the same way. */
export type SqlExecutor = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/** Where a keyset page starts: just after this (create_time, order_id) in newest-first order. */
export interface OrderPosition {
  createTime: Date;
  orderId: string;
}

export interface OrderRepository {
  /** Stores a new PENDING order with its lines; pass the transaction it must be part of. */
  insert(order: NewOrder, executor?: SqlExecutor): Promise<Order>;
  findById(orderId: string): Promise<Order | undefined>;
  /** One customer's orders, newest first, starting after `after`. */
  listByCustomer(
    customerId: string,
    options: { limit: number; after?: OrderPosition },
  ): Promise<Order[]>;
  /**
   * Moves an order to `to` if the status machine allows it from the CURRENT stored status, in one
   * conditional UPDATE (no read-then-write race). Throws not-found or failed-precondition.
   */
  move(orderId: string, to: OrderStatus, changes?: { cancelReason?: string }): Promise<MovedOrder>;
}

/** An order after a status move, with the status it moved from (the events need it). */
export interface MovedOrder extends Order {
  /** Exact when the repository runs inside a transaction: the row is locked before the move. */
  previousStatus: OrderStatus;
}

type OrderRow = typeof orders.$inferSelect;

/** Orders persisted in Postgres through drizzle. */
export function createOrderRepository(
  db: SqlExecutor,
  options: { newOrderId?: () => string } = {},
): OrderRepository {
  const newOrderId = options.newOrderId ?? randomUUID;

  async function withLines(executor: SqlExecutor, rows: OrderRow[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const lineRows = await executor
      .select()
      .from(orderLines)
      .where(
        inArray(
          orderLines.orderId,
          rows.map((row) => row.orderId),
        ),
      )
      .orderBy(asc(orderLines.orderId), asc(orderLines.lineNo));
    const linesByOrder = new Map<string, OrderLine[]>();
    for (const line of lineRows) {
      const lines = linesByOrder.get(line.orderId) ?? [];
      lines.push({
        sku: line.sku,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        lineTotalMinor: line.lineTotalMinor,
      });
      linesByOrder.set(line.orderId, lines);
    }
    return rows.map((row) => toOrder(row, linesByOrder.get(row.orderId) ?? []));
  }

  return {
    async insert(order, executor = db) {
      const [row] = await executor
        .insert(orders)
        .values({
          orderId: newOrderId(),
          customerId: order.customerId,
          status: "PENDING" satisfies OrderStatus,
          currencyCode: order.currencyCode,
          totalMinor: order.totalMinor,
        })
        .returning();
      if (row === undefined) throw new Error("insert into orders returned no row");
      await executor.insert(orderLines).values(
        order.lines.map((line, index) => ({
          orderId: row.orderId,
          lineNo: index + 1,
          sku: line.sku,
          quantity: line.quantity,
          unitPriceMinor: line.unitPriceMinor,
          lineTotalMinor: line.lineTotalMinor,
        })),
      );
      return toOrder(row, order.lines);
    },

    async findById(orderId) {
      const rows = await db.select().from(orders).where(eq(orders.orderId, orderId));
      return (await withLines(db, rows))[0];
    },

    async listByCustomer(customerId, { limit, after }) {
      const rows = await db
        .select()
        .from(orders)
        .where(
          and(
            eq(orders.customerId, customerId),
            after === undefined
              ? undefined
              : sql`(${orders.createTime}, ${orders.orderId}) < (${after.createTime.toISOString()}::timestamptz, ${after.orderId}::uuid)`,
          ),
        )
        .orderBy(desc(orders.createTime), desc(orders.orderId))
        .limit(limit);
      return withLines(db, rows);
    },

    async move(orderId, to, changes = {}) {
      const from = allowedSourceStatuses(to);
      // Locked first, so the status it moves from is the one it had: a concurrent move waits.
      const [locked] = await db
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.orderId, orderId))
        .for("update");
      if (locked === undefined) throw orderNotFound(orderId);
      const previousStatus = locked.status as OrderStatus;
      if (from.length > 0) {
        const rows = await db
          .update(orders)
          .set({
            status: to,
            ...(changes.cancelReason === undefined ? {} : { cancelReason: changes.cancelReason }),
            version: sql`${orders.version} + 1`,
            updateTime: sql`now()`,
          })
          .where(and(eq(orders.orderId, orderId), inArray(orders.status, [...from])))
          .returning();
        if (rows.length > 0) {
          return { ...((await withLines(db, rows))[0] as Order), previousStatus };
        }
      }
      // The conditional update matched nothing: say why, from the state as it is now.
      const [current] = await db
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.orderId, orderId));
      if (current === undefined) throw orderNotFound(orderId);
      assertCanMoveOrder(current.status as OrderStatus, to);
      // Statuses only move forward, so this is unreachable unless the machine grows a cycle.
      throw aborted(`order ${orderId} changed concurrently; retry`);
    },
  };
}

function toOrder(row: OrderRow, lines: OrderLine[]): Order {
  return {
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status as OrderStatus,
    currencyCode: row.currencyCode,
    lines,
    totalMinor: row.totalMinor,
    cancelReason: row.cancelReason ?? undefined,
    version: row.version,
    createTime: row.createTime,
    updateTime: row.updateTime,
  };
}
