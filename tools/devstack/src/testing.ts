/**
 * For other packages' tests (the web app's browser tests): run the real devstack as a process.
 * Exported as `@switchyard/devstack/testing`.
 */
export { type RunningDevstack, startDevstack } from "./testing/running-devstack.js";
