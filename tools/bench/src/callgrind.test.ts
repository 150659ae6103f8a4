import { describe, expect, it } from "vitest";
import { instructionsFromEvents } from "./callgrind.js";

describe("instructionsFromEvents", () => {
  it("adds up every thread of `callgrind_control -e` (main, GC, compiler, libuv)", () => {
    const output = [
      "PID 14487: node one.js",
      "",
      "  Totals:         Ir ",
      "   Th 1  489,083,684 ",
      "   Th 2        3,345 ",
      "   Th 3          682 ",
      "",
    ].join("\n");
    expect(instructionsFromEvents(output)).toBe(489_087_711);
  });

  it("refuses an answer with no counts (the process is not under callgrind)", () => {
    expect(() => instructionsFromEvents("PID 1: node\n  No active callgrind runs.\n")).toThrow(
      /no instruction counts/,
    );
  });
});
