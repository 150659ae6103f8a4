import { describe, expect, it } from "vitest";
import { DomainError, invalidArgument, isDomainError } from "./domain-error.js";

describe("DomainError", () => {
  it("invalidArgument names every offending field in the message and the violations", () => {
    const error = invalidArgument([
      { field: "email", description: "must not be empty" },
      { field: "given_name", description: "at most 100 characters" },
    ]);
    expect(error.kind).toBe("invalid-argument");
    expect(error.message).toBe("email: must not be empty; given_name: at most 100 characters");
    expect(error.fieldViolations.map((v) => v.field)).toEqual(["email", "given_name"]);
  });

  it("is recognised by isDomainError and keeps the cause out of the message", () => {
    const error = new DomainError("unavailable", "users are unavailable", {
      cause: new Error("ECONNREFUSED 10.0.0.1"),
    });
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error("x"))).toBe(false);
    expect(error.message).not.toContain("ECONNREFUSED");
  });
});
