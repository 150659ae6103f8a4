import { isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { decodePageToken, encodePageToken } from "./page-token.js";

const cursor = {
  createTime: new Date("2025-01-02T03:04:05.678Z"),
  userId: "0b6b3c3e-8f5e-4f3a-9d8e-1c2b3a4d5e6f",
};

function pageTokenError(token: string) {
  try {
    decodePageToken(token);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("page token", () => {
  it("round-trips the keyset cursor to the millisecond", () => {
    const token = encodePageToken(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toEqual(cursor);
  });

  it("treats the empty token as the first page", () => {
    expect(decodePageToken("")).toBeUndefined();
  });

  it("rejects anything it did not produce as invalid page_token", () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const token of [
      "not a token!",
      "abc",
      forged({ createTime: 1 }),
      forged([2, cursor.createTime.toISOString(), cursor.userId]),
      forged([1, "yesterday", cursor.userId]),
      forged([1, cursor.createTime.toISOString(), "'; drop table users; --"]),
    ]) {
      const error = pageTokenError(token);
      expect(isDomainError(error) && error.kind, token).toBe("invalid-argument");
      expect(isDomainError(error) && error.fieldViolations[0]?.field).toBe("page_token");
    }
  });
});
