export {
  defaultPostgresFlags,
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  startEmbeddedPostgres,
} from "./embedded-postgres-server.js";
export { findFreePort } from "./free-port.js";
export { type NatsServerInfo, natsHostPort, probeNats } from "./nats-probe.js";
export {
  localNatsUrl,
  type NatsHandle,
  type ResolveNatsOptions,
  resolveNats,
} from "./nats-resolver.js";
export {
  findNatsServerBinary,
  type NatsServerOptions,
  type NatsServerProcess,
  startNatsServer,
} from "./nats-server-process.js";
export { guardAgainstOrphan, type OrphanGuard } from "./orphan-guard.js";
export { probePostgres, redactUrlPassword } from "./postgres-probe.js";
export {
  localPostgresUrl,
  type PostgresHandle,
  type ResolvePostgresOptions,
  resolvePostgres,
} from "./postgres-resolver.js";
