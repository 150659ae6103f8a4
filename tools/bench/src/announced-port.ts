import type { ChildProcess } from "node:child_process";

/**
 * The port a benchmark child process prints as `{"port": N}` once it listens; rejects with
 * `label` and everything the child printed if it exits first or says nothing within 30 s.
 */
export function announcedPort(child: ChildProcess, label: string): Promise<number> {
  let output = "";
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail("did not start within 30 s"), 30_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${label} ${why}:\n${output}`));
    };
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      const line = output.split("\n").find((candidate) => candidate.startsWith('{"port":'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => fail(`exited with code ${code}`));
  });
}
