import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { type EventNamespace, namespacedSubject, streamNameFor } from "./event-namespace.js";
import { maxStreamReplicas, type StreamDefinition } from "./stream-definition.js";

export interface EnsureStreamOptions {
  /**
   * How many servers keep a copy of every message (`EVENTS_STREAM_REPLICAS`): 1 on a single
   * server, 3 in a cluster so that losing one node loses no acknowledged event. Omitted: a new
   * stream gets 1 and an existing stream keeps the count it has, so a caller that does not
   * know the deployment (a consumer, a tool) never scales a replicated stream down.
   */
  replicas?: number;
}

/**
 * Creates the stream, or updates subjects, duplicate window and (when given) replica count of
 * an existing one, so every replica of a service can call it at start. File storage: events
 * must survive a broker restart.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  stream: StreamDefinition,
  ns: EventNamespace,
  options: EnsureStreamOptions = {},
): Promise<void> {
  const name = streamNameFor(stream, ns);
  const { replicas } = options;
  // Checked before the server is asked: bad input changes nothing.
  if (
    replicas !== undefined &&
    (!Number.isInteger(replicas) || replicas < 1 || replicas > maxStreamReplicas)
  ) {
    throw new RangeError(
      `stream ${name}: replicas must be an integer from 1 to ${maxStreamReplicas}, got ${replicas}`,
    );
  }
  const wanted: WantedSettings = {
    subjects: stream.subjects.map((subject) => namespacedSubject(subject, ns)),
    duplicate_window: nanos(stream.duplicateWindowMs),
    ...(replicas === undefined ? {} : { num_replicas: replicas }),
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

interface WantedSettings {
  subjects: string[];
  duplicate_window: number;
  num_replicas?: number;
}

function sameSettings(existing: StreamConfig, wanted: WantedSettings): boolean {
  return (
    existing.duplicate_window === wanted.duplicate_window &&
    (wanted.num_replicas === undefined || existing.num_replicas === wanted.num_replicas) &&
    existing.subjects.length === wanted.subjects.length &&
    existing.subjects.every((subject, index) => subject === wanted.subjects[index])
  );
}
