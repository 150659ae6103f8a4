import { describe, expect, it } from "vitest";
import { readAccessTokenClaims } from "./access-token.js";

const jwt = (payload: object) =>
  `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

describe("readAccessTokenClaims", () => {
  it("reads the subject and expiry", () => {
    expect(readAccessTokenClaims(jwt({ sub: "u-1", exp: 2_000_000_000 }))).toEqual({
      subject: "u-1",
      expiresAt: new Date(2_000_000_000_000),
    });
  });

  it("is undefined for anything but a JWT with a subject", () => {
    for (const token of ["", "abc", jwt({ exp: 1 }), "e30.!!!.sig"])
      expect(readAccessTokenClaims(token)).toBeUndefined();
  });
});
