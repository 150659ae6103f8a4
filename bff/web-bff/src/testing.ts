/**
 * What other packages' tests need to run a REAL web-bff in-process (e.g. the gateway's
 * end-to-end tests): the server factory exactly as main.ts uses it. Exported as
 * `@switchyard/web-bff/testing`; nothing else of the BFF is public.
 */
export { createWebBffServer, type WebBffDependencies } from "./web-bff-server.js";
