import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export interface EntryPointOptions {
  /** A TypeScript source (run with tsx and the switchyard-source condition) or a built .js file. */
  entry: string;
  /**
   * The child's whole environment, plus PATH: a test states everything the process reads
   * (spread process.env into it to inherit).
   */
  env: Record<string, string | undefined>;
  /** Working directory; entry is resolved against it. Default: this process's. */
  cwd?: string;
}

export interface SpawnEntryPointOptions extends EntryPointOptions {
  /** The process is ready once a line of its output contains this string or matches this. */
  readyLine: RegExp | string;
  /** How long to wait for readyLine (default 30 s); the process is killed after it. */
  timeoutMs?: number;
}

export interface RunningEntryPoint {
  child: ChildProcess;
  /** The line that matched readyLine (e.g. a JSON log line carrying the port). */
  matchedLine: string;
  /** Everything written to stdout and stderr so far, interleaved as it arrived. */
  output(): string;
  /** The first line (already printed or still to come) matching pattern; rejects on exit or timeout. */
  waitForLine(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /**
   * Sends signal (default SIGTERM) and resolves with the exit code; SIGKILL after graceMs
   * (default 15 s). An exited process is left alone.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/**
 * Starts a Node entry point as its own process, captures its output, and resolves once a line
 * matches readyLine. Rejects, with the captured output, if the process exits first or the line
 * does not come within timeoutMs (the process is then killed).
 */
export async function spawnEntryPoint(options: SpawnEntryPointOptions): Promise<RunningEntryPoint> {
  const running = startProcess(options);
  try {
    const matchedLine = await running.waitForLine(options.readyLine, options.timeoutMs ?? 30_000);
    return { ...running, matchedLine };
  } catch (error) {
    await running.stop("SIGKILL");
    throw error;
  }
}

/**
 * Runs an entry point that is expected to end by itself (bad configuration, a command) and
 * resolves with its exit code and output; rejects if it is still running after timeoutMs.
 */
export async function runEntryPoint(
  options: EntryPointOptions & { timeoutMs?: number },
): Promise<{ code: number | null; output: string }> {
  const running = startProcess(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((done) => {
    timer = setTimeout(() => done("timeout"), timeoutMs);
  });
  const code = await Promise.race([running.exited, timedOut]);
  clearTimeout(timer);
  if (code === "timeout") {
    await running.stop("SIGKILL");
    throw new Error(`${options.entry} still running after ${timeoutMs} ms:\n${running.output()}`);
  }
  return { code, output: running.output() };
}

function startProcess(options: EntryPointOptions): Omit<RunningEntryPoint, "matchedLine"> {
  const cwd = options.cwd ?? process.cwd();
  const entry = resolve(cwd, options.entry);
  const loader = entry.endsWith(".ts") ? ["--import", "tsx", "--conditions=switchyard-source"] : [];
  const child = spawn(process.execPath, [...loader, entry], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const capture = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  // "close" (not "exit"): all output has been read by then.
  const exited = new Promise<number | null>((done) => {
    child.once("close", (code) => done(code));
    child.once("error", (error) => {
      output += `\n${error.message}\n`;
      done(null);
    });
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });

  const waitForLine = (pattern: RegExp | string, timeoutMs = 30_000) =>
    new Promise<string>((found, fail) => {
      const matches = (line: string) =>
        typeof pattern === "string" ? line.includes(pattern) : pattern.test(line);
      let timer: NodeJS.Timeout | undefined;
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        child.stdout?.off("data", look);
        child.stderr?.off("data", look);
        settle();
      };
      const look = () => {
        const lines = output.split("\n");
        // The last piece is a line still being written, unless the process has ended.
        if (!ended) lines.pop();
        const line = lines.find(matches);
        if (line !== undefined) finish(() => found(line));
      };
      timer = setTimeout(
        () =>
          finish(() =>
            fail(
              new Error(
                `${options.entry}: no line matching ${pattern} within ${timeoutMs} ms:\n${output}`,
              ),
            ),
          ),
        timeoutMs,
      );
      // Listeners added after capture's, so output already holds the new chunk.
      child.stdout?.on("data", look);
      child.stderr?.on("data", look);
      void exited.then((code) => {
        look();
        finish(() =>
          fail(
            new Error(
              `${options.entry} exited (code ${code}) before printing ${pattern}:\n${output}`,
            ),
          ),
        );
      });
      look();
    });

  return {
    child,
    output: () => output,
    waitForLine,
    exited,
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (ended) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
