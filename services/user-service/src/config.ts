import { secret } from "@switchyard/config";
import { eventsConfigShape } from "@switchyard/events";
import { outboxConfigShape } from "@switchyard/outbox";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

/** Everything user-service reads from its environment, parsed once in main.ts. */
export const userServiceConfigShape = {
  GRPC_HOST: z.string().default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  GRPC_PORT: port.default(50051),
  /** Carries the role's password: give it as DATABASE_URL_FILE in real deployments. */
  DATABASE_URL: secret(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// connection URL"),
  ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight calls may finish after SIGTERM before they are cut off. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How long a RegisterUser idempotency key is remembered. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
  ...eventsConfigShape,
  ...outboxConfigShape,
  /** mTLS files (or MESH_MODE=linkerd): gRPC never listens in plaintext otherwise. */
  ...workloadIdentityConfigShape,
};

export type UserServiceConfig = z.infer<z.ZodObject<typeof userServiceConfigShape>>;
