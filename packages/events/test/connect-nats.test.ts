import { findFreePort } from "@switchyard/local-infra";
import { createTestNats } from "@switchyard/testing";
import { describe, expect, it } from "vitest";
import { connectNats } from "../src/index.js";

describe("connectNats", () => {
  it("takes a comma-separated NATS_URL as several servers and connects to one that answers", async () => {
    const nats = await createTestNats();
    // Nothing listens on the first: a single-string parse would fail or try only that one.
    const silent = `nats://127.0.0.1:${await findFreePort()}`;
    const connection = await connectNats({ url: `${silent}, ${nats.url}`, name: "connect-test" });
    try {
      expect(connection.getServer()).toBe(new URL(nats.url).host);
    } finally {
      await connection.close();
      await nats.close();
    }
  });
});
