/**
 * The gateway's declaration, for starting the REAL gateway in-process with
 * `startConnectService(gateway, { env })` (other packages' tests, the security benchmark).
 * Exported as `@switchyard/gateway/testing`.
 */
export { gatewayConfigShape } from "./config.js";
export { gateway } from "./gateway.js";
