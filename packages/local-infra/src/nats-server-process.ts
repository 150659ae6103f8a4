import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { probeNats } from "./nats-probe.js";
import { guardAgainstOrphan } from "./orphan-guard.js";

export interface NatsServerOptions {
  port: number;
  storeDir: string;
  /** false: storeDir is deleted when the server stops. Default true. */
  persistent?: boolean;
  /** Path of the binary; default: findNatsServerBinary(). */
  binary?: string;
  readyTimeoutMs?: number;
}

export interface NatsServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The nats-server executable on PATH, else in /usr/sbin (Debian's package puts it there). */
export function findNatsServerBinary(searchPath = process.env.PATH ?? ""): string | undefined {
  const directories = [...searchPath.split(delimiter).filter(Boolean), "/usr/sbin"];
  for (const directory of directories) {
    const candidate = join(directory, "nats-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Spawns `nats-server -js` on 127.0.0.1:port with its JetStream store in storeDir and waits
 * until it accepts connections. stop() sends SIGTERM to that process and waits for it to exit.
 * The server is stopped if this process dies without calling stop().
 */
export async function startNatsServer(options: NatsServerOptions): Promise<NatsServerProcess> {
  const binary = options.binary ?? findNatsServerBinary();
  if (!binary) throw new Error("nats: nats-server was not found on PATH or in /usr/sbin");
  await mkdir(options.storeDir, { recursive: true });
  const args = ["-js", "-a", "127.0.0.1", "-p", String(options.port), "-sd", options.storeDir];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  const output: string[] = [];
  child.stderr?.setEncoding("utf8");
  // Always drained: a full pipe would block the server's logging.
  child.stderr?.on("data", (chunk: string) => {
    output.push(...chunk.trimEnd().split("\n"));
    output.splice(0, Math.max(0, output.length - 20));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let spawnFailure: Error | undefined;
  child.once("error", (error) => {
    spawnFailure = error;
  });
  const describe = () => `${binary} ${args.join(" ")}\n${output.join("\n")}`;

  const timeoutMs = options.readyTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnFailure) throw new Error(`nats: could not run ${binary}: ${spawnFailure.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `nats: nats-server exited (${exitReason(child)}) before accepting connections: ${describe()}`,
      );
    }
    if (await probeNats("127.0.0.1", options.port, 500)) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(
        `nats: nats-server did not accept connections within ${timeoutMs} ms: ${describe()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const pid = child.pid ?? 0;
  const guard = guardAgainstOrphan({
    pid,
    signal: "TERM",
    ...(options.persistent === false ? { removePaths: [options.storeDir] } : {}),
  });
  // The owner stops it; until then it must not keep this process alive on its own.
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();

  return {
    url: `nats://127.0.0.1:${options.port}`,
    pid,
    async stop() {
      guard.disarm();
      await stopChild(child, exited);
      if (options.persistent === false) {
        await rm(options.storeDir, { recursive: true, force: true });
      }
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Unref'd while running; waiting for its exit must keep this process alive.
  child.ref();
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function exitReason(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
}
