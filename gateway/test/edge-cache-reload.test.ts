import { setTimeout as sleep } from "node:timers/promises";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";
import { type RecordingBackend, startRecordingBackend } from "./support/recording-backend.js";

// The edge tier's loads are shared (concurrent callers of a key wait on one; a stale hit runs
// it in the background and answers at once), so no single caller's cancellation may cancel one.
// Over the real gateway and a slow recording backend (which counts cancelled calls), real NATS.

const userId = "33333333-3333-4333-8333-333333333333";
const freshMs = 2_000;

let backend: RecordingBackend;
let nats: TestNats;
let gateway: GatewayHarness;
let asUser: Record<string, string> = {};
beforeAll(async () => {
  backend = await startRecordingBackend();
  nats = await createTestNats();
  gateway = await startGateway(
    { "user-service": backend.target, "order-service": backend.target },
    {
      env: {
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        CACHE_L1_TTL_MS: String(freshMs),
        CACHE_L1_STALE_MS: "60000",
        CACHE_L2: "off",
      },
    },
  );
  const since = Date.now();
  while (!gateway.logLines.some((line) => line.includes("edge cache on"))) {
    if (Date.now() - since > 15_000) throw new Error("the edge cache never came on");
    await sleep(20);
  }
  asUser = await gateway.auth(userId);
});
afterAll(async () => {
  await gateway?.close();
  backend?.stop();
  await nats?.close();
});

const getUser = () =>
  getJson(gateway.baseUrl, "switchyard.edge.v2.UserService/GetUser", { userId }, asUser);
const getUserCalls = () => backend.calls.filter((call) => call.method === "GetUser").length;

describe("the edge tier's shared loads", () => {
  it("a stale hit answers and refreshes the entry in the background; ending that call does not cancel the reload", async () => {
    expect((await getUser()).status).toBe(200);
    expect(getUserCalls()).toBe(1);
    await sleep(freshMs + 100); // stale now (within the stale window)

    backend.getUserDelayMs = 300;
    const stale = await getUser();
    expect(stale.status, stale.text).toBe(200);
    await expect.poll(getUserCalls).toBe(2); // the background reload reaches the backend
    await sleep(1_000); // the reload is answered after 300 ms
    backend.getUserDelayMs = 0;
    // The call that started it was answered at once and ended: the reload still completed...
    expect(backend.cancelled).toBe(0);
    // ...and refreshed the entry: the next read is a fresh hit, no new call.
    expect((await getUser()).status).toBe(200);
    expect(getUserCalls()).toBe(2);
  });
});
