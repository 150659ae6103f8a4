import { recordProof } from "@switchyard/prove";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFieldDroppingProxy } from "../../src/gateway/field-dropping-proxy.js";
import { gatewayConsumers, verifyGateway } from "../../src/gateway/gateway-provider.js";
import { type GatewayStack, startGatewayStack } from "../../src/gateway/gateway-stack.js";
import { interactionCount } from "../../src/pact-files.js";
import { passedCount, verificationResult } from "../../src/verification-result.js";

let stack: GatewayStack;
beforeAll(async () => {
  stack = await startGatewayStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("the gateway honours its public API consumers' pacts", () => {
  it("every web app and demo client interaction verifies against the real stack", async (context) => {
    const result = await verificationResult(verifyGateway(stack));
    expect(result.mismatches).toEqual([]);
    const declared = gatewayConsumers.map((consumer) => interactionCount(consumer, "gateway"));
    expect(result.interactions).toHaveLength(declared.reduce((sum, count) => sum + count, 0));
    expect(result.interactions.filter((entry) => entry.result !== "OK")).toEqual([]);
    const perConsumer = gatewayConsumers
      .map((consumer) => `${consumer} ${interactionCount(consumer, "gateway")}`)
      .join(", ");
    recordProof(
      context,
      `gateway: ${passedCount(result)}/${result.interactions.length} HTTP interactions verified (${perConsumer}) against the real gateway, web-bff and services`,
    );
  }, 120_000);

  // What `buf breaking` cannot see, at the edge: Profile.email is still field 3, but the
  // dashboard stops carrying it (a proxy deletes it from the real answers, as protobuf JSON
  // omits an unset field). The web app shows it, so its contract must fail — naming the field.
  it("the dashboard stops filling profile.email → the web app's verification fails naming it", async (context) => {
    const proxy = await startFieldDroppingProxy({
      target: stack.url,
      procedure: "switchyard.bff.web.v1.WebService/GetDashboard",
      path: ["profile", "email"],
    });
    try {
      const result = await verificationResult(verifyGateway(stack, ["web-app"], proxy.url));
      expect(result.passed).toBe(false);
      expect(result.mismatches).toEqual([
        {
          interaction: expect.stringContaining("GetDashboard for the signed-in customer"),
          path: "$.profile",
          mismatch: expect.stringContaining("missing the following keys: email"),
        },
      ]);
      expect(passedCount(result)).toBe(result.interactions.length - 1);
      const [mismatch] = result.mismatches;
      recordProof(
        context,
        `profile.email left unfilled (buf breaking: no change) → web-app verification FAILED at ${mismatch?.path}: ${mismatch?.mismatch}`,
      );
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
