import { connect } from "node:net";

/** What a NATS server says about itself in the INFO line it sends on connect. */
export interface NatsServerInfo {
  version?: string;
  jetstream?: boolean;
}

/**
 * Connects to host:port and reads the INFO line a NATS server sends first. Resolves the parsed
 * INFO, or undefined when nothing (or something that is not NATS) answers within timeoutMs.
 * A raw TCP read is enough to tell "a NATS server is there" without pulling in the client.
 */
export function probeNats(
  host: string,
  port: number,
  timeoutMs = 1500,
): Promise<NatsServerInfo | undefined> {
  return new Promise((resolve) => {
    let received = "";
    const socket = connect({ host, port });
    const finish = (info: NatsServerInfo | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
    socket.on("data", (chunk: string) => {
      received += chunk;
      const end = received.indexOf("\r\n");
      if (end === -1 && received.length < 64 * 1024) return;
      const line = end === -1 ? received : received.slice(0, end);
      finish(parseInfoLine(line));
    });
  });
}

function parseInfoLine(line: string): NatsServerInfo | undefined {
  if (!line.startsWith("INFO ")) return undefined;
  try {
    return JSON.parse(line.slice(5)) as NatsServerInfo;
  } catch {
    return undefined;
  }
}

/** Host and port of a NATS URL ("nats://host:port", "host:port"; first entry of a list). */
export function natsHostPort(url: string): { host: string; port: number } {
  const first = url.split(",")[0]?.trim() ?? "";
  const parsed = new URL(first.includes("://") ? first : `nats://${first}`);
  return { host: parsed.hostname || "127.0.0.1", port: Number(parsed.port || 4222) };
}
