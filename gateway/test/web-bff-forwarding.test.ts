import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";
import { startWebBffStub, type WebBffStub } from "./support/web-bff-stub.js";

const web = "switchyard.bff.web.v1.WebService";
const customerId = "33333333-3333-4333-8333-333333333333";

let bff: WebBffStub;
let gateway: GatewayHarness;
/** The caller's Authorization header (a token for `customerId`). */
let asUser: Record<string, string> = {};
const postJsonAs = (procedure: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson(gateway.baseUrl, procedure, body, { ...asUser, ...headers });
const getJsonAs = (procedure: string, message: unknown) =>
  getJson(gateway.baseUrl, procedure, message, asUser);
beforeAll(async () => {
  bff = await startWebBffStub();
  gateway = await startGateway({ "web-bff": bff.target });
  asUser = await gateway.auth(customerId);
});
afterAll(async () => {
  await gateway?.close();
  await bff?.stop();
});

describe("the web BFF on the gateway's origin", () => {
  it("forwards GetDashboard (POST and Connect GET) over gRPC to web-bff and returns its answer", async () => {
    const post = await postJsonAs(
      `${web}/GetDashboard`,
      { customerId },
      { "x-request-id": "dash-1", "connect-timeout-ms": "3000" },
    );
    expect(post.status, post.text).toBe(200);
    expect(post.body).toEqual({
      profile: {
        customerId,
        displayName: "Ada Lovelace",
        email: "ada@example.com",
        standing: "active",
      },
      degradedSections: [{ section: "orders", reason: "orders are temporarily unavailable" }],
    });
    expect(post.headers.get("x-request-id")).toBe("dash-1");
    expect(post.headers.get("deprecation")).toBeNull();

    const seen = bff.seen.at(-1);
    expect(seen?.protocol).toBe("grpc");
    expect(seen?.requestId).toBe("dash-1");
    expect(seen?.timeoutMs).toBeGreaterThan(2_500);
    expect(seen?.timeoutMs).toBeLessThanOrEqual(3_000);
    // The verified token is relayed (the BFF verifies it itself); nothing the client sent else.
    expect(seen?.authorization).toBe(asUser.authorization);

    const get = await getJsonAs(`${web}/GetDashboard`, { customerId });
    expect(get.text).toBe(post.text);
  });

  it("maps the BFF's errors: client-safe codes keep message and field violations", async () => {
    const bad = await postJsonAs(`${web}/GetOrderPage`, { orderId: "bad" });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.code).toBe("invalid_argument");
    expect(bad.body.message).toBe("order_id: must be a UUID");
    expect(bad.body.details[0].debug).toEqual({
      fieldViolations: [{ field: "order_id", description: "must be a UUID" }],
    });

    const missing = await postJsonAs(`${web}/GetOrderPage`, { orderId: "missing" });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: "not_found", message: "order missing was not found" });
  });

  it("hides an internal BFF error behind 'internal error' and logs the cause", async () => {
    const response = await postJsonAs(`${web}/GetOrderPage`, { orderId: "boom" });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ code: "internal", message: "internal error" });
    expect(response.text).not.toContain("secret");
    expect(gateway.logLines.join("")).toContain("pool exhausted");
  });

  it("answers unavailable when web-bff is down", async () => {
    const lonely = await startGateway({ "web-bff": "127.0.0.1:9" });
    try {
      const response = await postJson(
        lonely.baseUrl,
        `${web}/GetDashboard`,
        { customerId },
        await lonely.auth(customerId),
      );
      expect(response.status, response.text).toBe(503);
      expect(response.body).toEqual({ code: "unavailable", message: "service unavailable" });
    } finally {
      await lonely.close();
    }
  });

  it("relays the token only after verifying it, and never a client's identity header", async () => {
    const calls = bff.seen.length;
    const unsigned = await postJson(
      gateway.baseUrl,
      `${web}/GetDashboard`,
      { customerId },
      {
        authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "x-switchyard-end-user": customerId,
      },
    );
    expect(unsigned.status).toBe(401);
    expect(bff.seen.length).toBe(calls);

    await postJsonAs(`${web}/GetDashboard`, {}, { "x-switchyard-end-user": "someone-else" });
    expect(bff.seen.at(-1)?.endUserHeader).toBeNull();
  });
});
