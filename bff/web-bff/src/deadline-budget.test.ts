import { describe, expect, it } from "vitest";
import { startDeadlineBudget } from "./deadline-budget.js";

describe("startDeadlineBudget", () => {
  it("counts the configured budget down on one clock", () => {
    let now = 1_000;
    const budget = startDeadlineBudget({ budgetMs: 800, now: () => now });
    expect(budget.deadline).toBe(1_800);
    now += 300;
    expect(budget.remainingMs()).toBe(500);
    now += 900;
    expect(budget.remainingMs()).toBe(0);
  });

  it("shrinks to a shorter caller timeout, keeping time to send the answer", () => {
    const budget = startDeadlineBudget({ budgetMs: 800, callerTimeoutMs: 300, now: () => 0 });
    expect(budget.deadline).toBe(250);
  });

  it("keeps the configured budget when the caller allows more", () => {
    const budget = startDeadlineBudget({ budgetMs: 800, callerTimeoutMs: 5_000, now: () => 0 });
    expect(budget.deadline).toBe(800);
  });

  it("never spends more than half of a very short caller timeout on the margin", () => {
    const budget = startDeadlineBudget({ budgetMs: 800, callerTimeoutMs: 60, now: () => 0 });
    expect(budget.deadline).toBe(30);
  });
});
