import { secret } from "@switchyard/config";
import { eventsConfigShape } from "@switchyard/events";
import { outboxConfigShape } from "@switchyard/outbox";
import { topologyConfigShape } from "@switchyard/topology";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();

/** Everything order-service reads from its environment, parsed once in main.ts. */
export const orderServiceConfigShape = {
  GRPC_HOST: z.string().min(1).default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  GRPC_PORT: port.default(50052),
  /** Carries the role's password: give it as DATABASE_URL_FILE in real deployments. */
  DATABASE_URL: secret(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// connection URL"),
  ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight calls may finish after SIGTERM before they are cut off. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How long a PlaceOrder idempotency key is remembered. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
  /** Budget for asking user-service about a customer; PlaceOrder fails UNAVAILABLE past it. */
  CUSTOMER_LOOKUP_DEADLINE_MS: positiveMs.default(1_000),
  ...topologyConfigShape,
  /** NATS_URL (required), EVENTS_NAMESPACE: where order events go and user events come from. */
  ...eventsConfigShape,
  ...outboxConfigShape,
  /** mTLS files (or MESH_MODE=linkerd): gRPC never listens or dials in plaintext otherwise. */
  ...workloadIdentityConfigShape,
};

export type OrderServiceConfig = z.infer<z.ZodObject<typeof orderServiceConfigShape>>;
