import { failedPrecondition } from "@switchyard/errors";
import type { OrderStatus } from "./order.js";

/** The status machine: for each target state, the states an order may move to it from. */
const allowedSourcesByTarget: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: [],
  CONFIRMED: ["PENDING"],
  SHIPPED: ["CONFIRMED"],
  CANCELLED: ["PENDING", "CONFIRMED"],
};

/** The states from which an order may move to `target` (empty: nothing moves there). */
export function allowedSourceStatuses(target: OrderStatus): readonly OrderStatus[] {
  return allowedSourcesByTarget[target];
}

/** True when the status machine allows `from` → `to`. */
export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return allowedSourcesByTarget[to].includes(from);
}

/** Throws failed-precondition naming both states when `from` → `to` is not allowed. */
export function assertCanMoveOrder(from: OrderStatus, to: OrderStatus): void {
  if (!canMoveOrder(from, to)) {
    throw failedPrecondition(`cannot move order from ${from} to ${to}`);
  }
}
