import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { type EventNamespace, namespacedSubject, streamNameFor } from "./event-namespace.js";
import type { StreamDefinition } from "./stream-definition.js";

/**
 * Creates the stream, or updates subjects and duplicate window of an existing one, so every
 * replica can call it at start. File storage: events must survive a broker restart.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  stream: StreamDefinition,
  ns: EventNamespace,
): Promise<void> {
  const name = streamNameFor(stream, ns);
  const wanted = {
    subjects: stream.subjects.map((subject) => namespacedSubject(subject, ns)),
    duplicate_window: nanos(stream.duplicateWindowMs),
  };
  for (let attempt = 0; ; attempt++) {
    const existing = await streamConfig(jsm, name);
    try {
      if (!existing) {
        await jsm.streams.add({ name, storage: StorageType.File, ...wanted });
      } else if (!sameSettings(existing, wanted)) {
        await jsm.streams.update(name, { ...existing, ...wanted });
      }
      return;
    } catch (error) {
      // Two replicas starting together: the loser's add fails because the stream now exists.
      if (attempt < 2 && !existing) continue;
      throw new Error(`could not create or update stream ${name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

async function streamConfig(
  jsm: JetStreamManager,
  name: string,
): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      return undefined;
    }
    throw error;
  }
}

function sameSettings(
  existing: StreamConfig,
  wanted: { subjects: string[]; duplicate_window: number },
): boolean {
  return (
    existing.duplicate_window === wanted.duplicate_window &&
    existing.subjects.length === wanted.subjects.length &&
    existing.subjects.every((subject, index) => subject === wanted.subjects[index])
  );
}
