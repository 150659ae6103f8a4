import { randomBytes } from "node:crypto";
import { type InMemoryTracing, installInMemoryTracing } from "@switchyard/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";
import { type InProcessStack, startInProcessStack } from "./support/in-process-stack.js";
import { isDatabaseSpan, isMessaging, rpc, SpanTree } from "./support/span-tree.js";

// Proof of pattern 20 (tracing), in-memory exporter: the real deployables in this process,
// one provider recording every span of every host, trace edges asserted parent → child as the
// OpenTelemetry demo's trace-edge tests do.

const users = "switchyard.edge.v1.UserService";
const orders = "switchyard.edge.v1.OrderService";
const web = "switchyard.bff.web.v1.WebService";

let tracing: InMemoryTracing;
let stack: InProcessStack;
let customerId = "";
let asCustomer: Record<string, string> = {};

beforeAll(async () => {
  // Before the hosts start: they then trace into it (and pay nothing when it is absent).
  tracing = installInMemoryTracing();
  stack = await startInProcessStack();
  const registered = await postJson(stack.gatewayUrl, `${users}/RegisterUser`, {
    email: `trace-${randomBytes(4).toString("hex")}@example.com`,
    fullName: "Ada Lovelace",
  });
  expect(registered.status, registered.text).toBe(200);
  customerId = registered.body.user.userId;
  asCustomer = await stack.auth(customerId);
  // The customers projection has the new user before orders are placed for them.
  await stack.services.waitForProjections();
});
afterAll(async () => {
  await stack?.close();
  await tracing?.uninstall();
});

/** Places an order through the gateway; resolves once its events are published and consumed. */
async function placeOrder(headers: Record<string, string> = {}) {
  const placed = await postJson(
    stack.gatewayUrl,
    `${orders}/PlaceOrder`,
    {
      customerId,
      currencyCode: "EUR",
      lines: [{ sku: "TEA-1", quantity: 2, unitPriceCents: "1250" }],
    },
    { "idempotency-key": `trace-${randomBytes(6).toString("hex")}`, ...asCustomer, ...headers },
  );
  expect(placed.status, placed.text).toBe(200);
  await stack.services.waitForProjections();
  return placed;
}

/**
 * A GetDashboard through the gateway from a caller whose trace (a fresh trace id) has the W3C
 * trace flags `flags` ("01" sampled, "00" not); spans recorded before are forgotten.
 */
async function dashboardCalledWithTraceparent(flags: "00" | "01"): Promise<string> {
  tracing.reset();
  const traceId = randomBytes(16).toString("hex");
  const traceparent = `00-${traceId}-${randomBytes(8).toString("hex")}-${flags}`;
  const dashboard = await postJson(
    stack.gatewayUrl,
    `${web}/GetDashboard`,
    { customerId },
    { ...asCustomer, traceparent },
  );
  expect(dashboard.status, dashboard.text).toBe(200);
  return traceId;
}

/** The spans of the trace whose root is the gateway's SERVER span of `method`. */
function traceOfGatewayCall(method: string): { tree: SpanTree; root: ReturnType<SpanTree["one"]> } {
  const all = new SpanTree(tracing.spans());
  // The gateway's span is the root; web-bff's SERVER span of the same method is its grandchild.
  const root = all.one(
    `gateway SERVER span of ${method}`,
    (span) => rpc("connect_rpc", "server", method)(span) && span.parentSpanContext === undefined,
  );
  return { tree: new SpanTree(tracing.spansOf(root.spanContext().traceId)), root };
}

describe("one PlaceOrder through the gateway is ONE trace", () => {
  it("gateway → order-service (database, outbox) → customers → relay send → consumer process, with every edge", async () => {
    tracing.reset();
    await placeOrder();
    const { tree, root } = traceOfGatewayCall("PlaceOrder");

    // Edge: gateway (Connect SERVER) → its gRPC CLIENT → order-service gRPC SERVER.
    const gatewayClient = tree.one(
      "gateway gRPC CLIENT PlaceOrder",
      rpc("grpc", "client", "PlaceOrder"),
    );
    tree.expectEdge(root, gatewayClient);
    expect(gatewayClient.attributes["server.address"]).toBe("127.0.0.1");
    const orderServer = tree.one(
      "order-service SERVER PlaceOrder",
      rpc("grpc", "server", "PlaceOrder"),
    );
    tree.expectEdge(gatewayClient, orderServer);
    expect(orderServer.attributes["rpc.grpc.status_code"]).toBe(0);
    expect(orderServer.attributes["rpc.service"]).toBe("switchyard.order.v1.OrderService");

    // Database: at least one query / transaction span under order-service's server span.
    const queries = tree.all(isDatabaseSpan).filter((span) => tree.descendsFrom(span, orderServer));
    expect(queries.length, `database spans under PlaceOrder:\n${tree.describe()}`).toBeGreaterThan(
      0,
    );

    // The customer check: user-service over gRPC or the customers projection (a query of it).
    const customerCheck = tree
      .all((span) =>
        /customer|UserService/i.test(`${span.name} ${JSON.stringify(span.attributes)}`),
      )
      .filter((span) => tree.descendsFrom(span, orderServer));
    expect(
      customerCheck.length,
      `customer lookup under PlaceOrder:\n${tree.describe()}`,
    ).toBeGreaterThan(0);

    // The outbox append, in the order's transaction.
    const outboxAppend = tree
      .all((span) => /outbox/i.test(`${span.name} ${JSON.stringify(span.attributes)}`))
      .filter((span) => tree.descendsFrom(span, orderServer));
    expect(
      outboxAppend.length,
      `outbox append under PlaceOrder:\n${tree.describe()}`,
    ).toBeGreaterThan(0);

    // The async hop: the relay's send span and the consumer's process span are in THIS trace.
    const send = tree.one(
      "relay send of OrderPlaced",
      (span) =>
        isMessaging("send")(span) &&
        /OrderPlaced|order/i.test(`${span.name} ${JSON.stringify(span.attributes)}`),
    );
    expect(send.kind).toBe(3); // PRODUCER
    expect(tree.descendsFrom(send, orderServer), `send under PlaceOrder:\n${tree.describe()}`).toBe(
      true,
    );
    const processed = tree.all(isMessaging("process"));
    expect(processed.length, `consumer process spans:\n${tree.describe()}`).toBeGreaterThan(0);
    for (const span of processed) {
      expect(span.kind).toBe(4); // CONSUMER
      tree.expectEdge(send, span);
      // The consumer's own work (its projection's queries) is under its process span.
    }
    const projectionWrites = tree
      .all(isDatabaseSpan)
      .filter((span) => processed.some((p) => tree.descendsFrom(span, p)));
    expect(
      projectionWrites.length,
      `projection queries under process:\n${tree.describe()}`,
    ).toBeGreaterThan(0);
  });
});

describe("one GetDashboard through the gateway is ONE trace", () => {
  it("gateway → web-bff → user-service and order-service, with every edge", async () => {
    tracing.reset();
    const dashboard = await postJson(
      stack.gatewayUrl,
      `${web}/GetDashboard`,
      { customerId },
      asCustomer,
    );
    expect(dashboard.status, dashboard.text).toBe(200);
    const { tree, root } = traceOfGatewayCall("GetDashboard");
    expect(tree.traceIds.size).toBe(1);

    const gatewayClient = tree.one(
      "gateway CLIENT GetDashboard",
      rpc("connect_rpc", "client", "GetDashboard"),
    );
    tree.expectEdge(root, gatewayClient);
    const bffServer = tree.one(
      "web-bff SERVER GetDashboard",
      (span) => rpc("connect_rpc", "server", "GetDashboard")(span) && span !== root,
    );
    expect(bffServer.attributes["rpc.service"]).toBe("switchyard.bff.web.v1.WebService");
    tree.expectEdge(gatewayClient, bffServer);

    const bffClients = tree.all(
      (span) => span.kind === 2 && span.attributes["rpc.system"] === "grpc",
    );
    const servicesCalled = new Set(bffClients.map((span) => span.attributes["rpc.service"]));
    expect([...servicesCalled].sort()).toEqual([
      "switchyard.order.v1.OrderService",
      "switchyard.user.v1.UserService",
    ]);
    for (const client of bffClients) {
      tree.expectEdge(bffServer, client);
      const server = tree.one(
        `SERVER of ${client.name}`,
        (span) =>
          span.kind === 1 && span.name === client.name && span.attributes["rpc.system"] === "grpc",
      );
      tree.expectEdge(client, server);
    }
  });
});

describe("an incoming W3C traceparent", () => {
  it("keeps its trace id through every hop: gateway, order-service, database, relay, consumer", async () => {
    tracing.reset();
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    await placeOrder({ traceparent: `00-${traceId}-${callerSpanId}-01` });
    const tree = new SpanTree(tracing.spans());
    const root = tree.one("gateway SERVER PlaceOrder", rpc("connect_rpc", "server", "PlaceOrder"));
    expect(root.spanContext().traceId).toBe(traceId);
    expect(root.parentSpanContext?.spanId).toBe(callerSpanId);
    // Every span recorded for this request — every hop, sync and async — is in the caller's trace.
    expect(tree.traceIds).toEqual(new Set([traceId]));
    expect(
      tree.one("order-service SERVER", rpc("grpc", "server", "PlaceOrder")).spanContext().traceId,
    ).toBe(traceId);
    expect(tree.all(isMessaging("send")).length).toBeGreaterThan(0);
    expect(tree.all(isMessaging("process")).length).toBeGreaterThan(0);
  });

  it("keeps its trace id through gateway → web-bff → both services", async () => {
    const traceId = await dashboardCalledWithTraceparent("01");
    const tree = new SpanTree(tracing.spans());
    expect(tree.traceIds).toEqual(new Set([traceId]));
    const servers = tree
      .all((span) => span.kind === 1)
      .map((span) => span.name)
      .sort();
    expect(servers).toEqual(
      [
        "switchyard.bff.web.v1.WebService/GetDashboard",
        "switchyard.bff.web.v1.WebService/GetDashboard",
        "switchyard.order.v1.OrderService/GetCustomerOrderSummary",
        "switchyard.order.v1.OrderService/ListOrders",
        "switchyard.user.v1.UserService/GetUser",
      ].sort(),
    );
  });

  it("is honoured when NOT sampled: the request is served and no span is recorded", async () => {
    await dashboardCalledWithTraceparent("00");
    expect(tracing.spans()).toEqual([]);
  });
});

describe("log correlation", () => {
  it("a service log line written inside a traced call carries its trace_id and span_id beside the request id", async () => {
    tracing.reset();
    const from = stack.serviceLogLines.length;
    // An order the caller may not read (it does not exist): order-service refuses it and logs
    // "handler rejected the request" (info) inside the call.
    const missing = await postJson(
      stack.gatewayUrl,
      `${orders}/GetOrder`,
      { orderId: "00000000-0000-4000-8000-000000000000" },
      { ...asCustomer, "x-request-id": "trace-log-1" },
    );
    expect(missing.status, missing.text).toBe(403);
    const tree = new SpanTree(tracing.spans());
    const orderServer = tree.one(
      "order-service SERVER GetOrder",
      rpc("grpc", "server", "GetOrder"),
    );
    const rejected = stack.serviceLogLines
      .slice(from)
      .find((line) => line.msg === "handler rejected the request");
    expect(rejected).toMatchObject({
      requestId: "trace-log-1",
      trace_id: orderServer.spanContext().traceId,
      span_id: orderServer.spanContext().spanId,
    });
  });

  it("lines written outside any traced operation carry no trace ids", () => {
    const untraced = stack.serviceLogLines.find((line) => line.msg === "user-service listening");
    expect(untraced).toBeDefined();
    expect(untraced?.trace_id).toBeUndefined();
  });
});
