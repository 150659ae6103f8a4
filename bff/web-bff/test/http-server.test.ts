import * as http2 from "node:http2";
import { describe, expect, it } from "vitest";
import { createHttpServer } from "../src/http-server.js";

function http2Get(session: http2.ClientHttp2Session, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":path": path });
    let body = "";
    stream.on("data", (chunk) => {
      body += chunk;
    });
    stream.on("end", () => resolve(body));
    stream.on("error", reject);
  });
}

describe("createHttpServer", () => {
  it("serves HTTP/1.1 and HTTP/2 prior-knowledge on one port", async () => {
    const server = createHttpServer((request, response) => {
      response.end(`HTTP/${request.httpVersion}`);
    });
    const port = await server.listen("127.0.0.1", 0);
    const overHttp1 = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const overHttp2 = await http2Get(session, "/");
    session.close();
    await server.close(1_000);
    expect(overHttp1).toBe("HTTP/1.1");
    expect(overHttp2).toBe("HTTP/2.0");
  });

  it("drains on close: in-flight requests finish, idle keep-alive connections do not hold it up", async () => {
    const server = createHttpServer((_request, response) => {
      setTimeout(() => response.end("done"), 200);
    });
    const port = await server.listen("127.0.0.1", 0);
    const base = `http://127.0.0.1:${port}`;
    await fetch(base).then((r) => r.text()); // leaves an idle keep-alive connection behind
    const session = http2.connect(base);
    const inFlightHttp1 = fetch(base).then((r) => r.text());
    const inFlightHttp2 = http2Get(session, "/");
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = performance.now();
    await server.close(5_000);
    const closeMs = performance.now() - started;

    expect(await inFlightHttp1).toBe("done");
    expect(await inFlightHttp2).toBe("done");
    // Well before the 5 s grace: nothing idle was waited for.
    expect(closeMs).toBeLessThan(1_000);
    await expect(fetch(base)).rejects.toThrow();
    session.destroy();
  });
});
