import * as http2 from "node:http2";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { describe, expect, it } from "vitest";
import { createConnectHttpServer } from "../src/index.js";

function http2Get(session: http2.ClientHttp2Session, path: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const stream = session.request({ ":path": path });
    let status = 0;
    let body = "";
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    stream.on("data", (chunk) => {
      body += chunk;
    });
    stream.on("end", () => resolve({ status, body }));
    stream.on("error", reject);
  });
}

function serverWith(health: HealthRegistry) {
  return createConnectHttpServer({
    logger: createLogger({ service: "connect-host-test", level: "silent" }),
    health,
    routes: () => {},
    interceptors: [],
    maxBodyBytes: 1024,
  });
}

describe("createConnectHttpServer (cleartext)", () => {
  it("serves HTTP/1.1 and HTTP/2 prior knowledge on one port, health the same way on both", async () => {
    const server = serverWith(new HealthRegistry());
    const port = await server.listen("127.0.0.1", 0);
    const overHttp1 = await fetch(`http://127.0.0.1:${port}/healthz`);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const overHttp2 = await http2Get(session, "/healthz");
    session.close();
    await server.close(1_000);
    expect(overHttp1.status).toBe(200);
    expect(await overHttp1.json()).toEqual({ status: "ok" });
    expect(overHttp2).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it("answers an unknown path in the caller's protocol: Connect 404 with a reason", async () => {
    const server = serverWith(new HealthRegistry());
    const port = await server.listen("127.0.0.1", 0);
    const response = await fetch(`http://127.0.0.1:${port}/no.Such/Method`, { method: "POST" });
    await server.close(1_000);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: "unimplemented",
      message: "no such method: /no.Such/Method",
    });
  });

  it("drains on close: in-flight requests finish, idle keep-alive connections do not hold it up", async () => {
    const health = new HealthRegistry();
    // A slow readiness check keeps a request in flight without any Connect route.
    health.addReadinessCheck("slow", () => new Promise((resolve) => setTimeout(resolve, 200)));
    const server = serverWith(health);
    const port = await server.listen("127.0.0.1", 0);
    const base = `http://127.0.0.1:${port}`;
    await fetch(`${base}/healthz`).then((r) => r.text()); // leaves an idle keep-alive connection
    const session = http2.connect(base);
    const inFlightHttp1 = fetch(`${base}/readyz`).then((r) => r.status);
    const inFlightHttp2 = http2Get(session, "/readyz");
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = performance.now();
    await server.close(5_000);
    const closeMs = performance.now() - started;

    expect(await inFlightHttp1).toBe(200);
    expect((await inFlightHttp2).status).toBe(200);
    // Well before the 5 s grace: nothing idle was waited for.
    expect(closeMs).toBeLessThan(1_000);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    session.destroy();
  });
});
