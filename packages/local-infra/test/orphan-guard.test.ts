import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort } from "../src/index.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("servers started by a process that dies", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("are stopped and their directories removed even when it is SIGKILLed", async () => {
    const directory = await mkdtemp(join(tmpdir(), "local-infra-orphan-"));
    await chmod(directory, 0o755);
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const storeDir = join(directory, "nats");
    const dataDir = join(directory, "postgres");
    const fixture = join(import.meta.dirname, "fixtures", "start-servers-then-die.ts");
    const args = [String(await findFreePort()), storeDir, String(await findFreePort()), dataDir];

    const output = await new Promise<string>((resolve) => {
      execFile("npx", ["--no-install", "tsx", fixture, ...args], (_error, stdout) =>
        resolve(stdout),
      );
    });
    const pids = output.trim().split(" ").map(Number);

    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pid).toBeGreaterThan(0);
    await waitUntil(
      async () => pids.every((pid) => !isAlive(pid)) && !(await exists(dataDir)),
      10_000,
    );
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await exists(storeDir)).toBe(false);
    expect(await exists(dataDir)).toBe(false);
  });
});
