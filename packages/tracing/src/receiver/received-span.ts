/** A span as the local receiver keeps it: decoded from OTLP (json or protobuf), flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKindName;
  /** The resource's `service.name` (the process that recorded it). */
  service: string;
  /** Unix epoch milliseconds (fractional). */
  startMs: number;
  endMs: number;
  status: "unset" | "ok" | "error";
  statusMessage: string;
  attributes: Record<string, string | number | boolean>;
}

export type SpanKindName =
  | "unspecified"
  | "internal"
  | "server"
  | "client"
  | "producer"
  | "consumer";

/** OTLP's SpanKind numbers (0 … 5) as names. */
export const spanKindNames: readonly SpanKindName[] = [
  "unspecified",
  "internal",
  "server",
  "client",
  "producer",
  "consumer",
];

/** OTLP's status codes (0 unset, 1 ok, 2 error). */
export const statusNames = ["unset", "ok", "error"] as const;

/** Bad OTLP input: the receiver answers 400 with this message. */
export class OtlpDecodeError extends Error {
  override name = "OtlpDecodeError";
}
