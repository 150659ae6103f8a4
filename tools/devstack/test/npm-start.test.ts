import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mintDevToken } from "@switchyard/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackComponents } from "../src/components.js";
import { type RunningDevstack, startDevstack } from "../src/testing/running-devstack.js";

// Runs the real devstack (what `npm start` runs after building) on shifted ports, with its own
// state dir and database names, then drives it over gRPC and stops it with SIGINT (Ctrl-C).
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
let devstack: RunningDevstack;

beforeAll(async () => {
  devstack = await startDevstack();
}, 120_000);

afterAll(() => devstack?.cleanUp());

describe("npm start (devstack)", () => {
  it("prints every endpoint and a first command to try", () => {
    for (const component of devstackComponents(devstack.portOffset)) {
      expect(devstack.process.output()).toContain(`127.0.0.1:${component.port}`);
    }
    expect(devstack.process.output()).toContain("grpc.health.v1.Health/Check");
    for (const component of devstackComponents(devstack.portOffset)) {
      expect(devstack.process.output()).toContain(
        `http://127.0.0.1:${component.adminPort}/metrics`,
      );
    }
  });

  it("every component serves Prometheus text at /metrics on its admin port", async () => {
    for (const component of devstackComponents(devstack.portOffset)) {
      const response = await fetch(`http://127.0.0.1:${component.adminPort}/metrics`);
      expect(response.status, component.name).toBe(200);
      expect(await response.text()).toContain(`service_name="${component.name}"`);
    }
  });

  it("serves the whole flow through the gateway: register, place an order, read the dashboard", async () => {
    // Without a token, nothing but signup is served.
    const anonymous = await fetch(
      `${devstack.gatewayUrl}/switchyard.bff.web.v1.WebService/GetDashboard`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      },
    );
    expect(anonymous.status).toBe(401);
    const base = devstack.gatewayUrl;
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: the test asserts on arbitrary response shapes.
      const json = (await response.json()) as Record<string, any>;
      expect(response.status, JSON.stringify(json)).toBe(200);
      return json;
    };
    const { user } = await post("switchyard.edge.v2.UserService/RegisterUser", {
      email: `${devstack.namePrefix}@example.com`,
      givenName: "Ada",
      familyName: "Lovelace",
    });
    expect(user.userId).toMatch(/^[0-9a-f-]{36}$/);
    // Signup is open; everything after it is done as that user, with a dev access token.
    const token = await mintDevToken({
      signingKeyFile: join(repositoryRoot, "certs", "out", "jwt", "signing-key.pem"),
      subject: user.userId,
    });
    const asUser = { authorization: `Bearer ${token}` };
    const { order } = await post(
      "switchyard.edge.v2.OrderService/PlaceOrder",
      {
        customerId: user.userId,
        lines: [
          {
            sku: "TEA-1",
            quantity: 2,
            unitPrice: { currencyCode: "EUR", units: "12", nanos: 500000000 },
          },
        ],
      },
      { ...asUser, "Idempotency-Key": `${devstack.namePrefix}-order` },
    );
    expect(order.total).toEqual({ currencyCode: "EUR", units: "25" });
    const dashboard = await post("switchyard.bff.web.v1.WebService/GetDashboard", {}, asUser);
    expect(dashboard.profile.email).toBe(`${devstack.namePrefix}@example.com`);
    expect(dashboard.recentOrders.map((row: { orderId: string }) => row.orderId)).toContain(
      order.orderId,
    );
  });

  it("on Ctrl-C (SIGINT) stops every component in reverse order and exits 0, leaving no process", async () => {
    const pids = [...devstack.process.output().matchAll(/starting (\S+) on/g)].map(
      ([, name]) => name,
    );
    expect(pids).toEqual(["user-service", "order-service", "web-bff", "gateway"]);
    expect(await devstack.process.stop("SIGINT", 35_000)).toBe(0);
    const output = devstack.process.output();
    const stopped = [...output.matchAll(/stopping (\S+) \(pid (\d+)\)/g)];
    expect(stopped.map(([, name]) => name)).toEqual([...pids].reverse());
    for (const [, , pid] of stopped) {
      expect(() => process.kill(Number(pid), 0)).toThrow();
    }
    expect(output).toMatch(/devstack: stopped/);
  }, 40_000);
});
