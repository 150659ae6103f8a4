export {
  HealthRegistry,
  type HealthRegistryOptions,
  type ReadinessReport,
} from "./health-registry.js";
export { createShutdown, type Shutdown, type ShutdownOptions } from "./shutdown.js";
