export type { DestinationStream, Logger } from "pino";
export { createLogger, type LoggerOptions, redactedPaths } from "./create-logger.js";
export { currentRequestId, type RequestContext, runWithRequestContext } from "./request-context.js";
export { RequestScopeContextManager } from "./request-scope-context-manager.js";
