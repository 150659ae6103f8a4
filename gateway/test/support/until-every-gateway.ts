import { untilEachServesChange } from "@switchyard/testing";
import type { JsonCall } from "./connect-json.js";
import type { GatewayHarness } from "./gateway-harness.js";

/** For every gateway: how long after `since` (when the write answered) it served the change. */
export function untilEveryGateway(
  gateways: GatewayHarness[],
  call: (gateway: GatewayHarness) => Promise<JsonCall>,
  accept: (answer: JsonCall) => boolean,
  since: number,
): Promise<number[]> {
  return untilEachServesChange(gateways, {
    probe: call,
    changed: accept,
    since,
    nameOf: (gateway) => gateway.baseUrl,
  });
}
