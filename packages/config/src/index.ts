export { ConfigError, type ConfigProblem } from "./config-error.js";
export { loadConfig, loadConfigOrExit } from "./load-config.js";
export { redactConfig } from "./redact-config.js";
export { isSecret, secret } from "./secret.js";
