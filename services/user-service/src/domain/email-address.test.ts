import { describe, expect, it } from "vitest";
import { emailAddressProblem, normalizeEmailAddress } from "./email-address.js";

describe("email address", () => {
  it("normalizes by trimming and lower-casing", () => {
    expect(normalizeEmailAddress("  Ada@Example.COM \n")).toBe("ada@example.com");
  });

  it("accepts ordinary addresses", () => {
    for (const email of ["ada@example.com", "a.b+tag@mail.example.co.uk", "x_y@sub.example.io"]) {
      expect(emailAddressProblem(email), email).toBeUndefined();
    }
  });

  it("rejects empty, malformed and oversized addresses", () => {
    expect(emailAddressProblem("")).toBe("must not be empty");
    for (const email of [
      "ada",
      "ada@",
      "@example.com",
      "ada@example",
      "a b@example.com",
      "a@b@c.d",
    ]) {
      expect(emailAddressProblem(email), email).toMatch(/email address/);
    }
    expect(emailAddressProblem("ada\u0000@example.com")).toMatch(/email address/);
    expect(emailAddressProblem(`${"a".repeat(243)}@example.com`)).toMatch(/at most 254/);
    expect(emailAddressProblem(`${"a".repeat(242)}@example.com`)).toBeUndefined();
  });
});
