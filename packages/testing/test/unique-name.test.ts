import { describe, expect, it } from "vitest";
import { uniqueName } from "../src/index.js";

describe("uniqueName", () => {
  it("is unique per call and safe as a database or stream name", () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName("Order-Service.v1")));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^order_service_v1_[a-z0-9]+_[a-z0-9]+$/);
  });

  it("starts with a letter and stays within Postgres' identifier length", () => {
    const name = uniqueName(`9${"x".repeat(80)}`);
    expect(name).toMatch(/^t9x/);
    expect(name.length).toBeLessThanOrEqual(50);
  });
});
