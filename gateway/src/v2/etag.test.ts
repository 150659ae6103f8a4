import { isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { decodeEtag, encodeEtag } from "./etag.js";

describe("etag", () => {
  it("round-trips a version through an opaque, quote-free token", () => {
    const etag = encodeEtag(42n);
    expect(etag).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(etag).not.toContain("42");
    expect(decodeEtag(etag)).toBe(42n);
    expect(decodeEtag(encodeEtag(9_223_372_036_854_775_807n))).toBe(9_223_372_036_854_775_807n);
  });

  it("changes with the version", () => {
    expect(encodeEtag(1n)).not.toBe(encodeEtag(2n));
  });

  it("rejects empty, hand-made and tampered etags as invalid_argument on the field", () => {
    const forged = (text: string) => Buffer.from(text).toString("base64url");
    for (const etag of [
      "",
      "3",
      'W/"3"',
      forged('W/"0"'),
      forged('"3"'),
      forged('W/"03"'),
      `${encodeEtag(3n)}x`,
      `${encodeEtag(3n)}=`,
    ]) {
      try {
        decodeEtag(etag, "etag");
        expect.unreachable(`accepted ${etag}`);
      } catch (error) {
        expect(isDomainError(error) && error.kind).toBe("invalid-argument");
        expect(isDomainError(error) && error.fieldViolations[0]?.field).toBe("etag");
      }
    }
  });
});
