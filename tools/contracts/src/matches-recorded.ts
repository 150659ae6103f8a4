import { setTimeout as sleep } from "node:timers/promises";
import { getFfiLib } from "@pact-foundation/pact-core";

/** How long to wait for the mock server's bookkeeping before letting Pact judge what it has. */
const recordingBoundMs = 2_000;
const pollMs = 5;

/**
 * Wraps a consumer test for `executeTest`: runs it, then waits until Pact's mock server has
 * recorded every expected request as matched (at most two seconds) before Pact reads the result.
 *
 * Why: pact-core 19 (the last line that runs on Node 20) answers the client before its event loop
 * records the match (pact-foundation/pact-core-mock-server#13). On a busy machine Pact can read the
 * result in between and report a request it received, matched and answered as "expected but not
 * received". A request the consumer really did not send still fails, after the bound.
 */
export function thenMatchesRecorded<Server extends { port: number }, Result>(
  test: (server: Server) => Promise<Result>,
): (server: Server) => Promise<Result> {
  return async (server) => {
    const result = await test(server);
    const deadline = Date.now() + recordingBoundMs;
    while (!getFfiLib().pactffiMockServerMatched(server.port) && Date.now() < deadline) {
      await sleep(pollMs);
    }
    return result;
  };
}
