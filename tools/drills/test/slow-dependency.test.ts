import { describe, expect, it } from "vitest";
import { runSlowDependency } from "../src/drills/slow-dependency.js";
import { runShortDrill } from "./support/short-drill.js";

describe("slow-dependency --short", () => {
  it("delays user-service's answers to web-bff 2 s: dashboards answer 200 within the budget with the profile degraded, order reads are unaffected", async () => {
    const { table, passed, value } = await runShortDrill(runSlowDependency);

    expect(passed, table).toBe(true);
    expect(String(value("dashboards while slow: degraded (section)"))).toContain("profile");
  }, 120_000);
});
