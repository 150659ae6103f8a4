import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "@switchyard/config";
import { createLogger } from "@switchyard/logging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenVerifierFromConfig, endUserAuthConfigShape } from "../src/index.js";
import { createTestTokenIssuer, type TestTokenIssuer } from "../src/testing.js";

const logger = createLogger({ service: "test", level: "silent" });
let issuer: TestTokenIssuer;
let server: Server;
let fetches = 0;
let jwksUrl = "";

beforeAll(async () => {
  issuer = await createTestTokenIssuer();
  // A real HTTP key server publishing whatever the issuer has published right now.
  server = createServer((_request, response) => {
    fetches++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  issuer?.remove();
});

describe("JWKS from a URL", () => {
  it("fetches the key set once, and again only for a new kid after the cooldown", async () => {
    const verifier = accessTokenVerifierFromConfig(
      loadConfig(endUserAuthConfigShape, {
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        JWKS_URL: jwksUrl,
        JWKS_COOLDOWN_MS: "200",
      }),
      { logger },
    );
    for (let call = 0; call < 5; call++) {
      expect(await verifier.verify(await issuer.authorization("user-1"))).toMatchObject({
        subject: "user-1",
      });
    }
    expect(fetches).toBe(1);

    await issuer.rotate();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await verifier.verify(await issuer.authorization("user-2"))).toMatchObject({
      subject: "user-2",
    });
    expect(fetches).toBe(2);

    // An unknown kid within the cooldown does not fetch again: it is refused.
    await issuer.rotate({ publish: false });
    await expect(verifier.verify(await issuer.authorization("user-3"))).rejects.toMatchObject({
      category: "token signature not accepted",
    });
    await expect(verifier.verify(await issuer.authorization("user-3"))).rejects.toMatchObject({
      category: "token signature not accepted",
    });
    expect(fetches).toBeLessThanOrEqual(3);
  });
});
