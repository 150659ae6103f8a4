import { spawn, spawnSync } from "node:child_process";

/** What `promtool check metrics` said about one scrape. */
export interface PromtoolVerdict {
  /** 0 clean, 3 lint problems, 1 parse error (promtool's exit codes). */
  exitCode: number;
  /** Its stdout and stderr: the problems it found, one a line. */
  output: string;
}

/** Why a missing promtool skips (outside CI) — names the package that ships it. */
export const promtoolMissingMessage =
  "promtool not found: install it with `apt-get install prometheus` (Debian's package ships promtool); .ci/run does this in CI";

/**
 * The promtool binary, or undefined when it is missing outside CI (the test then skips with
 * `promtoolMissingMessage`). In CI (CI=true) a missing promtool throws: the proof must run.
 */
export function findPromtool(
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const found = spawnSync("promtool", ["--version"], { stdio: "ignore" });
  if (found.error === undefined && found.status === 0) return "promtool";
  if (env.CI === "true") throw new Error(`CI=true and ${promtoolMissingMessage}`);
  return undefined;
}

/** Pipes a scrape through `promtool check metrics` (it reads the exposition from stdin). */
export function promtoolCheckMetrics(
  scrape: string,
  promtool = "promtool",
): Promise<PromtoolVerdict> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ exitCode: code ?? -1, output }));
    child.stdin.end(scrape);
  });
}
