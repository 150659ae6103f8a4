import type { Timestamp as InternalTimestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";

/** An internal (ts-proto) Timestamp as a protobuf-es Timestamp init; both are {seconds, nanos}. */
export function toPublicTimestamp(
  timestamp: InternalTimestamp | undefined,
): { seconds: bigint; nanos: number } | undefined {
  return timestamp === undefined
    ? undefined
    : { seconds: timestamp.seconds, nanos: timestamp.nanos };
}
