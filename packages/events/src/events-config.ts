import { z } from "zod";
import { maxStreamReplicas } from "./stream-definition.js";

/**
 * The config keys every service that publishes or consumes events reads (spread into its
 * config shape, like `topologyConfigShape`).
 */
export const eventsConfigShape = {
  /** The NATS server(s) with JetStream, e.g. nats://127.0.0.1:4222 (comma-separated for several). */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|ws|wss):\/\/\S+$/, "must be a nats:// URL (comma-separate several)"),
  /** Prefix of every subject and stream name: "" except to run isolated copies side by side. */
  EVENTS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "letters, digits, _ and - only")
    .default(""),
  /**
   * Copies of each stream the service creates (`ensureStream`'s `replicas`): 1 on a single
   * server, 3 on a JetStream cluster so one node's loss loses no acknowledged event.
   */
  EVENTS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(maxStreamReplicas).default(1),
};
