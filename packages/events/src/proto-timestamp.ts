import type { Timestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";

/** A `google.protobuf.Timestamp` (ts-proto shape, int64 as bigint) for a Date, to the millisecond. */
export function protoTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** The Date of a `google.protobuf.Timestamp` (sub-millisecond digits are dropped). */
export function dateFromProtoTimestamp(timestamp: Timestamp): Date {
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000));
}
