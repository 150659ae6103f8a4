import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDescriptorProtos } from "../src/reflection.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const run = promisify(execFile);
const buf = fileURLToPath(new URL("../../../node_modules/.bin/buf", import.meta.url));

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Runs the real `buf curl` over plaintext HTTP/2 gRPC, schema from server reflection only. */
async function bufCurl(...args: string[]): Promise<string> {
  const { stdout } = await run(
    buf,
    ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args],
    {
      timeout: 20_000,
    },
  );
  return stdout;
}

describe("server reflection", () => {
  it("lets buf curl list the methods of the services the server serves, and only those", async () => {
    const methods = (await bufCurl("--list-methods", `http://${server.address}`)).split("\n");

    expect(methods).toContain("switchyard.user.v1.UserService/GetUser");
    expect(methods).toContain("grpc.health.v1.Health/Check");
    expect(methods.some((method) => method.startsWith("switchyard.order.v1"))).toBe(false);
  });

  it("lets buf curl call grpc.health.v1.Health/Check, which answers SERVING", async () => {
    const output = await bufCurl(
      "-d",
      "{}",
      `http://${server.address}/grpc.health.v1.Health/Check`,
    );

    expect(JSON.parse(output)).toEqual({ status: "SERVING" });
  });

  it("lets buf curl call a method whose messages import well-known types", async () => {
    const output = await bufCurl(
      "-d",
      '{"user_id":"u-7"}',
      `http://${server.address}/switchyard.user.v1.UserService/GetUser`,
    );

    expect(JSON.parse(output).user).toMatchObject({ userId: "u-7", version: "1" });
  });

  it("splits a descriptor set into its files and rejects a truncated one", () => {
    const fileA = Buffer.from([0x0a, 0x01, 0x61]); // FileDescriptorProto{name:"a"}
    const set = Buffer.concat([
      Buffer.from([0x0a, fileA.length]),
      fileA,
      Buffer.from([0x0a, 0x00]),
    ]);

    expect(fileDescriptorProtos(set)).toEqual([fileA, Buffer.alloc(0)]);
    expect(() => fileDescriptorProtos(set.subarray(0, 3))).toThrow(/truncated/);
  });
});
