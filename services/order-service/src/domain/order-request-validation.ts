import { invalidArgument } from "@switchyard/errors";
import { isUuid } from "./identifiers.js";

export const defaultPageSize = 20;
export const maxPageSize = 100;
export const maxCancelReasonLength = 500;

/** A canonical (lower-case) UUID from `field`, or invalid-argument naming the field. */
export function validateUuid(value: string, field: string): string {
  if (!isUuid(value))
    throw invalidArgument([
      { field, description: `must be a UUID, got ${JSON.stringify(value.slice(0, 64))}` },
    ]);
  return value.toLowerCase();
}

/** ListOrders arguments: customer_id must be a UUID; page_size 0 means the default, else 1..100. */
export function validateListOrders(input: { customerId: string; pageSize: number }): {
  customerId: string;
  pageSize: number;
} {
  const violations = [];
  if (!isUuid(input.customerId))
    violations.push({ field: "customer_id", description: "must be a UUID" });
  if (!Number.isInteger(input.pageSize) || input.pageSize < 0 || input.pageSize > maxPageSize) {
    violations.push({
      field: "page_size",
      description: `must be between 1 and ${maxPageSize} (0 for the default of ${defaultPageSize}), got ${input.pageSize}`,
    });
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    customerId: input.customerId.toLowerCase(),
    pageSize: input.pageSize === 0 ? defaultPageSize : input.pageSize,
  };
}

/** CancelOrder arguments: the order id, and a reason of at most 500 characters (may be empty). */
export function validateCancellation(input: { orderId: string; reason: string }): {
  orderId: string;
  reason: string;
} {
  const violations = [];
  if (!isUuid(input.orderId)) violations.push({ field: "order_id", description: "must be a UUID" });
  if (input.reason.length > maxCancelReasonLength) {
    violations.push({
      field: "reason",
      description: `must be at most ${maxCancelReasonLength} characters`,
    });
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return { orderId: input.orderId.toLowerCase(), reason: input.reason };
}
