import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PactV4 } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thenMatchesRecorded } from "../../src/matches-recorded.js";

// The wait that closes pact-core's window between answering and recording a match must not hide
// a request the consumer never sent: Pact still reports it, once the wait is over.
describe("thenMatchesRecorded", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "switchyard-pact-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const expectingOneGet = () =>
    new PactV4({ consumer: "probe", provider: "mock", dir: directory, logLevel: "error" })
      .addInteraction()
      .uponReceiving("GET /ping")
      .withRequest("GET", "/ping")
      .willRespondWith(200, (response) => response.jsonBody({ pong: true }));

  it("a request sent and answered passes, and the test's own value comes back", async () => {
    const value = await expectingOneGet().executeTest(
      thenMatchesRecorded(async (server) => (await fetch(`${server.url}/ping`)).json()),
    );
    expect(value).toEqual({ pong: true });
  });

  it("a request never sent still fails as expected but not received", async () => {
    const started = Date.now();
    await expect(
      expectingOneGet().executeTest(thenMatchesRecorded(async () => "sent nothing")),
    ).rejects.toThrow(/expected but not received/);
    // It waited for a record that could not come, then let Pact judge.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });
});
