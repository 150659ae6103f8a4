import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.js";
import { currentRequestId, runWithRequestContext } from "./request-context.js";

function capture(level?: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const logger = createLogger({ service: "user-service", destination, level });
  return { logger, lines };
}

describe("createLogger", () => {
  it("writes JSON lines with the service name, level label and message", () => {
    const { logger, lines } = capture();
    logger.info({ userId: "u1" }, "user created");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: "user-service",
      level: "info",
      msg: "user created",
      userId: "u1",
    });
    expect(typeof lines[0]?.time).toBe("string");
  });

  it("defaults to level info and honours a given level", () => {
    const quiet = capture();
    quiet.logger.debug("hidden");
    expect(quiet.lines).toHaveLength(0);
    const verbose = capture("debug");
    verbose.logger.debug("shown");
    expect(verbose.lines).toHaveLength(1);
  });

  it("adds requestId inside runWithRequestContext and not outside", async () => {
    const { logger, lines } = capture();
    logger.info("before");
    await runWithRequestContext({ requestId: "req-1" }, async () => {
      await sleep(1);
      logger.child({ component: "repo" }).info("inside, after an await");
    });
    logger.info("after");
    expect(lines.map((l) => l.requestId)).toEqual([undefined, "req-1", undefined]);
    expect(lines[1]?.component).toBe("repo");
  });

  it("keeps nested and parallel contexts apart", async () => {
    const { logger, lines } = capture();
    const handle = (requestId: string, delayMs: number) =>
      runWithRequestContext({ requestId }, async () => {
        await sleep(delayMs);
        logger.info(requestId);
        runWithRequestContext({ requestId: `${requestId}-inner` }, () => logger.info("inner"));
        await sleep(delayMs);
        logger.info(requestId);
      });
    await Promise.all([handle("a", 5), handle("b", 1), handle("c", 3)]);
    for (const line of lines) {
      if (line.msg === "inner") expect(String(line.requestId)).toMatch(/^[abc]-inner$/);
      else expect(line.requestId).toBe(line.msg);
    }
    expect(lines).toHaveLength(9);
    expect(currentRequestId()).toBeUndefined();
  });

  it("censors secret-bearing fields at the top level and one level down", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: "p1",
        token: "t1",
        secret: "s1",
        authorization: "Bearer a1",
        headers: { authorization: "Bearer a2", accept: "application/json" },
        user: { password: "p2", name: "ada" },
        session: { token: "t2" },
        key: { secret: "s2" },
      },
      "request",
    );
    const text = JSON.stringify(lines[0]);
    for (const leaked of ["p1", "p2", "t1", "t2", "s1", "s2", "a1", "a2"]) {
      expect(text).not.toContain(leaked);
    }
    expect(lines[0]).toMatchObject({
      password: "[redacted]",
      headers: { authorization: "[redacted]", accept: "application/json" },
      user: { password: "[redacted]", name: "ada" },
    });
  });
});
