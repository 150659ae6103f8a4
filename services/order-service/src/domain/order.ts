import { type DomainError, notFound } from "@switchyard/errors";

/** The order lifecycle states, in the orders context's own vocabulary. */
export const orderStatuses = ["PENDING", "CONFIRMED", "SHIPPED", "CANCELLED"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceMinor: bigint;
  /** quantity × unit price, computed by the service. */
  lineTotalMinor: bigint;
}

export interface Order {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  /** ISO 4217, upper case; one currency per order. */
  currencyCode: string;
  lines: OrderLine[];
  /** Sum of the line totals, in minor units of `currencyCode`. */
  totalMinor: bigint;
  cancelReason: string | undefined;
  /** Incremented on every change. */
  version: bigint;
  createTime: Date;
  updateTime: Date;
}

/** A validated, priced order that is ready to be stored. */
export interface NewOrder {
  customerId: string;
  currencyCode: string;
  lines: OrderLine[];
  totalMinor: bigint;
}

/** The one wording of "no such order", used by every method that addresses an order by id. */
export function orderNotFound(orderId: string): DomainError {
  return notFound(`order ${orderId} does not exist`);
}
