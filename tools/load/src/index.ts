export { type ConnectCallOptions, type ConnectOutcome, callConnectJson } from "./connect-json.js";
export {
  type CallRecord,
  createLatencyRecorder,
  type LatencyRecorder,
  median,
  type OperationStats,
  percentile,
} from "./latency-recorder.js";
export { createProgressLine, type ProgressLine } from "./progress-line.js";
export { type Endpoint, findMissingEndpoints, requireRunningStack } from "./stack-check.js";
export { formatMs, formatTable } from "./text-table.js";
