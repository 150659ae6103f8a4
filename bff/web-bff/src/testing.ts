/**
 * web-bff's declaration, for starting the REAL web-bff in-process with
 * `startConnectService(webBff, { env })` (e.g. the gateway's end-to-end tests). Exported as
 * `@switchyard/web-bff/testing`; nothing else of the BFF is public.
 */
export { webBffConfigShape } from "./config.js";
export { webBff } from "./web-bff.js";
