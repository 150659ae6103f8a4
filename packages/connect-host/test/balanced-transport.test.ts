import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createLogger } from "@switchyard/logging";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectHostConfigShape,
  connectPeerTransport,
  defineConnectService,
  portSetting,
  type RunningConnectService,
  startConnectService,
} from "../src/index.js";

const silent = createLogger({
  service: "balanced-test",
  level: "silent",
  destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

/** A replica that names itself in the profile of every dashboard (public: no token needed). */
const replica = (name: string) =>
  defineConnectService({
    name: "web-bff",
    configShape: { ...connectHostConfigShape, PROBE_PORT: portSetting.default(0) },
    callers: "end-users",
    publicMethods: [WebService.method.getDashboard],
    listenOn: (config) => ({ host: "127.0.0.1", port: config.PROBE_PORT }),
    upstreams: () => ({ close: () => {} }),
    routes: () => (router) =>
      router.service(WebService, {
        getDashboard: () => ({
          profile: { displayName: name },
          recentOrders: [],
          degradedSections: [],
        }),
        getOrderPage: () => ({ degradedSections: [] }),
      }),
  });

let tokens: TestTokenIssuer;
const replicas: RunningConnectService[] = [];

beforeAll(async () => {
  tokens = await createTestTokenIssuer();
  for (const name of ["replica-a", "replica-b"]) {
    replicas.push(
      await startConnectService(replica(name), {
        env: { MESH_MODE: "linkerd", SHUTDOWN_GRACE_MS: "500", ...tokens.env() },
        logger: silent,
      }),
    );
  }
});

afterAll(async () => {
  for (const running of replicas) await running.stop();
  tokens?.remove();
});

describe("connectPeerTransport over an address list", () => {
  it("balances over every replica, and a read goes to the other replica once one has stopped", async () => {
    const identity = createWorkloadIdentity(
      { MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 },
      { workload: "gateway", logger: silent },
    );
    const peer = connectPeerTransport(
      identity,
      "web-bff",
      `ipv4:${replicas.map((running) => `127.0.0.1:${running.port}`).join(",")}`,
    );
    const client = createClient(WebService, peer.transport);
    try {
      const answeredBy = new Set<string>();
      for (let call = 0; call < 6; call++) {
        answeredBy.add((await client.getDashboard({})).profile?.displayName ?? "");
      }
      expect([...answeredBy].sort()).toEqual(["replica-a", "replica-b"]);

      await replicas[0]?.stop();
      const after: string[] = [];
      for (let call = 0; call < 6; call++) {
        after.push((await client.getDashboard({})).profile?.displayName ?? "");
      }
      expect(after).toEqual(Array(6).fill("replica-b"));
    } finally {
      peer.close();
      identity.close();
    }
  });
});
