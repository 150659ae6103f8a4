import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { UserService as V1UserService } from "@switchyard/contracts/connect/switchyard/edge/v1/user_service_pb";
import { UserService as V2UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import {
  adminScopes,
  type GatewayHarness,
  startGateway,
  testSunset,
} from "./support/gateway-harness.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const buf = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));
const run = promisify(execFile);

let backends: Backends;
let gateway: GatewayHarness;
let userId = "";
/** Radia's Authorization header, once she has registered. */
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
});
afterAll(async () => {
  await gateway?.close();
  await backends?.close();
});

/** Runs the real `buf curl` from the repository root, with the schema read from proto/. */
async function bufCurl(args: string[]) {
  return run(buf, ["curl", "--schema", "proto", ...args], { cwd: repositoryRoot }).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      exitCode: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe("one port, every protocol", () => {
  it("Connect binary over HTTP/2 cleartext (connect-node client)", async () => {
    const transport = createConnectTransport({
      baseUrl: gateway.baseUrl,
      httpVersion: "2",
      useBinaryFormat: true,
    });
    const client = createClient(V2UserService, transport);
    const { user } = await client.registerUser({
      email: "radia@example.com",
      givenName: "Radia",
      familyName: "Perlman",
    });
    expect(user?.givenName).toBe("Radia");
    userId = user?.userId ?? "";
    asUser = await gateway.auth(userId);
    const fetched = await client.getUser({ userId }, { headers: asUser });
    expect(fetched.user?.email).toBe("radia@example.com");
  });

  it.each<[string, () => Transport]>([
    ["gRPC over HTTP/2", () => createGrpcTransport({ baseUrl: gateway.baseUrl })],
    [
      "gRPC-Web over HTTP/1.1",
      () => createGrpcWebTransport({ baseUrl: gateway.baseUrl, httpVersion: "1.1" }),
    ],
    [
      "Connect JSON over HTTP/2",
      () => createConnectTransport({ baseUrl: gateway.baseUrl, httpVersion: "2" }),
    ],
  ])(
    "%s: v1 answers, with deprecation headers, and errors keep their code",
    async (_name, transport) => {
      const client = createClient(V1UserService, transport());
      let headers = new Headers();
      const { user } = await client.getUser(
        { userId },
        { headers: asUser, onHeader: (h) => (headers = h) },
      );
      expect(user?.fullName).toBe("Radia Perlman");
      expect(headers.get("sunset")).toBe(testSunset);
      expect(headers.get("x-request-id")).toBeTruthy();

      // An admin, so the unknown id is NOT_FOUND (a user would get PERMISSION_DENIED first).
      const admin = await gateway.auth("ops-admin", adminScopes);
      const failure = await client
        .getUser({ userId: "00000000-0000-4000-8000-000000000000" }, { headers: admin })
        .then(
          () => undefined,
          (error: unknown) => ConnectError.from(error),
        );
      expect(failure?.code).toBe(Code.NotFound);
      expect(failure?.rawMessage).toMatch(/^user 0{8}-.* (was )?not found$/);
    },
  );

  it("buf curl --protocol grpc --http2-prior-knowledge", async () => {
    const result = await bufCurl([
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "-v",
      "-H",
      `Authorization: ${asUser.authorization}`,
      "-d",
      JSON.stringify({ userId }),
      `${gateway.baseUrl}/switchyard.edge.v1.UserService/GetUser`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).user).toMatchObject({ userId, fullName: "Radia Perlman" });
    expect(result.stderr).toContain("Sunset: Sat, 01 May 2027 00:00:00 GMT");
    expect(result.stderr).toContain("Grpc-Status: 0");
  });

  it("buf curl --protocol grpcweb", async () => {
    const result = await bufCurl([
      "--protocol",
      "grpcweb",
      "-H",
      `Authorization: ${asUser.authorization}`,
      "-d",
      JSON.stringify({ userId }),
      `${gateway.baseUrl}/switchyard.edge.v2.UserService/GetUser`,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).user).toMatchObject({ userId, familyName: "Perlman" });
  });

  it("buf curl (Connect, HTTP/1.1) reports an upstream error with its code", async () => {
    const result = await bufCurl([
      "-H",
      `Authorization: ${asUser.authorization}`,
      "-d",
      JSON.stringify({ userId: "not-a-uuid" }),
      `${gateway.baseUrl}/switchyard.edge.v2.UserService/GetUser`,
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("invalid_argument");
    expect(result.stdout + result.stderr).toContain("user_id: must be a UUID");
  });
});
