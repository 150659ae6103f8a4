import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
import { applyOnce, decodeEvent } from "@switchyard/inbox";
import { migrationsFolder, type Projection } from "@switchyard/order-service/testing";
import { createTestDatabase } from "@switchyard/testing";
import { deliveredMessage, type PactMessage } from "./consumer-message.js";

/** order-service's real database (migrated, fresh) and the real path of one delivered event. */
export interface ProjectionUnderTest {
  database: Database;
  /**
   * What the live consumer does with one message (start-consumer.ts): decode the envelope and
   * the binary body (`decodeEvent`), then record it in the inbox and run the projection's
   * handler in one transaction (`applyOnce`). Throws what the consumer would dead-letter.
   */
  deliver(message: PactMessage): Promise<void>;
  close(): Promise<void>;
}

export async function startProjectionUnderTest(
  projection: Projection,
): Promise<ProjectionUnderTest> {
  const testDatabase = await createTestDatabase({ prefix: "contracts" });
  const database = connectDatabase({ url: testDatabase.url, max: 2 });
  await applyMigrations(database, { migrationsFolder, service: "order_service" });
  const handled = new Map(projection.eventTypes.map((type) => [type.typeName, type]));
  return {
    database,
    async deliver(message) {
      const event = decodeEvent(deliveredMessage(message), handled);
      if (event === undefined) {
        throw new Error(`${projection.durableName} does not handle ${message.metadata["ce-type"]}`);
      }
      await applyOnce(database.db, projection.durableName, event, projection.handle);
    },
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}
