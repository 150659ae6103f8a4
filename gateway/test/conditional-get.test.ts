import * as http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { getJson, postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";

// HTTP caching of Connect GET reads at the edge (connect-host `conditional-get.ts`), over the
// real gateway and real backends: ETag, Cache-Control, Vary, and If-None-Match → 304.

const users = "switchyard.edge.v2.UserService";

let backends: Backends;
let gateway: GatewayHarness;
let userId = "";
let asUser: Record<string, string> = {};
beforeAll(async () => {
  backends = await startBackends();
  gateway = await startGateway(
    {
      "user-service": backends.userServiceTarget,
      "order-service": backends.orderServiceTarget,
    },
    { identity: backends.gatewayIdentity },
  );
  const registered = await postJson(gateway.baseUrl, `${users}/RegisterUser`, {
    email: `etag.${Date.now().toString(36)}@example.com`,
    givenName: "Ada",
    familyName: "Lovelace",
  });
  expect(registered.status, registered.text).toBe(200);
  userId = registered.body.user.userId;
  asUser = await gateway.auth(userId);
});
afterAll(async () => {
  await gateway?.close();
  await backends?.close();
});

const getUser = (headers: Record<string, string> = {}) =>
  getJson(gateway.baseUrl, `${users}/GetUser`, { userId }, { ...asUser, ...headers });

describe("Connect GET reads carry validators and answer If-None-Match with 304", () => {
  it("GET → 200 with a strong ETag, private no-cache, Vary: Authorization", async () => {
    const response = await getUser();
    expect(response.status, response.text).toBe(200);
    expect(response.body.user.userId).toBe(userId);
    expect(response.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("vary")).toBe("Authorization");
    // The same representation twice: the same validator.
    expect((await getUser()).headers.get("etag")).toBe(response.headers.get("etag"));
  });

  it("the same GET with If-None-Match → 304 Not Modified, no body, validators kept", async () => {
    const etag = (await getUser()).headers.get("etag") ?? "";
    const response = await getUser({ "if-none-match": etag });
    expect(response.status).toBe(304);
    expect(response.text).toBe("");
    expect(response.headers.get("etag")).toBe(etag);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    // A list that contains it, or a weak form of it, matches too (RFC 9110 weak comparison).
    expect((await getUser({ "if-none-match": `"other", W/${etag}` })).status).toBe(304);
    // Another tag does not.
    expect((await getUser({ "if-none-match": '"not-it"' })).status).toBe(200);
  });

  it("after an update → 200 with a new ETag; the old one no longer matches", async () => {
    const before = await getUser();
    const oldTag = before.headers.get("etag") ?? "";
    const updated = await postJson(
      gateway.baseUrl,
      `${users}/UpdateUser`,
      { userId, givenName: "Ada", familyName: "King", etag: before.body.user.etag },
      asUser,
    );
    expect(updated.status, updated.text).toBe(200);
    const after = await getUser({ "if-none-match": oldTag });
    expect(after.status, after.text).toBe(200);
    expect(after.body.user.familyName).toBe("King");
    expect(after.headers.get("etag")).not.toBe(oldTag);
  });

  it("POST answers are untouched: no ETag, no 304", async () => {
    const etag = (await getUser()).headers.get("etag") ?? "";
    const response = await postJson(
      gateway.baseUrl,
      `${users}/GetUser`,
      { userId },
      {
        ...asUser,
        "if-none-match": etag,
      },
    );
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect(response.headers.get("cache-control")).toBeNull();
  });

  it("errors are not cached: a GET refused for its token has no ETag", async () => {
    const response = await getJson(gateway.baseUrl, `${users}/GetUser`, { userId });
    expect(response.status).toBe(401);
    expect(response.headers.get("etag")).toBeNull();
  });

  it("works the same over HTTP/2 (h2c)", async () => {
    const session = http2.connect(gateway.baseUrl);
    try {
      const query = new URLSearchParams({ encoding: "json", message: JSON.stringify({ userId }) });
      const get = (extra: Record<string, string>) =>
        new Promise<{ status: number; etag: string; body: string }>((resolve, reject) => {
          const stream = session.request({
            ":method": "GET",
            ":path": `/${users}/GetUser?${query}`,
            ...asUser,
            ...extra,
          });
          let status = 0;
          let etag = "";
          let body = "";
          stream.on("response", (headers) => {
            status = Number(headers[":status"]);
            etag = String(headers.etag ?? "");
          });
          stream.setEncoding("utf8");
          stream.on("data", (chunk: string) => {
            body += chunk;
          });
          stream.on("end", () => resolve({ status, etag, body }));
          stream.on("error", reject);
        });
      const first = await get({});
      expect(first.status, first.body).toBe(200);
      expect(JSON.parse(first.body).user.userId).toBe(userId);
      const second = await get({ "if-none-match": first.etag });
      expect(second).toEqual({ status: 304, etag: first.etag, body: "" });
    } finally {
      session.close();
    }
  });
});
