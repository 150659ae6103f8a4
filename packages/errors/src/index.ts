export * from "./connection-failure.js";
export * from "./domain-error.js";
export * from "./status-code.js";
