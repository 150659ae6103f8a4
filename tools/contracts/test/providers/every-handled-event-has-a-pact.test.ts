import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { orderServiceProjections } from "@switchyard/order-service/testing";
import { recordProof } from "@switchyard/prove";
import { describe, expect, it } from "vitest";
import { pactsDirectory } from "../../src/pact-files.js";

interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  interactions: { type: string; metadata?: Record<string, unknown> }[];
}

const pacts: PactFile[] = readdirSync(pactsDirectory)
  .filter((name) => name.endsWith(".json"))
  .map((name) => JSON.parse(readFileSync(join(pactsDirectory, name), "utf8")) as PactFile);

// The guard that keeps "a message pact for every event a consumer handles" true: each of
// order-service's projections is a pact consumer named by its durable consumer name, and its
// pact holds an interaction for every event type it subscribes to (by ce-type). A projection
// added, or an event type added to one, without a contract fails here.
describe("every event a consumer handles is under contract", () => {
  for (const projection of orderServiceProjections) {
    it(`${projection.durableName}: one message interaction per handled event type`, (context) => {
      const covered = pacts
        .filter((pact) => pact.consumer.name === projection.durableName)
        .flatMap((pact) => pact.interactions)
        .filter((interaction) => interaction.type === "Asynchronous/Messages")
        .map((interaction) => interaction.metadata?.["ce-type"]);
      const handled = projection.eventTypes.map((type) => type.typeName);
      expect([...new Set(covered)].sort()).toEqual([...handled].sort());
      recordProof(
        context,
        `${projection.durableName}: ${handled.length}/${handled.length} handled event types have a message pact, each applied by the real projection in the consumer test`,
      );
    });
  }
});
