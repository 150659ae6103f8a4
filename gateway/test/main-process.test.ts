import { fileURLToPath } from "node:url";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { type RunningEntryPoint, runEntryPoint, spawnEntryPoint } from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";
import { type RecordingBackend, startRecordingBackend } from "./support/recording-backend.js";

const packageDirectory = fileURLToPath(new URL("..", import.meta.url));

/** Runs src/main.ts as its own process with exactly `env` (plus PATH) until it exits. */
const runMain = (env: Record<string, string>) =>
  runEntryPoint({ entry: "src/main.ts", cwd: packageDirectory, env });

describe("gateway process (src/main.ts)", () => {
  it("exits 78 naming every bad key", async () => {
    const gateway = await runMain({
      GATEWAY_PORT: "http",
      V1_SUNSET: "next year",
      WEB_BFF_TARGET: "http://x",
      JWT_CLOCK_TOLERANCE_SECONDS: "300",
      JWT_ALGORITHMS: "HS256",
    });
    expect(gateway.code).toBe(78);
    expect(gateway.output).toMatch(/GATEWAY_PORT: .*"http"/);
    expect(gateway.output).toMatch(/V1_SUNSET: must be an HTTP date/);
    expect(gateway.output).toContain("WEB_BFF_TARGET");
    // Issuer and audience are required; tolerance and algorithms are bounded.
    expect(gateway.output).toContain("JWT_ISSUER");
    expect(gateway.output).toContain("JWT_AUDIENCE");
    expect(gateway.output).toContain("JWT_CLOCK_TOLERANCE_SECONDS");
    expect(gateway.output).toContain("JWT_ALGORITHMS");
  });

  it("exits 78 when it has no key set to verify access tokens with", async () => {
    const gateway = await runMain({
      MESH_MODE: "linkerd",
      JWT_ISSUER: "https://issuer.example",
      JWT_AUDIENCE: "switchyard-api",
    });
    expect(gateway.code).toBe(78);
    expect(gateway.output).toContain("JWKS_URL: set exactly one of JWKS_URL and JWKS_FILE");
  });

  describe("running against real upstream servers", () => {
    let backend: RecordingBackend;
    let gateway: RunningEntryPoint;
    let tokens: TestTokenIssuer;
    let baseUrl = "";

    beforeAll(async () => {
      backend = await startRecordingBackend();
      tokens = await createTestTokenIssuer();
      gateway = await spawnEntryPoint({
        entry: "src/main.ts",
        cwd: packageDirectory,
        env: {
          ...tokens.env(),
          // The recording backend speaks plaintext, as services do behind the Linkerd proxy.
          MESH_MODE: "linkerd",
          GATEWAY_PORT: "0",
          USER_SERVICE_TARGET: backend.target,
          ORDER_SERVICE_TARGET: backend.target,
          V1_SUNSET: "Mon, 01 Feb 2027 00:00:00 GMT",
        },
        readyLine: '"gateway listening"',
      });
      baseUrl = `http://127.0.0.1:${(JSON.parse(gateway.matchedLine) as { port: number }).port}`;
    });
    afterAll(async () => {
      await gateway?.stop("SIGKILL");
      backend?.stop();
      tokens?.remove();
    });

    it("is ready, and serves with the interceptors and headers main.ts lists", async () => {
      const ready = await fetch(`${baseUrl}/readyz`);
      expect(ready.status).toBe(200);

      const userId = "55555555-5555-4555-8555-555555555555";
      const authorization = await tokens.authorization(userId);
      const missingKey = await postJson(
        baseUrl,
        "switchyard.edge.v1.OrderService/PlaceOrder",
        { customerId: "x" },
        { "x-request-id": "main-1", authorization },
      );
      expect(missingKey.status).toBe(400);
      expect(missingKey.body.message).toBe("Idempotency-Key header is required");
      expect(missingKey.headers.get("x-request-id")).toBe("main-1");
      expect(missingKey.headers.get("sunset")).toBe("Mon, 01 Feb 2027 00:00:00 GMT");

      const user = await postJson(
        baseUrl,
        "switchyard.edge.v2.UserService/GetUser",
        { userId },
        { authorization },
      );
      expect(user.status, user.text).toBe(200);
      expect(backend.calls.at(-1)?.deadlineInMs).toBeLessThanOrEqual(5_000);
      expect(backend.calls.at(-1)?.metadata["x-switchyard-end-user"]).toBe(userId);

      const anonymous = await postJson(baseUrl, "switchyard.edge.v2.UserService/GetUser", {
        userId,
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="switchyard"');
    });

    it("drains and exits 0 on SIGTERM", async () => {
      expect(await gateway.stop("SIGTERM")).toBe(0);
      expect(gateway.output()).toContain("drain HTTP");
    });
  });
});
