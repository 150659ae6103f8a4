import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createShutdown } from "./shutdown.js";

interface LogLine {
  level: number;
  msg: string;
  step?: string;
  durationMs?: number;
  reason?: string;
}

function capturingLogger() {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

function fakeExit() {
  const codes: number[] = [];
  return { codes, exit: (code: number) => void codes.push(code) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createShutdown", () => {
  it("runs steps in the order added, logs each with its duration, then exits 0", async () => {
    const { logger, lines } = capturingLogger();
    const { codes, exit } = fakeExit();
    const shutdown = createShutdown({ logger, deadlineMs: 1000, exit });
    const order: string[] = [];
    shutdown.addStep("stop accepting", () => void order.push("stop accepting"));
    shutdown.addStep("drain", async () => {
      await sleep(30);
      order.push("drain");
    });
    shutdown.addStep("close pool", async () => void order.push("close pool"));

    await shutdown.run("test");

    expect(order).toEqual(["stop accepting", "drain", "close pool"]);
    expect(codes).toEqual([0]);
    const finished = lines.filter((l) => l.msg === "shutdown step finished");
    expect(finished.map((l) => l.step)).toEqual(["stop accepting", "drain", "close pool"]);
    expect(finished[1]?.durationMs).toBeGreaterThanOrEqual(25);
  });

  it("logs a failing step, still runs the next one, and exits 1", async () => {
    const { logger, lines } = capturingLogger();
    const { codes, exit } = fakeExit();
    const shutdown = createShutdown({ logger, deadlineMs: 1000, exit });
    const order: string[] = [];
    shutdown.addStep("drain nats", async () => {
      throw new Error("nats already closed");
    });
    shutdown.addStep("close pool", () => void order.push("close pool"));

    await shutdown.run("test");

    expect(order).toEqual(["close pool"]);
    const failed = lines.find((l) => l.msg === "shutdown step failed");
    expect(failed?.step).toBe("drain nats");
    expect(JSON.stringify(failed)).toContain("nats already closed");
    expect(codes).toEqual([1]);
  });

  it("exits 1 at the deadline with a log line naming the step that hung", async () => {
    const { logger, lines } = capturingLogger();
    const { codes, exit } = fakeExit();
    const shutdown = createShutdown({ logger, deadlineMs: 100, exit });
    let laterStepRan = false;
    shutdown.addStep("quick", () => {});
    shutdown.addStep("drain in-flight calls", () => new Promise<void>(() => {}));
    shutdown.addStep("later", () => {
      laterStepRan = true;
    });

    const startedAt = Date.now();
    await shutdown.run("test");

    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(codes).toEqual([1]);
    expect(laterStepRan).toBe(false);
    const deadlineLine = lines.find((l) => l.msg.includes("deadline"));
    expect(deadlineLine?.msg).toContain('"drain in-flight calls"');
    expect(deadlineLine?.step).toBe("drain in-flight calls");
  });

  it("runs only once when asked twice, logging the second request", async () => {
    const { logger, lines } = capturingLogger();
    const { codes, exit } = fakeExit();
    const shutdown = createShutdown({ logger, deadlineMs: 1000, exit });
    let runs = 0;
    shutdown.addStep("count", async () => {
      runs += 1;
      await sleep(20);
    });

    const first = shutdown.run("SIGTERM");
    const second = shutdown.run("SIGINT");
    await Promise.all([first, second]);

    expect(runs).toBe(1);
    expect(codes).toEqual([0]);
    expect(lines.some((l) => l.msg.includes("already in progress") && l.reason === "SIGINT")).toBe(
      true,
    );
  });

  describe("listen", () => {
    const before = new Map<string, Array<(...args: unknown[]) => void>>();
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      before.set(signal, process.listeners(signal) as Array<(...args: unknown[]) => void>);
    }
    afterEach(() => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        for (const listener of process.listeners(signal)) {
          if (!before.get(signal)?.includes(listener as (...args: unknown[]) => void)) {
            process.removeListener(signal, listener);
          }
        }
      }
    });

    it("starts the shutdown on SIGTERM and ignores (and logs) a second signal", async () => {
      const { logger, lines } = capturingLogger();
      const { codes, exit } = fakeExit();
      const shutdown = createShutdown({ logger, deadlineMs: 1000, exit });
      let runs = 0;
      shutdown.addStep("count", async () => {
        runs += 1;
        await sleep(20);
      });
      shutdown.listen();
      shutdown.listen(); // installing twice must not double the handlers

      process.emit("SIGTERM");
      process.emit("SIGINT");
      await sleep(100);

      expect(runs).toBe(1);
      expect(codes).toEqual([0]);
      expect(lines.find((l) => l.msg === "shutting down")?.reason).toBe("SIGTERM");
      expect(
        lines.some((l) => l.msg.includes("already in progress") && l.reason === "SIGINT"),
      ).toBe(true);
    });
  });
});
