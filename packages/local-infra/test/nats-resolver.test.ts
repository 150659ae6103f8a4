import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort, natsHostPort, probeNats, resolveNats } from "../src/index.js";
import { processesWithArguments } from "./process-table.js";

describe("resolveNats", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function temporaryDirectory() {
    const directory = await mkdtemp(join(tmpdir(), "local-infra-nats-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    return directory;
  }

  it("starts nats-server with JetStream when the given URL and the local server are not used", async () => {
    const storeDir = join(await temporaryDirectory(), "store");
    const port = await findFreePort();
    const deadPort = await findFreePort();
    const lines: string[] = [];

    const handle = await resolveNats({
      url: `nats://127.0.0.1:${deadPort}`,
      storeDir,
      port,
      probeLocal: false,
      log: (line) => lines.push(line),
    });
    cleanups.push(() => handle.stop());

    expect(handle).toMatchObject({ source: "started", url: `nats://127.0.0.1:${port}` });
    expect(lines.join("\n")).toContain(`${deadPort} did not answer`);
    const info = await probeNats("127.0.0.1", port);
    expect(info?.jetstream).toBe(true);
    expect(processesWithArguments("-p", String(port))).toHaveLength(1);

    await handle.stop();
    expect(processesWithArguments("-p", String(port))).toEqual([]);
    expect(await probeNats("127.0.0.1", port, 300)).toBeUndefined();
  });

  it("uses a given URL that answers", async () => {
    const storeDir = join(await temporaryDirectory(), "store");
    const started = await resolveNats({ storeDir, port: await findFreePort(), probeLocal: false });
    cleanups.push(() => started.stop());

    const handle = await resolveNats({ url: started.url, storeDir, port: 1 });

    expect(handle).toMatchObject({ source: "env", url: started.url });
  });
});

describe("natsHostPort", () => {
  it("reads host and port from the URL forms NATS accepts", () => {
    expect(natsHostPort("nats://10.0.0.1:4333")).toEqual({ host: "10.0.0.1", port: 4333 });
    expect(natsHostPort("127.0.0.1:4222,127.0.0.1:4223")).toEqual({
      host: "127.0.0.1",
      port: 4222,
    });
    expect(natsHostPort("nats://nats.example")).toEqual({ host: "nats.example", port: 4222 });
  });
});
