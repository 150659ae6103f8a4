import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { findFreePort } from "@switchyard/local-infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callConnectJson } from "../src/connect-json.js";
import { findMissingEndpoints } from "../src/stack-check.js";

describe("callConnectJson against a real HTTP server", () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] =
    [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (request.url === "/healthz") {
          response.writeHead(200).end("ok");
        } else if (request.url?.startsWith("/pkg.Service/Fail")) {
          response
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ code: "invalid_argument", message: "page_size: at most 100" }));
        } else {
          response
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ echo: body === "" ? null : JSON.parse(body) }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts JSON with the Connect headers and returns the parsed body", async () => {
    const outcome = await callConnectJson<{ echo: unknown }>(
      baseUrl,
      "pkg.Service/Echo",
      { userId: "u1" },
      { headers: { "idempotency-key": "k1" }, timeoutMs: 2_000 },
    );
    expect(outcome).toMatchObject({ ok: true, status: 200, body: { echo: { userId: "u1" } } });
    const request = seen.at(-1);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["connect-protocol-version"]).toBe("1");
    expect(request?.headers["connect-timeout-ms"]).toBe("2000");
    expect(request?.headers["idempotency-key"]).toBe("k1");
  });

  it("uses the Connect GET form for side-effect-free calls", async () => {
    await callConnectJson(baseUrl, "pkg.Service/Get", { userId: "u 1" }, { method: "GET" });
    expect(seen.at(-1)?.method).toBe("GET");
    expect(seen.at(-1)?.url).toBe(
      `/pkg.Service/Get?connect=v1&encoding=json&message=${encodeURIComponent('{"userId":"u 1"}')}`,
    );
  });

  it("returns the Connect error code and message of a failed call", async () => {
    const outcome = await callConnectJson(baseUrl, "pkg.Service/Fail", {});
    expect(outcome).toMatchObject({
      ok: false,
      status: 400,
      code: "invalid_argument",
      message: "page_size: at most 100",
    });
  });

  it("reports a server that is not there as unreachable, and the stack check names it", async () => {
    const closedPort = await findFreePort();
    const outcome = await callConnectJson(`http://127.0.0.1:${closedPort}`, "pkg.Service/Echo", {});
    expect(outcome).toMatchObject({ ok: false, status: 0, code: "unreachable" });
    const missing = await findMissingEndpoints([
      { name: "gateway", healthUrl: `http://127.0.0.1:${closedPort}/healthz` },
      { name: "up", healthUrl: `${baseUrl}/healthz` },
    ]);
    expect(missing).toEqual([`gateway (http://127.0.0.1:${closedPort}/healthz)`]);
  });

  it("answers client_timeout when the server holds the call past the timeout", async () => {
    const silent = http.createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const outcome = await callConnectJson(
        `http://127.0.0.1:${port}`,
        "pkg.Service/Echo",
        {},
        {
          timeoutMs: 100,
        },
      );
      expect(outcome).toMatchObject({ ok: false, status: 0, code: "client_timeout" });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("reaches a server on a port fetch refuses (a stack at DEVSTACK_PORT_OFFSET=2000 serves on 10080)", async () => {
    const badPorts = [10080, 6665, 6666, 6667, 6668, 6669, 6697];
    const server = http.createServer((_, response) => response.writeHead(200).end("ok"));
    const port = await listenOnFirstFree(server, badPorts);
    if (port === undefined) {
      throw new Error(`every port fetch refuses is taken here (${badPorts.join(", ")})`);
    }
    try {
      const refusedByFetch = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => false,
        () => true,
      );
      expect(refusedByFetch).toBe(true);
      expect(
        await findMissingEndpoints([
          { name: "gateway", healthUrl: `http://127.0.0.1:${port}/healthz` },
        ]),
      ).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** Listens on the first of `ports` that is free; undefined when none is. */
async function listenOnFirstFree(
  server: http.Server,
  ports: number[],
): Promise<number | undefined> {
  for (const port of ports) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (listening) return port;
  }
  return undefined;
}
