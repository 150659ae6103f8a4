import { describe, expect, it } from "vitest";
import { asUnavailableIfConnectionFailure, isConnectionFailure } from "./connection-failure.js";
import { type DomainError, isDomainError, notFound } from "./domain-error.js";

const withCode = (code: string) => Object.assign(new Error(`failed (${code})`), { code });

describe("isConnectionFailure", () => {
  it("recognises socket, driver and SQLSTATE connection codes, also in a cause chain", () => {
    for (const code of ["ECONNREFUSED", "CONNECT_TIMEOUT", "CONNECTION_ENDED", "08001", "57P01"]) {
      expect(isConnectionFailure(withCode(code)), code).toBe(true);
      expect(isConnectionFailure(new Error("Failed query", { cause: withCode(code) })), code).toBe(
        true,
      );
    }
  });

  it("recognises a refused dual-stack connect (AggregateError of one error per address)", () => {
    expect(isConnectionFailure(new AggregateError([withCode("ECONNREFUSED")], "connect"))).toBe(
      true,
    );
  });

  it("leaves query errors, plain errors and non-errors alone", () => {
    for (const error of [
      withCode("23505"),
      withCode("42P01"),
      new TypeError("x"),
      "ECONNREFUSED",
      undefined,
    ]) {
      expect(isConnectionFailure(error)).toBe(false);
    }
  });
});

describe("asUnavailableIfConnectionFailure", () => {
  it("turns a connection failure into an unavailable DomainError keeping the cause, nothing else", () => {
    const failure = withCode("ECONNREFUSED");
    const mapped = asUnavailableIfConnectionFailure(failure);
    expect(isDomainError(mapped) && mapped.kind).toBe("unavailable");
    expect((mapped as DomainError).cause).toBe(failure);
    expect((mapped as DomainError).message).not.toContain("ECONNREFUSED");
    const domain = notFound("no such user");
    expect(asUnavailableIfConnectionFailure(domain)).toBe(domain);
    const bug = new TypeError("undefined is not a function");
    expect(asUnavailableIfConnectionFailure(bug)).toBe(bug);
  });
});
