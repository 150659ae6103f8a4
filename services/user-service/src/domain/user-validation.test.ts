import { type DomainError, isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import {
  validateListQuery,
  validateProfileUpdate,
  validateRegistration,
  validateSuspension,
  validateUserId,
} from "./user-validation.js";

function violationOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

const userId = "0b6b3c3e-8f5e-4f3a-9d8e-1c2b3a4d5e6f";

describe("user validation", () => {
  it("normalizes a valid registration", () => {
    expect(
      validateRegistration({
        email: " Ada@Example.com ",
        givenName: " Ada ",
        familyName: "Lovelace",
      }),
    ).toEqual({ email: "ada@example.com", givenName: "Ada", familyName: "Lovelace" });
  });

  it("reports every bad registration field at once, by proto field name", () => {
    const error = violationOf(() =>
      validateRegistration({ email: "nope", givenName: "   ", familyName: "x".repeat(101) }),
    );
    expect(error.kind).toBe("invalid-argument");
    expect(error.fieldViolations.map((v) => v.field)).toEqual([
      "email",
      "given_name",
      "family_name",
    ]);
  });

  it("registers a person with a single name: the family name may be empty, the given name not", () => {
    expect(
      validateRegistration({
        email: "teller@example.com",
        givenName: " Teller ",
        familyName: "  ",
      }),
    ).toEqual({ email: "teller@example.com", givenName: "Teller", familyName: "" });
    const error = violationOf(() =>
      validateRegistration({ email: "a@b.co", givenName: "", familyName: "Lovelace" }),
    );
    expect(error.fieldViolations).toEqual([
      { field: "given_name", description: "must not be empty" },
    ]);
    expect(
      validateProfileUpdate({ userId, givenName: "Teller", familyName: "", expectedVersion: 1n })
        .familyName,
    ).toBe("");
  });

  it("counts name length in characters after trimming and rejects control characters", () => {
    expect(
      validateRegistration({ email: "a@b.co", givenName: "é".repeat(100), familyName: "B" })
        .givenName,
    ).toHaveLength(100);
    const error = violationOf(() =>
      validateRegistration({ email: "a@b.co", givenName: "Ada\u0007", familyName: "B" }),
    );
    expect(error.fieldViolations).toEqual([
      { field: "given_name", description: "must not contain control characters" },
    ]);
  });

  it("requires a UUID user_id and a positive expected_version for updates", () => {
    const error = violationOf(() =>
      validateProfileUpdate({ userId: "42", givenName: "A", familyName: "B", expectedVersion: 0n }),
    );
    expect(error.fieldViolations.map((v) => v.field)).toEqual(["user_id", "expected_version"]);
    expect(validateUserId(userId.toUpperCase())).toBe(userId);
    expect(violationOf(() => validateUserId("")).fieldViolations[0]?.field).toBe("user_id");
  });

  it("limits the suspend reason", () => {
    expect(validateSuspension({ userId, reason: " spam " }).reason).toBe("spam");
    const error = violationOf(() => validateSuspension({ userId, reason: "r".repeat(501) }));
    expect(error.fieldViolations[0]?.field).toBe("reason");
  });

  it("defaults page_size 0 to 20 and rejects sizes outside 1..100 together with a bad token", () => {
    expect(validateListQuery({ pageSize: 0, pageToken: "" })).toEqual({
      pageSize: 20,
      after: undefined,
    });
    expect(validateListQuery({ pageSize: 100, pageToken: "" }).pageSize).toBe(100);
    for (const pageSize of [-1, 101]) {
      const error = violationOf(() => validateListQuery({ pageSize, pageToken: "" }));
      expect(error.fieldViolations.map((v) => v.field)).toEqual(["page_size"]);
    }
    const both = violationOf(() => validateListQuery({ pageSize: 101, pageToken: "garbage" }));
    expect(both.fieldViolations.map((v) => v.field)).toEqual(["page_size", "page_token"]);
  });
});
