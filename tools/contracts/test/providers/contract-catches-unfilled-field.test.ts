import { recordProof } from "@switchyard/prove";
import { type User, userRegisteredEvent } from "@switchyard/user-service/testing";
import { describe, expect, it } from "vitest";
import {
  userEventBuilders,
  verifyUserServiceEvents,
} from "../../src/events/user-events-provider.js";
import { verificationResult } from "../../src/verification-result.js";

// What `buf breaking` cannot see: the schema is unchanged (given_name is still field 6 of
// UserRegistered), but the provider stops FILLING it. Protobuf then omits the field on the wire,
// every schema check passes, and order-service's customers would silently lose their names.
describe("a consumer-driven contract catches what buf breaking cannot", () => {
  it("user-service stops filling UserRegistered.given_name → verification fails naming givenName", async (context) => {
    const unfilled = {
      ...userEventBuilders,
      userRegisteredEvent: (user: User) => ({ ...userRegisteredEvent(user), givenName: "" }),
    };
    const result = await verificationResult(verifyUserServiceEvents(unfilled));
    expect(result.passed).toBe(false);
    expect(result.mismatches).toEqual([
      {
        interaction: expect.stringContaining("a UserRegistered event"),
        path: "$",
        mismatch: "Actual map is missing the following keys: givenName",
      },
    ]);
    // The other two interactions still verify: the failure is exactly the unfilled field.
    expect(result.interactions.filter((entry) => entry.result === "OK")).toHaveLength(2);
    const [mismatch] = result.mismatches;
    recordProof(
      context,
      `given_name left unfilled (buf breaking: no change) → verification FAILED at ${mismatch?.path}: ${mismatch?.mismatch}`,
    );
  });
});
