import { describe, expect, it } from "vitest";
import { HealthRegistry } from "./health-registry.js";

describe("HealthRegistry", () => {
  it("is ready when every check passes, reporting each as ok", async () => {
    const health = new HealthRegistry();
    health.addReadinessCheck("database", async () => {});
    health.addReadinessCheck("nats", async () => {});
    expect(await health.checkReadiness()).toEqual({
      ready: true,
      checks: { database: "ok", nats: "ok" },
    });
  });

  it("is not ready when a check rejects, and reports that check's error message", async () => {
    const health = new HealthRegistry();
    health.addReadinessCheck("database", async () => {});
    health.addReadinessCheck("nats", async () => {
      throw new Error("connection refused");
    });
    expect(await health.checkReadiness()).toEqual({
      ready: false,
      checks: { database: "ok", nats: "connection refused" },
    });
  });

  it("counts a synchronous throw as a failed check", async () => {
    const health = new HealthRegistry();
    health.addReadinessCheck("broken", (() => {
      throw new Error("boom");
    }) as () => Promise<void>);
    expect(await health.checkReadiness()).toEqual({ ready: false, checks: { broken: "boom" } });
  });

  it("counts a check that never settles as failed after the check timeout", async () => {
    const health = new HealthRegistry({ checkTimeoutMs: 50 });
    health.addReadinessCheck("hung", () => new Promise<void>(() => {}));
    const startedAt = Date.now();
    const report = await health.checkReadiness();
    expect(report).toEqual({ ready: false, checks: { hung: "timed out after 50 ms" } });
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it("refuses a second check with the same name", () => {
    const health = new HealthRegistry();
    health.addReadinessCheck("database", async () => {});
    expect(() => health.addReadinessCheck("database", async () => {})).toThrow(
      /already registered/,
    );
  });

  it("is never ready once shutting down, without running the checks", async () => {
    const health = new HealthRegistry();
    let runs = 0;
    health.addReadinessCheck("database", async () => {
      runs += 1;
    });
    health.markShuttingDown();
    expect(health.isShuttingDown).toBe(true);
    expect((await health.checkReadiness()).ready).toBe(false);
    expect(runs).toBe(0);
  });

  it("notifies shutting-down listeners synchronously and only once", () => {
    const health = new HealthRegistry();
    const calls: string[] = [];
    health.onShuttingDown(() => calls.push("first"));
    health.onShuttingDown(() => calls.push("second"));
    health.markShuttingDown();
    expect(calls).toEqual(["first", "second"]);
    health.markShuttingDown();
    expect(calls).toEqual(["first", "second"]);
    health.onShuttingDown(() => calls.push("late"));
    expect(calls).toEqual(["first", "second", "late"]);
  });

  it("still notifies every listener when one throws, then reports the failure", () => {
    const health = new HealthRegistry();
    const calls: string[] = [];
    health.onShuttingDown(() => {
      throw new Error("listener broke");
    });
    health.onShuttingDown(() => calls.push("second"));
    expect(() => health.markShuttingDown()).toThrow(/listener failed/);
    expect(calls).toEqual(["second"]);
    expect(health.isShuttingDown).toBe(true);
  });
});
