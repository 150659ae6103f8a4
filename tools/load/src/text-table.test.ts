import { describe, expect, it } from "vitest";
import { formatTable } from "./text-table.js";

describe("formatTable", () => {
  it("pads columns, right-aligns numbers and rules the header", () => {
    expect(
      formatTable(
        ["operation", "calls", "p50 ms"],
        [
          ["PlaceOrder v1", "120", "4.2"],
          ["GetDashboard (BFF)", "7", "12.0"],
        ],
      ),
    ).toBe(
      [
        "operation           calls  p50 ms",
        "------------------  -----  ------",
        "PlaceOrder v1         120     4.2",
        "GetDashboard (BFF)      7    12.0",
      ].join("\n"),
    );
  });
});
