import { randomBytes } from "node:crypto";
import {
  findPromtool,
  promtoolCheckMetrics,
  promtoolMissingMessage,
  scrape,
  sumOf,
} from "@switchyard/metrics/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MeteredStack, startMeteredStack } from "./support/metered-stack.js";

// Proof of pattern 20 (metrics): the real deployables in this process, each host with its own
// MeterProvider and admin port; PlaceOrder driven through the gateway, some calls failing with a
// known code; every /metrics scrape linted by the real promtool; the RED series asserted.

const users = "switchyard.edge.v1.UserService";
const orders = "switchyard.edge.v1.OrderService";
const web = "switchyard.bff.web.v1.WebService";
const placeOrderPath = `/${orders}/PlaceOrder`;

/** One Connect JSON call through the gateway: its HTTP status and body. */
async function callEdge(url: string, procedure: string, message: unknown, headers = {}) {
  const response = await fetch(`${url}/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(message),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const promtool = findPromtool();
let stack: MeteredStack;
const scrapes: Record<string, string> = {};
const placed = { ok: 3, invalid: 2 };

beforeAll(async () => {
  stack = await startMeteredStack();
  const registered = await callEdge(stack.gatewayUrl, `${users}/RegisterUser`, {
    email: `metrics-${randomBytes(4).toString("hex")}@example.com`,
    fullName: "Grace Hopper",
  });
  expect(registered.status, registered.text).toBe(200);
  const customerId: string = registered.body.user.userId;
  const asCustomer = await stack.auth(customerId);
  await stack.services.waitForProjections();
  const order = (lines: unknown[]) =>
    callEdge(
      stack.gatewayUrl,
      `${orders}/PlaceOrder`,
      { customerId, currencyCode: "EUR", lines },
      { "idempotency-key": `metrics-${randomBytes(6).toString("hex")}`, ...asCustomer },
    );
  for (let i = 0; i < placed.ok; i++) {
    const answer = await order([{ sku: "TEA-1", quantity: 2, unitPriceCents: "1250" }]);
    expect(answer.status, answer.text).toBe(200);
  }
  for (let i = 0; i < placed.invalid; i++) {
    // A quantity of 0: order-service refuses it with INVALID_ARGUMENT (gateway: 400).
    const answer = await order([{ sku: "TEA-1", quantity: 0, unitPriceCents: "1250" }]);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.code).toBe("invalid_argument");
  }
  // The sixth write of the hour: refused at the gateway's admission step, never reaching order-service.
  const limited = await order([{ sku: "TEA-1", quantity: 1, unitPriceCents: "1250" }]);
  expect(limited.status, limited.text).toBe(429);
  expect(limited.body.code).toBe("resource_exhausted");
  const dashboard = await callEdge(stack.gatewayUrl, `${web}/GetDashboard`, {}, asCustomer);
  expect(dashboard.status, dashboard.text).toBe(200);
  await stack.services.waitForProjections();
  for (const [workload, url] of Object.entries(stack.metricsUrls)) {
    scrapes[workload] = await scrape(url);
  }
  // Four hosts with migrations, eight calls and projections: generous on a loaded 2-core box.
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe("every process's /metrics", () => {
  it.skipIf(promtool === undefined)(
    "passes `promtool check metrics` (exit 0) for gateway, web-bff, user-service, order-service",
    async () => {
      expect(Object.keys(scrapes).sort()).toEqual([
        "gateway",
        "order-service",
        "user-service",
        "web-bff",
      ]);
      for (const [workload, text] of Object.entries(scrapes)) {
        const verdict = await promtoolCheckMetrics(text, promtool);
        expect({ workload, ...verdict }).toEqual({ workload, exitCode: 0, output: "" });
        expect(text).toContain(`service_name="${workload}"`);
      }
    },
  );
  if (promtool === undefined) it.skip(promtoolMissingMessage, () => {});
});

describe("RED series of PlaceOrder", () => {
  it("order-service: rpc.server.call.duration counts the calls by gRPC status code", () => {
    const placeOrder = {
      rpc_system: "grpc",
      rpc_service: "switchyard.order.v1.OrderService",
      rpc_method: "PlaceOrder",
    };
    const count = (code: string) =>
      sumOf(scrapes["order-service"] ?? "", "rpc_server_call_duration_count", {
        ...placeOrder,
        rpc_grpc_status_code: code,
      });
    expect({ ok: count("0"), invalid: count("3") }).toEqual(placed);
    // The rate-limited sixth order never reached it: no other code.
    const all = sumOf(scrapes["order-service"] ?? "", "rpc_server_call_duration_count", placeOrder);
    expect(all).toBe(placed.ok + placed.invalid);
  });

  it("gateway: server calls by Connect error code (the rate-limited one too), its gRPC client calls by status code, edge HTTP by status", () => {
    const text = scrapes.gateway ?? "";
    const server = { rpc_system: "connect_rpc", rpc_service: orders, rpc_method: "PlaceOrder" };
    const all = sumOf(text, "rpc_server_call_duration_count", server);
    const byCode = (code: string) =>
      sumOf(text, "rpc_server_call_duration_count", {
        ...server,
        rpc_connect_rpc_error_code: code,
      });
    const [invalid, limited] = [byCode("invalid_argument"), byCode("resource_exhausted")];
    expect({ ok: all - invalid - limited, invalid, limited }).toEqual({ ...placed, limited: 1 });
    const client = {
      rpc_system: "grpc",
      rpc_service: "switchyard.order.v1.OrderService",
      rpc_method: "PlaceOrder",
    };
    expect(
      sumOf(text, "rpc_client_call_duration_count", { ...client, rpc_grpc_status_code: "0" }),
    ).toBe(placed.ok);
    expect(
      sumOf(text, "rpc_client_call_duration_count", { ...client, rpc_grpc_status_code: "3" }),
    ).toBe(placed.invalid);
    const http = { http_request_method: "POST", http_route: placeOrderPath };
    expect(
      sumOf(text, "http_server_request_duration_count", {
        ...http,
        http_response_status_code: "200",
      }),
    ).toBe(placed.ok);
    expect(
      sumOf(text, "http_server_request_duration_count", {
        ...http,
        http_response_status_code: "400",
      }),
    ).toBe(placed.invalid);
    const decisions = (outcome: string) =>
      sumOf(text, "switchyard_rate_limit_decisions_total", {
        switchyard_rate_limit_policy: "writes",
        switchyard_rate_limit_outcome: outcome,
      });
    expect({ accepted: decisions("accepted"), limited: decisions("limited") }).toEqual({
      accepted: placed.ok + placed.invalid,
      limited: 1,
    });
    expect(
      sumOf(text, "http_server_request_duration_count", {
        ...http,
        http_response_status_code: "429",
      }),
    ).toBe(1);
  });

  it("web-bff serves the dashboard it was called for; the gateway's Connect client saw it", () => {
    const dashboard = { rpc_system: "connect_rpc", rpc_service: web, rpc_method: "GetDashboard" };
    expect(sumOf(scrapes["web-bff"] ?? "", "rpc_server_call_duration_count", dashboard)).toBe(1);
    expect(sumOf(scrapes.gateway ?? "", "rpc_client_call_duration_count", dashboard)).toBe(1);
  });

  it("services expose the load shedder's limit, in-flight calls and rejections", () => {
    for (const workload of ["user-service", "order-service"] as const) {
      const text = scrapes[workload] ?? "";
      expect(sumOf(text, "switchyard_load_shedding_limit")).toBeGreaterThan(0);
      expect(text).toContain("switchyard_load_shedding_in_flight");
      expect(sumOf(text, "switchyard_load_shedding_rejections_total")).toBe(0);
    }
  });
});
