import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebAppServer, type WebAppServer } from "../src/web-app-server.js";

// The devstack's web server against a real HTTP server standing in for the gateway's port
// (the browser tests run it in front of the real gateway).
const site = mkdtempSync(join(tmpdir(), "web-app-site-"));
let upstream: Server;
let web: WebAppServer;
let base = "";
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];

beforeAll(async () => {
  writeFileSync(join(site, "index.html"), "<!doctype html><title>app</title>");
  mkdirSync(join(site, "assets"));
  writeFileSync(join(site, "assets", "index-abc.js"), "console.log(1)");
  writeFileSync(join(tmpdir(), "web-app-secret.txt"), "secret");
  upstream = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    seen.push({
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
      body,
    });
    response.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
    response.end('{"code":"resource_exhausted","message":"slow down"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  web = await startWebAppServer({
    host: "127.0.0.1",
    port: 0,
    siteDir: site,
    gateway: { host: "127.0.0.1", port: (upstream.address() as AddressInfo).port },
    mintDevToken: async (userId) => `token-for-${userId}`,
  });
  base = `http://127.0.0.1:${web.port}`;
});

afterAll(async () => {
  await web.close();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(site, { recursive: true, force: true });
  rmSync(join(tmpdir(), "web-app-secret.txt"), { force: true });
});

describe("the devstack's web app server", () => {
  it("serves files, and index.html for app paths and for paths that try to leave the site", async () => {
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toBe("console.log(1)");
    for (const path of [
      "/orders/123",
      "/",
      "/..%2fweb-app-secret.txt",
      "/assets/../../web-app-secret.txt",
    ]) {
      const page = await fetch(`${base}${path}`);
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).toContain("<title>app</title>");
    }
  });

  it("forwards Connect paths to the gateway unchanged, headers and status included", async () => {
    const response = await fetch(`${base}/switchyard.edge.v2.OrderService/PlaceOrder`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: '{"customerId":"c"}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toEqual({ code: "resource_exhausted", message: "slow down" });
    expect(seen.at(-1)).toEqual({
      method: "POST",
      url: "/switchyard.edge.v2.OrderService/PlaceOrder",
      authorization: "Bearer t",
      body: '{"customerId":"c"}',
    });
  });

  it("mints a dev token for a user id, and refuses anything else with 400", async () => {
    const userId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    const ok = await fetch(`${base}/dev/token`, {
      method: "POST",
      body: JSON.stringify({ userId }),
    });
    expect(await ok.json()).toEqual({ accessToken: `token-for-${userId}` });
    for (const body of ["not json", "{}", '{"userId":"nope"}']) {
      const refused = await fetch(`${base}/dev/token`, { method: "POST", body });
      expect(refused.status, body).toBe(400);
    }
    expect((await fetch(`${base}/dev/token`)).status).toBe(405);
  });
});
