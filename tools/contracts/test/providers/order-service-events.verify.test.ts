import { recordProof } from "@switchyard/prove";
import { describe, expect, it } from "vitest";
import { verifyOrderServiceEvents } from "../../src/events/order-events-provider.js";
import { passedCount, verificationResult } from "../../src/verification-result.js";

describe("order-service honours its event consumers' pacts", () => {
  it("every OrderPlaced / OrderStatusChanged / OrderCancelled interaction verifies", async (context) => {
    const result = await verificationResult(verifyOrderServiceEvents());
    expect(result.mismatches).toEqual([]);
    expect(result.interactions.map((entry) => entry.result)).toEqual(["OK", "OK", "OK"]);
    recordProof(
      context,
      `order-service events: ${passedCount(result)}/${result.interactions.length} message interactions verified (real event builders + envelope headers)`,
    );
  });
});
