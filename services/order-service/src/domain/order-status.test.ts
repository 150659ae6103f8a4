import { DomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { orderStatuses } from "./order.js";
import { allowedSourceStatuses, assertCanMoveOrder, canMoveOrder } from "./order-status.js";

describe("order status machine", () => {
  it("allows exactly PENDING→CONFIRMED→SHIPPED and PENDING|CONFIRMED→CANCELLED", () => {
    const allowed = orderStatuses.flatMap((from) =>
      orderStatuses.filter((to) => canMoveOrder(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "CONFIRMED->CANCELLED",
        "CONFIRMED->SHIPPED",
        "PENDING->CANCELLED",
        "PENDING->CONFIRMED",
      ].sort(),
    );
  });

  it("lists the source states of a target for atomic conditional updates", () => {
    expect(allowedSourceStatuses("CANCELLED")).toEqual(["PENDING", "CONFIRMED"]);
    expect(allowedSourceStatuses("PENDING")).toEqual([]);
  });

  it("rejects an illegal move with failed-precondition naming both states", () => {
    expect(() => assertCanMoveOrder("PENDING", "CONFIRMED")).not.toThrow();
    try {
      assertCanMoveOrder("SHIPPED", "CANCELLED");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe("failed-precondition");
      expect((error as DomainError).message).toBe("cannot move order from SHIPPED to CANCELLED");
    }
  });
});
