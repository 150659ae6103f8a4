import { spawn } from "node:child_process";
import type { ContainerEngine } from "./container-engine.js";

export interface EngineResult {
  status: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Thrown when an engine command exits non-zero; carries its output for the report. */
export class EngineCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: EngineResult,
  ) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split("\n").slice(-40).join("\n");
    super(`${args.slice(0, 2).join(" ")} … exited ${result.status}:\n${output}`);
    this.name = "EngineCommandError";
  }
}

/**
 * Runs `engine <args>` and resolves with its output. `echo` streams the output to this
 * process's stdout/stderr as it comes (long builds); `check` rejects on a non-zero exit.
 */
export function runEngine(
  engine: ContainerEngine,
  args: readonly string[],
  options: { echo?: boolean; check?: boolean; input?: NodeJS.ReadableStream } = {},
): Promise<EngineResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(engine.command, [...engine.globalArgs, ...args], {
      env: { ...process.env, ...engine.env },
      stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    if (options.input && child.stdin) options.input.pipe(child.stdin);
    child.on("error", reject);
    child.on("close", (status) => {
      const result = { status, stdout, stderr, durationMs: performance.now() - started };
      if (options.check !== false && status !== 0) reject(new EngineCommandError(args, result));
      else resolve(result);
    });
  });
}
