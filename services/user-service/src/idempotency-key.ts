import type { Metadata } from "@grpc/grpc-js";

/** The metadata entry a client sets to make RegisterUser safe to retry. */
export const idempotencyKeyHeader = "idempotency-key";

/** The call's idempotency key, or undefined when the client sent none (runIdempotent validates it). */
export function idempotencyKeyOf(metadata: Metadata): string | undefined {
  const [value] = metadata.get(idempotencyKeyHeader);
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.toString("utf8");
}
