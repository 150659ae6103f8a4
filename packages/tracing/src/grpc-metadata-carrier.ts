import type * as grpc from "@grpc/grpc-js";
import type { TextMapGetter, TextMapSetter } from "@opentelemetry/api";

/** Reads W3C trace context (`traceparent`, `tracestate`) from gRPC metadata. */
export const grpcMetadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).map((value) => value.toString());
    return values.length === 0 ? undefined : values;
  },
};

/** Writes W3C trace context into gRPC metadata, replacing what was there. */
export const grpcMetadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};
