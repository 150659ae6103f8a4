import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PactV4 } from "@pact-foundation/pact";

/** Where the pact files live: committed, rewritten by consumer tests, read by provider tests. */
export const pactsDirectory = fileURLToPath(new URL("../../../contracts/pacts", import.meta.url));

/** The pact file of one consumer–provider pair (Pact's own naming: `<consumer>-<provider>.json`). */
export function pactFile(consumer: string, provider: string): string {
  return join(pactsDirectory, `${consumer}-${provider}.json`);
}

/**
 * A V4 pact whose file is rewritten from scratch by this run. Pact merges into an existing
 * file; removing it first means an interaction the consumer no longer declares disappears.
 */
export function freshPact(consumer: string, provider: string): PactV4 {
  rmSync(pactFile(consumer, provider), { force: true });
  return new PactV4({ consumer, provider, dir: pactsDirectory, logLevel: "warn" });
}

/** How many interactions a committed pact file holds (what a verification must cover). */
export function interactionCount(consumer: string, provider: string): number {
  const pact = JSON.parse(readFileSync(pactFile(consumer, provider), "utf8")) as {
    interactions?: unknown[];
  };
  return pact.interactions?.length ?? 0;
}
