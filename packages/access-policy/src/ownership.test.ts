import { isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { isAdmin, requireAdmin, requireOwnership } from "./ownership.js";

const ada = { subject: "ada", scopes: ["orders:read"] };
const admin = { subject: "root", scopes: ["switchyard:admin"] };

function refusal(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!isDomainError(error) || error.kind !== "permission-denied") throw error;
    return error.message;
  }
}

describe("ownership", () => {
  it("lets the owner read and write, and internal calls (no end user) do anything", () => {
    expect(refusal(() => requireOwnership(ada, "ada", "write", "cancel order 1"))).toBeUndefined();
    expect(refusal(() => requireOwnership(undefined, "ada", "write", "x"))).toBeUndefined();
    expect(refusal(() => requireOwnership(undefined, undefined, "read", "x"))).toBeUndefined();
  });

  it("refuses another user's resource and a missing one with the same message", () => {
    const foreign = refusal(() => requireOwnership(ada, "grace", "read", "read order 1"));
    const missing = refusal(() => requireOwnership(ada, undefined, "read", "read order 1"));
    expect(foreign).toBe("the authenticated user may not read order 1");
    expect(missing).toBe(foreign);
  });

  it("lets an admin read everything but not write for others", () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(ada)).toBe(false);
    expect(refusal(() => requireOwnership(admin, "grace", "read", "x"))).toBeUndefined();
    expect(refusal(() => requireOwnership(admin, undefined, "read", "x"))).toBeUndefined();
    expect(refusal(() => requireOwnership(admin, "grace", "write", "cancel order 1"))).toBe(
      "the authenticated user may not cancel order 1",
    );
  });

  it("keeps back-office methods to admins and internal callers", () => {
    expect(refusal(() => requireAdmin(admin, "list users"))).toBeUndefined();
    expect(refusal(() => requireAdmin(undefined, "list users"))).toBeUndefined();
    expect(refusal(() => requireAdmin(ada, "list users"))).toBe(
      "the authenticated user may not list users",
    );
  });
});
