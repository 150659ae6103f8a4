import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createTestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createLogger } from "@switchyard/logging";
import { describe, expect, it } from "vitest";
import {
  connectHostConfigShape,
  defineConnectService,
  portSetting,
  startConnectService,
} from "../src/index.js";

/** A public cleartext deployable whose dashboard needs no token: nothing but the host is tested. */
const probe = defineConnectService({
  name: "gateway",
  configShape: { ...connectHostConfigShape, PROBE_PORT: portSetting.default(0) },
  callers: "end-users",
  publicMethods: [WebService.method.getDashboard],
  listenOn: (config) => ({ host: "127.0.0.1", port: config.PROBE_PORT }),
  upstreams: () => ({ close: () => {} }),
  routes: () => (router) =>
    router.service(WebService, {
      getDashboard: () => ({ recentOrders: [], degradedSections: [] }),
      getOrderPage: () => ({ degradedSections: [] }),
    }),
});

// Long enough that a loaded machine makes its calls inside it; the test measures nothing.
const drainDelayMs = 2_500;

describe("drain delay (Connect host)", () => {
  it("after stop(): /readyz 503 at once, calls on the open keep-alive connection and new connections still served, port closed once drained", async () => {
    const tokens = await createTestTokenIssuer();
    const lines: Array<{ msg: string; step?: string }> = [];
    const running = await startConnectService(probe, {
      env: {
        SHUTDOWN_GRACE_MS: "1000",
        SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
        // Nothing upstream to dial: no certificates needed.
        MESH_MODE: "linkerd",
        ...tokens.env(),
      },
      logger: createLogger({
        service: "probe",
        level: "info",
        destination: new Writable({
          write(chunk, _encoding, done) {
            lines.push(JSON.parse(String(chunk)));
            done();
          },
        }),
      }),
    });
    try {
      expect(running.shutdownSteps.map((step) => step.name).slice(0, 3)).toEqual([
        "mark not serving",
        "drain delay (still serving)",
        "drain HTTP",
      ]);
      const overHttp2 = createClient(
        WebService,
        createConnectTransport({ baseUrl: running.url, httpVersion: "2" }),
      );
      await overHttp2.getDashboard({});

      const stopped = running.stop();
      const stoppedAt = Date.now();
      expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
      // The open HTTP/2 session is reused, and a new HTTP/1.1 connection is still accepted.
      await overHttp2.getDashboard({});
      const overHttp1 = await fetch(
        `${running.url}/switchyard.bff.web.v1.WebService/GetDashboard`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        },
      );
      expect(overHttp1.status).toBe(200);
      expect(overHttp1.headers.get("connection")).not.toBe("close");
      expect(Date.now() - stoppedAt).toBeLessThan(drainDelayMs);

      await stopped;
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(drainDelayMs - 50);
      const refused = await fetch(`${running.url}/readyz`).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      const finished = lines
        .filter((line) => line.msg === "shutdown step finished")
        .map((line) => line.step);
      expect(finished.slice(0, 3)).toEqual([
        "mark not serving",
        "drain delay (still serving)",
        "drain HTTP",
      ]);
    } finally {
      await running.stop();
      tokens.remove();
    }
  }, 30_000);
});
