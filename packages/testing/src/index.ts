export { type DelayingProxy, startDelayingProxy } from "./delaying-proxy.js";
export { postgresAdminUrl } from "./postgres-admin-url.js";
export {
  type EntryPointOptions,
  type RunningEntryPoint,
  runEntryPoint,
  type SpawnEntryPointOptions,
  spawnEntryPoint,
} from "./spawn-entry-point.js";
export { createTestDatabase, type TestDatabase } from "./test-database.js";
export {
  startTestInfrastructure,
  type TestInfrastructure,
  type TestInfrastructureOptions,
} from "./test-infrastructure.js";
export { createTestNats, type TestNats } from "./test-nats.js";
export { uniqueName } from "./unique-name.js";
export { untilEachServesChange } from "./until-each-serves.js";
