export { devstackReceiverBasePort, devstackReceiverUrl } from "./devstack-receiver-port.js";
export { decodeOtlpJson } from "./otlp-json.js";
export { decodeOtlpProtobuf } from "./otlp-protobuf.js";
export { type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver.js";
export { OtlpDecodeError, type ReceivedSpan, type SpanKindName } from "./received-span.js";
export { SpanStore, type StoredTrace } from "./span-store.js";
export { formatWaterfall, type WaterfallRow, waterfallRows } from "./waterfall.js";
