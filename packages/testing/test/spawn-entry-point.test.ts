import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEntryPoint, spawnEntryPoint } from "../src/index.js";

const fixtures = join(import.meta.dirname, "fixtures");
const entry = "entry-point.ts";

describe("spawnEntryPoint", () => {
  it("resolves on the ready line (whole, even when written in pieces) and stops by signal with the exit code", async () => {
    const running = await spawnEntryPoint({
      entry,
      cwd: fixtures,
      env: { FIXTURE_MODE: "serve" },
      readyLine: '"fixture listening"',
    });
    expect(JSON.parse(running.matchedLine)).toEqual({ msg: "fixture listening", port: 4001 });

    expect(await running.stop("SIGTERM")).toBe(0);
    expect(await running.waitForLine(/^draining$/)).toBe("draining");
    expect(running.output()).toContain("draining");
  });

  it("rejects with the captured output when the process exits before it is ready", async () => {
    await expect(
      spawnEntryPoint({
        entry,
        cwd: fixtures,
        env: { FIXTURE_MODE: "exit-78" },
        readyLine: "listening",
      }),
    ).rejects.toThrow(/exited \(code 78\)[\s\S]*GRPC_PORT: expected a number/);
  });

  it("rejects and kills the process when the ready line does not come in time", async () => {
    await expect(
      spawnEntryPoint({
        entry,
        cwd: fixtures,
        env: {},
        readyLine: "never printed",
        timeoutMs: 1_500,
      }),
    ).rejects.toThrow(/no line matching never printed within 1500 ms[\s\S]*fixture listening/);
  });

  it("kills a process that ignores the signal once the grace period is over", async () => {
    const running = await spawnEntryPoint({
      entry,
      cwd: fixtures,
      env: { FIXTURE_MODE: "ignore-sigterm" },
      readyLine: /listening/,
    });
    expect(await running.stop("SIGTERM", 500)).toBeNull();
    expect(running.child.signalCode).toBe("SIGKILL");
  });

  it("passes exactly the given environment (plus PATH)", async () => {
    process.env.SPAWN_ENTRY_POINT_LEAK = "leaked";
    try {
      const { code, output } = await runEntryPoint({
        entry: join(fixtures, "print-env.mjs"),
        env: { ONLY_THIS: "yes" },
      });
      expect(code).toBe(0);
      expect(JSON.parse(output)).toEqual(["ONLY_THIS", "PATH"]);
    } finally {
      delete process.env.SPAWN_ENTRY_POINT_LEAK;
    }
  });
});

describe("runEntryPoint", () => {
  it("resolves with the exit code and output of a process that ends by itself", async () => {
    const { code, output } = await runEntryPoint({
      entry,
      cwd: fixtures,
      env: { FIXTURE_MODE: "exit-78" },
    });
    expect(code).toBe(78);
    expect(output).toContain("GRPC_PORT: expected a number");
  });
});
