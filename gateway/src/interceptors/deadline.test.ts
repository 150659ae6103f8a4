import { describe, expect, it } from "vitest";
import { callerTimeoutMs } from "./deadline.js";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("callerTimeoutMs", () => {
  it("reads Connect's connect-timeout-ms", () => {
    expect(callerTimeoutMs(headers({ "connect-timeout-ms": "250" }))).toBe(250);
  });

  it("reads gRPC's grpc-timeout in every unit", () => {
    expect(callerTimeoutMs(headers({ "grpc-timeout": "2S" }))).toBe(2_000);
    expect(callerTimeoutMs(headers({ "grpc-timeout": "1M" }))).toBe(60_000);
    expect(callerTimeoutMs(headers({ "grpc-timeout": "1H" }))).toBe(3_600_000);
    expect(callerTimeoutMs(headers({ "grpc-timeout": "150m" }))).toBe(150);
    expect(callerTimeoutMs(headers({ "grpc-timeout": "2500u" }))).toBe(3);
    expect(callerTimeoutMs(headers({ "grpc-timeout": "10n" }))).toBe(1);
  });

  it("ignores missing and malformed values (the default applies)", () => {
    expect(callerTimeoutMs(headers({}))).toBeUndefined();
    expect(callerTimeoutMs(headers({ "connect-timeout-ms": "-5" }))).toBeUndefined();
    expect(callerTimeoutMs(headers({ "grpc-timeout": "5 seconds" }))).toBeUndefined();
  });
});
