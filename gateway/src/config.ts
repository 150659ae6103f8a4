import { endUserAuthConfigShape } from "@switchyard/end-user-auth";
import { topologyConfigShape } from "@switchyard/topology";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const httpDate = z
  .string()
  .refine(
    (value) =>
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    "must be an HTTP date (RFC 9110 IMF-fixdate), e.g. Fri, 28 May 2027 00:00:00 GMT",
  );

/** Everything the gateway reads from its environment, parsed once in main.ts. */
export const gatewayConfigShape = {
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  GATEWAY_PORT: port.default(8080),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight calls may finish after SIGTERM before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Downstream deadline when the caller sends no timeout. */
  DEFAULT_DEADLINE_MS: positiveMs.default(5_000),
  /** Longest downstream deadline, whatever timeout the caller asks for. */
  MAX_DEADLINE_MS: positiveMs.default(30_000),
  /** Largest request message accepted; larger ones get resource_exhausted. */
  MAX_BODY_BYTES: positiveMs.default(1024 * 1024),
  /** When v1 was deprecated (RFC 9745 `Deprecation` header on every v1 response). */
  V1_DEPRECATED_AT: httpDate.default("Sun, 01 Nov 2026 00:00:00 GMT"),
  /** When v1 stops answering (RFC 8594 `Sunset` header on every v1 response). */
  V1_SUNSET: httpDate.default("Sat, 01 May 2027 00:00:00 GMT"),
  ...topologyConfigShape,
  /** mTLS files (or MESH_MODE=linkerd) for calling the services. */
  ...workloadIdentityConfigShape,
  /** End users' JWT access tokens: JWT_ISSUER, JWT_AUDIENCE, JWKS_URL or JWKS_FILE, … */
  ...endUserAuthConfigShape,
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayConfigShape>>;
