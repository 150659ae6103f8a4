import { describe, expect, it } from "vitest";
import { createOrderAttempts } from "./order-attempt.js";

describe("order attempts", () => {
  const counter = () => {
    let n = 0;
    return () => `key-${++n}`;
  };

  it("reuses the key when the same order is submitted again (a retry)", () => {
    const attempts = createOrderAttempts(counter());
    const order = { lines: [{ sku: "TEA-1", quantity: 2, unitPrice: { units: 12n, nanos: 0 } }] };
    expect(attempts.keyFor(order)).toBe("key-1");
    expect(attempts.keyFor(structuredClone(order))).toBe("key-1");
  });

  it("makes a new key when the order changed, or after the previous one was placed", () => {
    const attempts = createOrderAttempts(counter());
    expect(attempts.keyFor({ quantity: 1 })).toBe("key-1");
    expect(attempts.keyFor({ quantity: 2 })).toBe("key-2");
    attempts.completed();
    expect(attempts.keyFor({ quantity: 2 })).toBe("key-3");
  });
});
