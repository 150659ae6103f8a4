import type { Database } from "@switchyard/database";
import { createLogger } from "@switchyard/logging";
import {
  type ProjectionConsumers,
  startProjectionConsumers,
} from "../../src/events/projection-consumers.js";
import { orderServiceProjections } from "../../src/projections/order-service-projections.js";
import {
  type RebuildResult,
  rebuildProjections,
} from "../../src/projections/rebuild-projections.js";
import { createMigratedDatabase } from "./migrated-database.js";
import { createTestEventBus, type TestEventBus } from "./test-event-bus.js";

/** A migrated database, real JetStream, and order-service's projection consumers running on them. */
export interface ProjectionTestbed {
  database: Database;
  bus: TestEventBus;
  consumers: ProjectionConsumers;
  /** `npm run projections -- rebuild` on this database and namespace. */
  rebuild(): Promise<Map<string, RebuildResult>>;
  close(): Promise<void>;
}

export async function startProjectionTestbed(): Promise<ProjectionTestbed> {
  const logger = createLogger({ service: "order-service", level: "silent" });
  const { database, drop } = await createMigratedDatabase();
  const bus = await createTestEventBus();
  const wiring = {
    js: bus.js,
    jsm: bus.jsm,
    db: database.db,
    namespace: bus.namespace,
    projections: orderServiceProjections,
    logger,
  };
  const consumers = await startProjectionConsumers(wiring);
  return {
    database,
    bus,
    consumers,
    rebuild: () => rebuildProjections(wiring),
    async close() {
      await consumers.stop();
      await bus.close();
      await drop();
    },
  };
}
