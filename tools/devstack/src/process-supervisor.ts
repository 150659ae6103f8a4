import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { formatLogLine } from "./log-line-format.js";

interface Supervised {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Runs the components as child processes: their output goes, shortened, to the terminal with a
 * name prefix, and in full (JSON) to `<logDir>/<name>.log`. Stops them in reverse start order.
 */
export class ProcessSupervisor {
  private readonly running: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly options: {
      cwd: string;
      logDir: string;
      print: (line: string) => void;
      /** Called when a component exits while the stack is not stopping. */
      onUnexpectedExit: (name: string, code: number | null) => void;
    },
  ) {
    mkdirSync(options.logDir, { recursive: true });
    // Last resort if the devstack itself dies: leave no orphans behind.
    process.once("exit", () => {
      for (const { child } of this.running) if (child.exitCode === null) child.kill("SIGKILL");
    });
  }

  start(name: string, entry: string, env: Record<string, string>): void {
    const child = spawn(process.execPath, ["--enable-source-maps", entry], {
      cwd: this.options.cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: Ctrl-C reaches only the devstack, which then stops the components
      // in order instead of all at once.
      detached: true,
    });
    const logFile = createWriteStream(join(this.options.logDir, `${name}.log`), { flags: "a" });
    const prefix = `[${name}]`.padEnd(16);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        logFile.write(`${line}\n`);
        this.options.print(`${prefix} ${formatLogLine(line)}`);
      });
    }
    const exited = new Promise<number | null>((resolve) => {
      child.on("exit", (code, signal) => {
        logFile.end();
        resolve(code ?? (signal ? 128 : null));
        if (!this.stopping) this.options.onUnexpectedExit(name, code);
      });
    });
    this.running.push({ name, child, exited });
  }

  /** SIGTERM each component (last started first) and waits; SIGKILL after `graceMs`. */
  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const { name, child, exited } of [...this.running].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      this.options.print(`devstack: stopping ${name} (pid ${child.pid})`);
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        this.options.print(`devstack: ${name} did not stop within ${graceMs} ms, killing it`);
        child.kill("SIGKILL");
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      this.options.print(`devstack: ${name} exited with code ${code}`);
    }
  }
}
