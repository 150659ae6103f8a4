import { setTimeout as sleep } from "node:timers/promises";
import type { JsonCall } from "./connect-json.js";
import type { GatewayHarness } from "./gateway-harness.js";

/**
 * For every gateway: how long after `since` (when the write answered) it served the change.
 * A `call` is started every 5 ms without waiting for the previous one (on a loaded machine one
 * call can take longer than the bound), until one sees the change; the gateway's time is the
 * start of the first call after which no call saw the old value (as user-service's cache test).
 */
export async function untilEveryGateway(
  gateways: GatewayHarness[],
  call: (gateway: GatewayHarness) => Promise<JsonCall>,
  accept: (answer: JsonCall) => boolean,
  since: number,
): Promise<number[]> {
  return Promise.all(
    gateways.map(async (gateway) => {
      const probes: Promise<{ startedAt: number; changed: boolean }>[] = [];
      let seen = false;
      while (!seen && Date.now() - since < 5_000) {
        const startedAt = Date.now();
        const probe = call(gateway).then((answer) => ({
          startedAt,
          changed: accept(answer),
        }));
        probe.then((result) => {
          if (result.changed) seen = true;
        });
        probes.push(probe);
        await sleep(5);
      }
      const results = (await Promise.all(probes)).sort((a, b) => a.startedAt - b.startedAt);
      const lastOld = results.findLastIndex((result) => !result.changed);
      const firstNew = results[lastOld + 1];
      if (firstNew === undefined) throw new Error(`${gateway.baseUrl} never served the change`);
      return Math.max(0, firstNew.startedAt - since);
    }),
  );
}
