import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { adminScopes, startWebBff, type WebBffHarness } from "./support/web-bff-harness.js";

describe("the end user of a screen comes from the access token", () => {
  let backends: Backends;
  let bff: WebBffHarness;
  let ada = "";
  let grace = "";

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({ ...backends, budgetMs: 2_000 });
    ada = (await backends.registerUser("Ada", "Lovelace")).userId;
    grace = (await backends.registerUser("Grace", "Hopper")).userId;
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
  });

  const post = (body: unknown, headers: Record<string, string>) =>
    bff.request("/switchyard.bff.web.v1.WebService/GetDashboard", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("refuses a call without a valid token: 401 with a Bearer challenge", async () => {
    const missing = await post({}, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="switchyard"');
    const forged = await post({}, { authorization: "Bearer eyJhbGciOiJub25lIn0.e30." });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("an empty customer_id is the authenticated user's own dashboard", async () => {
    const dashboard = await bff.clientFor(ada).getDashboard({});
    expect(dashboard.profile?.customerId).toBe(ada);
    expect(dashboard.profile?.displayName).toBe("Ada Lovelace");
  });

  it("another customer's dashboard is PERMISSION_DENIED before any backend is asked", async () => {
    const error = await bff
      .clientFor(grace)
      .getDashboard({ customerId: ada })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.PermissionDenied);
    expect(error?.rawMessage).toBe(
      `the authenticated user may not read the dashboard of customer ${ada}`,
    );
  });

  it("an admin token may read any customer's dashboard", async () => {
    const dashboard = await bff.clientFor(grace, adminScopes).getDashboard({ customerId: ada });
    expect(dashboard.profile?.customerId).toBe(ada);
  });
});
