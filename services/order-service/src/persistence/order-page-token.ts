import { invalidArgument } from "@switchyard/errors";
import { isUuid } from "../domain/identifiers.js";
import type { OrderPosition } from "./order-repository.js";

/** What a ListOrders page token carries: the query it belongs to and where the next page starts. */
interface TokenBody {
  c: string;
  t: number;
  o: string;
}

const malformed = () =>
  invalidArgument([
    {
      field: "page_token",
      description: "malformed page token: pass next_page_token back unchanged",
    },
  ]);

/** An opaque (base64url) token for the page after `position` in one customer's order list. */
export function encodeOrderPageToken(customerId: string, position: OrderPosition): string {
  const body: TokenBody = { c: customerId, t: position.createTime.getTime(), o: position.orderId };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/**
 * Reads a token made by `encodeOrderPageToken`. Throws invalid-argument on `page_token` when it
 * is not one, or when it was issued for another customer's list.
 */
export function decodeOrderPageToken(token: string, customerId: string): OrderPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw malformed();
  }
  if (!isTokenBody(body)) throw malformed();
  if (body.c !== customerId) {
    throw invalidArgument([
      { field: "page_token", description: "page token belongs to a different customer_id" },
    ]);
  }
  return { createTime: new Date(body.t), orderId: body.o };
}

function isTokenBody(value: unknown): value is TokenBody {
  if (typeof value !== "object" || value === null) return false;
  const { c, t, o } = value as Record<string, unknown>;
  return (
    typeof c === "string" &&
    typeof o === "string" &&
    isUuid(o) &&
    typeof t === "number" &&
    Number.isSafeInteger(t) &&
    !Number.isNaN(new Date(t).getTime())
  );
}
