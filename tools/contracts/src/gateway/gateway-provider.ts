import { Verifier } from "@pact-foundation/pact";
import { pactFile } from "../pact-files.js";
import { gatewayProviderStates } from "./gateway-provider-states.js";
import type { GatewayStack } from "./gateway-stack.js";

/** The consumers of the public API whose pacts the gateway must honour. */
export const gatewayConsumers = ["web-app", "demo-client"] as const;

/**
 * Verifies the REAL gateway (with the real web-bff and services behind it) against every public
 * API consumer's pact: Pact replays each recorded request after its provider state has created
 * the data, and compares the gateway's answer with what the consumer declared it reads.
 * `providerBaseUrl` defaults to the gateway; a test may put something in front of it.
 */
export function verifyGateway(
  stack: GatewayStack,
  consumers: readonly string[] = gatewayConsumers,
  providerBaseUrl = stack.url,
) {
  return new Verifier({
    provider: "gateway",
    providerBaseUrl,
    pactUrls: consumers.map((consumer) => pactFile(consumer, "gateway")),
    stateHandlers: gatewayProviderStates(stack),
    logLevel: "error",
  }).verifyProvider();
}
