import { createFileRegistry, type FileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { readDescriptorSet } from "@switchyard/contracts/descriptors";

/**
 * How a client retries: only on UNAVAILABLE (the call did not reach a handler that could have
 * acted: a replica draining, restarting or unreachable), at most 3 attempts with a short
 * jittered backoff, and throttled per target — once more than half the token bucket is spent
 * on failures, retries stop until successes refill it, so an outage is not multiplied by 3.
 */
export const retryPolicy = {
  maxAttempts: 3,
  initialBackoff: "0.05s",
  maxBackoff: "0.5s",
  backoffMultiplier: 2,
  retryableStatusCodes: ["UNAVAILABLE"],
} as const;

export const retryThrottling = { maxTokens: 10, tokenRatio: 0.1 } as const;

let contracts: FileRegistry | undefined;

/**
 * The methods of `serviceName` whose contract says they are safe to run twice: the proto marks
 * them `idempotency_level = NO_SIDE_EFFECTS` (reads) or `IDEMPOTENT`. Read from the contracts'
 * descriptor set, so a new read method is retried without anyone listing it here.
 */
export function methodsSafeToRetry(serviceName: string): string[] {
  contracts ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, readDescriptorSet()));
  const service = contracts.getService(serviceName);
  if (service === undefined) return [];
  return service.methods
    .filter(
      (method) =>
        method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
        method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT,
    )
    .map((method) => method.name);
}

/**
 * The grpc-js service config of a client of `serviceName`: round_robin over every address the
 * target resolves to, `retryPolicy` for `retriedMethods`, and `retryThrottling`.
 */
export function clientServiceConfig(serviceName: string, retriedMethods: string[]) {
  return {
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig:
      retriedMethods.length === 0
        ? []
        : [
            {
              name: retriedMethods.map((method) => ({ service: serviceName, method })),
              retryPolicy,
            },
          ],
    retryThrottling,
  };
}
