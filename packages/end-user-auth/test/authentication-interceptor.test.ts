import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  GetDashboardResponseSchema,
  GetOrderPageResponseSchema,
  WebService,
} from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createLogger } from "@switchyard/logging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authenticationInterceptor,
  createAccessTokenVerifier,
  createFileKeySet,
  requireEndUser,
} from "../src/index.js";
import { createTestTokenIssuer, type TestTokenIssuer } from "../src/testing.js";

let issuer: TestTokenIssuer;
let server: Server;
let baseUrl = "";
const seen: string[] = [];

beforeAll(async () => {
  issuer = await createTestTokenIssuer();
  const verifier = createAccessTokenVerifier({
    keys: createFileKeySet(issuer.jwksFile),
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["ES256"],
    clockToleranceSeconds: 30,
  });
  const handler = connectNodeAdapter({
    routes: (router) =>
      router.service(WebService, {
        getDashboard(_request, context) {
          seen.push(requireEndUser(context).subject);
          return create(GetDashboardResponseSchema, {});
        },
        getOrderPage: () => create(GetOrderPageResponseSchema, {}),
      }),
    interceptors: [
      authenticationInterceptor({
        verifier,
        publicMethods: [WebService.method.getOrderPage],
        logger: createLogger({ service: "test", level: "silent" }),
      }),
    ],
  });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  issuer?.remove();
});

const post = (method: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/switchyard.bff.web.v1.WebService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: "{}",
  });

describe("authentication interceptor (Connect over HTTP)", () => {
  it("answers 401 with a Bearer challenge in the HTTP headers, and no handler runs", async () => {
    const missing = await post("GetDashboard");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="switchyard"');
    expect(await missing.json()).toEqual({
      code: "unauthenticated",
      message: "missing bearer token",
    });

    const bad = await post("GetDashboard", { authorization: "Bearer x.y.z" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe(
      'Bearer realm="switchyard", error="invalid_token", error_description="malformed token"',
    );
    expect(seen).toEqual([]);
  });

  it("hands the verified end user to the handler", async () => {
    const response = await post("GetDashboard", {
      authorization: await issuer.authorization("user-7"),
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual(["user-7"]);
  });

  it("lets public methods through without a token", async () => {
    expect((await post("GetOrderPage")).status).toBe(200);
  });
});
