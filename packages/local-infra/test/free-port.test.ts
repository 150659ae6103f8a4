import { createServer } from "node:net";
import { expect, it } from "vitest";
import { findFreePort } from "../src/index.js";

// A NATS cluster node once got the same port as its client and its cluster port (the OS offers
// a port it just got back again): findFreePort never repeats one within a process.
it("hands out 300 different ports in one process, each of which can be bound", async () => {
  const ports: number[] = [];
  for (let index = 0; index < 300; index++) ports.push(await findFreePort());
  expect(new Set(ports).size).toBe(300);
  const last = ports.at(-1) as number;
  const server = createServer();
  await new Promise<void>((listening, failed) => {
    server.once("error", failed);
    server.listen(last, "127.0.0.1", listening);
  });
  await new Promise((closed) => server.close(closed));
});
