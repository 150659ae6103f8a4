import { recordProof } from "@switchyard/prove";
import { describe, expect, it } from "vitest";
import { verifyUserServiceEvents } from "../../src/events/user-events-provider.js";
import { passedCount, verificationResult } from "../../src/verification-result.js";

describe("user-service honours its event consumers' pacts", () => {
  it("every UserRegistered / UserUpdated / UserSuspended interaction verifies", async (context) => {
    const result = await verificationResult(verifyUserServiceEvents());
    expect(result.mismatches).toEqual([]);
    expect(result.interactions.map((entry) => entry.result)).toEqual(["OK", "OK", "OK"]);
    recordProof(
      context,
      `user-service events: ${passedCount(result)}/${result.interactions.length} message interactions verified (real event builders + envelope headers)`,
    );
  });
});
