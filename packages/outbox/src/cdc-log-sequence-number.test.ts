import { describe, expect, it } from "vitest";
import { formatLsn, parseLsn } from "./cdc-log-sequence-number.js";

describe("log sequence numbers", () => {
  it("reads pg_lsn text and pgoutput's zero-padded form as the same position", () => {
    expect(parseLsn("16/B374D848")).toBe(0x16_b374_d848n);
    expect(parseLsn("00000016/B374D848")).toBe(parseLsn("16/b374d848"));
  });

  it("steps across the 32-bit boundary exactly", () => {
    expect(formatLsn(parseLsn("1/0") - 1n)).toBe("0/FFFFFFFF");
    expect(formatLsn(parseLsn("0/FFFFFFFF") + 1n)).toBe("1/0");
  });

  it("rejects text that is not an LSN", () => {
    expect(() => parseLsn("16-B374D848")).toThrow(/not a Postgres LSN/);
    expect(() => formatLsn(-1n)).toThrow(/out of range/);
  });
});
