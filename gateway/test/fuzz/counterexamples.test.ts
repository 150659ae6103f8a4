import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGateway } from "../support/gateway-harness.js";

// Requests the edge fuzzing found answered 500 internal (connect-es labels these decode
// failures internal); kept as regular tests. They fail before any upstream call, so the
// gateway needs no backends here.

let gateway: GatewayHarness;
let asUser: Record<string, string>;
beforeAll(async () => {
  gateway = await startGateway({});
  asUser = await gateway.auth("00000000-0000-4000-8000-000000000001");
});
afterAll(async () => {
  await gateway?.close();
});

async function expectInvalidArgument(response: Response): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  expect(JSON.parse(text)).toMatchObject({ code: "invalid_argument" });
  return JSON.parse(text).message;
}

describe("undecodable requests are the client's mistake: 400 invalid_argument, never 500", () => {
  it("a binary body that is not protobuf (the single byte 0x00)", async () => {
    const response = await fetch(`${gateway.baseUrl}/switchyard.edge.v2.OrderService/GetOrder`, {
      method: "POST",
      headers: { "content-type": "application/proto", ...asUser },
      body: Buffer.from([0]),
    });
    expect(await expectInvalidArgument(response)).toMatch(/^cannot decode the request message: /);
  });

  it("a GET whose message is not protobuf (encoding=proto, message ' ')", async () => {
    const query = new URLSearchParams({ encoding: "proto", message: " " });
    const response = await fetch(
      `${gateway.baseUrl}/switchyard.edge.v1.OrderService/GetOrder?${query}`,
      { headers: asUser },
    );
    await expectInvalidArgument(response);
  });

  it("a GET with base64=1 whose message is not base64 ('{}')", async () => {
    const query = new URLSearchParams({ encoding: "json", message: "{}", base64: "1" });
    const response = await fetch(
      `${gateway.baseUrl}/switchyard.edge.v1.OrderService/ListOrders?${query}`,
      { headers: asUser },
    );
    expect(await expectInvalidArgument(response)).toContain("base64");
  });

  it("a GET whose gzip-compressed message is cut short ('{')", async () => {
    const query = new URLSearchParams({ encoding: "json", message: "{", compression: "gzip" });
    const response = await fetch(
      `${gateway.baseUrl}/switchyard.edge.v2.OrderService/GetOrder?${query}`,
      { headers: asUser },
    );
    await expectInvalidArgument(response);
  });
});
