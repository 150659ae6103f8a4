import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveJsonPost } from "../src/keep-alive-json-post.js";

describe("keepAliveJsonPost against a real HTTP server", () => {
  let server: http.Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        const status = request.url === "/fail" ? 503 : 200;
        response.writeHead(status, { "content-type": "application/json" });
        response.end(
          JSON.stringify({ got: JSON.parse(body), type: request.headers["content-type"] }),
        );
      });
    });
    server.on("connection", () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts the JSON body and reuses at most maxSockets connections", async () => {
    const poster = keepAliveJsonPost(`${url}/ok`, '{"userId":"u1"}', 4);
    const before = connections;
    const answers = await Promise.all(Array.from({ length: 40 }, () => poster.post()));
    poster.close();
    expect(JSON.parse(answers[0] ?? "")).toEqual({
      got: { userId: "u1" },
      type: "application/json",
    });
    expect(connections - before).toBeLessThanOrEqual(4);
  });

  it("rejects a non-2xx answer with its status", async () => {
    const poster = keepAliveJsonPost(`${url}/fail`, "{}", 1);
    await expect(poster.post()).rejects.toThrow(/^HTTP 503/);
    poster.close();
  });
});
