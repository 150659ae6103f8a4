import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ownerScript = fileURLToPath(new URL("./support/cluster-owner-process.ts", import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it("a drill process killed with SIGKILL takes its nats-server nodes and their stores with it", async () => {
  const owner = spawn(
    process.execPath,
    ["--conditions=switchyard-source", "--import", "tsx", ownerScript],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // Its errors, for the failure message (a CI log keeps only a failure's first lines).
  let errors = "";
  owner.stderr.setEncoding("utf8");
  owner.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  const started = await new Promise<{ pids: number[]; directories: string[] }>(
    (resolve, reject) => {
      let output = "";
      owner.stdout.setEncoding("utf8");
      owner.stdout.on("data", (chunk: string) => {
        output += chunk;
        if (output.includes("\n")) resolve(JSON.parse(output.split("\n")[0] as string));
      });
      owner.once("close", (code) => {
        const fatal = errors.split("\n").filter((line) => /\[FTL\]|Error/.test(line));
        reject(new Error(`cluster owner exited early (${code}): ${fatal.join(" / ") || errors}`));
      });
    },
  );
  expect(started.pids).toHaveLength(3);
  expect(started.pids.every(isAlive)).toBe(true);

  owner.kill("SIGKILL");
  const deadline = Date.now() + 20_000;
  while (started.pids.some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(started.pids.filter(isAlive)).toEqual([]);
  // The guards remove each store once its server has exited.
  for (const directory of started.directories) {
    await expect
      .poll(
        () =>
          access(directory).then(
            () => "still there",
            () => "removed",
          ),
        { timeout: 10_000 },
      )
      .toBe("removed");
  }
}, 60_000);
