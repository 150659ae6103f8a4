import { kvKeyOf } from "@switchyard/cache";
import { describe, expect, it } from "vitest";
import { edgeKeyOf, userGroupOf } from "./user-edge-cache.js";

const userId = "0b9a3a4e-7f1c-4c55-9d0e-3f2a1b6c8d7e";

describe("edge cache keys: (verified caller, user)", () => {
  it("one key per caller identity — subject AND scopes (order-insensitive) — for one user", () => {
    const owner = edgeKeyOf(userId, { subject: userId, scopes: [] });
    expect(edgeKeyOf(userId, { subject: userId, scopes: [] })).toBe(owner);
    expect(edgeKeyOf(userId, { subject: "someone-else", scopes: [] })).not.toBe(owner);
    const admin = edgeKeyOf(userId, {
      subject: userId,
      scopes: ["switchyard:admin", "orders:read"],
    });
    expect(admin).not.toBe(owner);
    expect(
      edgeKeyOf(userId, { subject: userId, scopes: ["orders:read", "switchyard:admin"] }),
    ).toBe(admin);
  });

  it("a key is '<user group>.<caller hash>': the group is the user, the caller is not readable", () => {
    const key = edgeKeyOf(userId, { subject: "alice@example.com", scopes: [] });
    expect(key.startsWith(`${userId}.`)).toBe(true);
    expect(key).not.toContain("alice");
    // A valid NATS KV key as it is (not hashed again), so the group's L2 purge finds it.
    expect(kvKeyOf(key)).toBe(key);
  });

  it("a user id that is not one plain token is hashed into a group that cannot collide with a plain id", () => {
    for (const odd of ["a.b", "../x", "with space", "*", ">", "x".repeat(101)]) {
      const group = userGroupOf(odd);
      expect(group).toMatch(/^=[A-Za-z0-9_-]{43}$/);
      const key = edgeKeyOf(odd, { subject: "s", scopes: [] });
      expect(key.startsWith(`${group}.`)).toBe(true);
      expect(kvKeyOf(key)).toBe(key);
    }
    expect(userGroupOf("a.b")).not.toBe(userGroupOf("a_b"));
  });
});
