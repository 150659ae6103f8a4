import { describe, expect, it } from "vitest";
import { parseBenchOptions } from "./bench-options.js";

describe("parseBenchOptions", () => {
  it("defaults to 50 in flight, 10 s warm-up, 3 runs of 5 s, every scenario", () => {
    expect(parseBenchOptions([])).toEqual({
      concurrency: 50,
      seconds: 5,
      warmupSeconds: 10,
      repeats: 3,
      scenarios: new Set(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]),
    });
  });

  it("selects scenarios and refuses unknown ones", () => {
    expect(parseBenchOptions(["--scenarios", "e,F"])).toMatchObject({
      scenarios: new Set(["e", "f"]),
    });
    expect(() => parseBenchOptions(["--scenarios", "a,z"])).toThrow(/--scenarios/);
  });

  it("takes flags and names a bad one", () => {
    expect(parseBenchOptions(["--concurrency", "8", "--warmup", "0"])).toMatchObject({
      concurrency: 8,
      warmupSeconds: 0,
    });
    expect(() => parseBenchOptions(["--repeats", "0"])).toThrow(
      '--repeats must be an integer >= 1, got "0"',
    );
  });
});
