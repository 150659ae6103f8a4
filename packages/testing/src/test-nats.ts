import { rm } from "node:fs/promises";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { findFreePort, resolveNats } from "@switchyard/local-infra";
import { scratchDirectory } from "./scratch-directory.js";
import { uniqueName } from "./unique-name.js";

export interface TestNats {
  url: string;
  /** Unique per call: start every stream, KV bucket and subject of the test with it. */
  prefix: string;
  /** Deletes every stream (and so KV bucket) whose name contains prefix. */
  close(): Promise<void>;
}

let shared: Promise<string> | undefined;

/**
 * A NATS server with JetStream for a test: NATS_URL (set by the global setup, or by you) if it
 * answers, else 127.0.0.1:4222, else nats-server from PATH started once per process and
 * stopped (store removed) when the process ends.
 */
export async function createTestNats(): Promise<TestNats> {
  shared ??= resolveSharedNats();
  const url = await shared;
  const prefix = uniqueName("t");
  return { url, prefix, close: () => deleteStreamsNamedWith(url, prefix) };
}

async function resolveSharedNats(): Promise<string> {
  const storeDir = await scratchDirectory("switchyard-test-nats-");
  try {
    const handle = await resolveNats({
      url: process.env.NATS_URL || undefined,
      storeDir,
      port: await findFreePort(),
      persistent: false,
    });
    if (handle.source !== "started") await rm(storeDir, { recursive: true, force: true });
    return handle.url;
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
}

async function deleteStreamsNamedWith(url: string, prefix: string): Promise<void> {
  const connection = await connect({ servers: url });
  try {
    const manager = await jetstreamManager(connection);
    for await (const stream of manager.streams.list()) {
      if (stream.config.name.toLowerCase().includes(prefix)) {
        await manager.streams.delete(stream.config.name);
      }
    }
  } finally {
    await connection.close();
  }
}
