import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort, startNatsServer } from "@switchyard/local-infra";
import { expect, it } from "vitest";
import { connectNats, natsReadinessCheck } from "../src/index.js";

it("stays ready through a short NATS outage and turns unready once it outlasts the grace", async () => {
  // Its own server: stopping the shared one would break other tests.
  const storeDir = await mkdtemp(join(tmpdir(), "switchyard-readiness-nats-"));
  const server = await startNatsServer({ port: await findFreePort(), storeDir });
  const connection = await connectNats({ url: server.url, name: "readiness-test" });
  try {
    const check = natsReadinessCheck(connection, { outageGraceMs: 1_500, pingTimeoutMs: 200 });
    await check();
    await server.stop();
    await expect(check()).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await expect(check()).rejects.toThrow(/NATS unreachable for \d+ s/);
  } finally {
    await connection.close();
    await server.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
});
