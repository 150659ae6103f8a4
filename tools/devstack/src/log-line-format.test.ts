import { describe, expect, it } from "vitest";
import { formatLogLine } from "./log-line-format.js";

describe("formatLogLine", () => {
  it("shortens a pino line to level, message and the interesting fields", () => {
    const line = JSON.stringify({
      level: 30,
      time: 1,
      pid: 2,
      hostname: "h",
      service: "user-service",
      msg: "listening",
      port: 50051,
      config: { A: 1 },
    });
    expect(formatLogLine(line)).toBe('info  listening port=50051 config={"A":1}');
  });

  it("passes through lines that are not JSON", () => {
    expect(formatLogLine("plain text")).toBe("plain text");
    expect(formatLogLine("{broken")).toBe("{broken");
  });
});
