import { Writable } from "node:stream";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createAccessTokenVerifier, createFileKeySet } from "@switchyard/end-user-auth";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { createWebBffServer } from "../../src/web-bff-server.js";

/** The scope that lets a token read any customer's screens (the access policy's admin scope). */
export const adminScopes = ["switchyard:admin"];

export interface WebBffHarness {
  baseUrl: string;
  /**
   * A Connect (JSON, HTTP/1.1) client, as a browser would use, with an ADMIN access token: it may
   * read any customer's screens (the ownership tests use `clientFor`).
   */
  client: Client<typeof WebService>;
  /** The same client with a token for `subject` (and `scopes`). */
  clientFor(subject: string, scopes?: string[]): Client<typeof WebService>;
  /** `Bearer …` for `subject`, for fetch and other protocol clients (default: the admin). */
  authorization(subject?: string, scopes?: string[]): Promise<string>;
  /** The test issuer whose keys the BFF trusts. */
  tokens: TestTokenIssuer;
  health: HealthRegistry;
  /** Every JSON log line the BFF wrote. */
  logLines: string[];
  close(): Promise<void>;
}

/** web-bff on 127.0.0.1:0, built exactly as main.ts builds it, calling the given targets. */
export async function startWebBff(options: {
  userServiceTarget: string;
  orderServiceTarget: string;
  budgetMs: number;
  recentOrders?: number;
}): Promise<WebBffHarness> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const users = createGrpcClient(UserServiceClient, { target: options.userServiceTarget });
  const orders = createGrpcClient(OrderServiceClient, { target: options.orderServiceTarget });
  const health = new HealthRegistry();
  const tokens = await createTestTokenIssuer();
  const accessTokens = createAccessTokenVerifier({
    keys: createFileKeySet(tokens.jwksFile),
    issuer: tokens.issuer,
    audience: tokens.audience,
    algorithms: ["ES256"],
    clockToleranceSeconds: 30,
  });
  const server = createWebBffServer({
    users,
    orders,
    health,
    accessTokens,
    logger: createLogger({ service: "web-bff", level: "debug", destination }),
    budgetMs: options.budgetMs,
    recentOrders: options.recentOrders ?? 5,
  });
  const port = await server.listen("127.0.0.1", 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  const authorization = (subject = "bff-test-admin", scopes = adminScopes) =>
    tokens.authorization(subject, scopes);
  const clientFor = (subject: string, scopes: string[] = []) => {
    const withToken: Interceptor = (next) => async (request) => {
      request.header.set("authorization", await authorization(subject, scopes));
      return next(request);
    };
    return createClient(
      WebService,
      createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withToken] }),
    );
  };
  return {
    baseUrl,
    client: clientFor("bff-test-admin", adminScopes),
    clientFor,
    authorization,
    tokens,
    health,
    logLines,
    async close() {
      await server.close(1_000);
      users.close();
      orders.close();
      tokens.remove();
    },
  };
}

/** Milliseconds `action` took, with its result. */
export async function timed<T>(action: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await action();
  return { value, elapsedMs: performance.now() - started };
}
