import { Writable } from "node:stream";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startConnectService } from "@switchyard/connect-host";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import type { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import type { TestCertificates } from "@switchyard/workload-identity/testing";
import { webBff } from "../../src/web-bff.js";
import { type ClientTls, clientTlsOf, mtlsRequest, type TlsResponse } from "./mtls-fetch.js";

/** The scope that lets a token read any customer's screens (the access policy's admin scope). */
export const adminScopes = ["switchyard:admin"];

export interface WebBffHarness {
  /** https://127.0.0.1:<port> */
  baseUrl: string;
  /**
   * A Connect (JSON, HTTP/1.1) client calling as the gateway (the one workload the access policy
   * lets in), with an ADMIN access token: it may read any customer's screens (the ownership
   * tests use `clientFor`).
   */
  client: Client<typeof WebService>;
  /** The same client with a token for `subject` (and `scopes`). */
  clientFor(subject: string, scopes?: string[]): Client<typeof WebService>;
  /** `Bearer …` for `subject`, for other protocol clients (default: the admin). */
  authorization(subject?: string, scopes?: string[]): Promise<string>;
  /** TLS options of a client presenting `workload`'s certificate (default: the gateway). */
  tlsAs(workload?: string): ClientTls;
  /** An HTTPS request to `path` as `workload` (default: the gateway). */
  request(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
    workload?: string,
  ): Promise<TlsResponse>;
  /** The test issuer whose keys the BFF trusts. */
  tokens: TestTokenIssuer;
  health: HealthRegistry;
  /** Every JSON log line the BFF wrote. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The REAL web-bff — its declaration started by the Connect host, as main.ts runs it — on
 * 127.0.0.1:0 with its test certificate from `certs`, calling the given targets, trusting a
 * test token issuer.
 */
export async function startWebBff(options: {
  certs: TestCertificates;
  userServiceTarget: string;
  orderServiceTarget: string;
  budgetMs: number;
  recentOrders?: number;
  /** More environment (e.g. NATS_URL, CACHE settings). */
  env?: Record<string, string>;
}): Promise<WebBffHarness> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const tokens = await createTestTokenIssuer();
  const identity = options.certs.configFor("web-bff");
  const running = await startConnectService(webBff, {
    env: {
      WEB_BFF_PORT: "0",
      USER_SERVICE_TARGET: options.userServiceTarget,
      ORDER_SERVICE_TARGET: options.orderServiceTarget,
      DASHBOARD_BUDGET_MS: String(options.budgetMs),
      RECENT_ORDERS: String(options.recentOrders ?? 5),
      SHUTDOWN_GRACE_MS: "1000",
      TLS_CA_FILE: identity.TLS_CA_FILE,
      TLS_CERT_FILE: identity.TLS_CERT_FILE,
      TLS_KEY_FILE: identity.TLS_KEY_FILE,
      ...tokens.env(),
      ...options.env,
    },
    logger: createLogger({ service: "web-bff", level: "debug", destination }),
  });
  const baseUrl = running.url;
  const tlsAs = (workload = "gateway") => clientTlsOf(options.certs, workload);
  const authorization = (subject = "bff-test-admin", scopes = adminScopes) =>
    tokens.authorization(subject, scopes);
  const clientFor = (subject: string, scopes: string[] = []) => {
    const withToken: Interceptor = (next) => async (request) => {
      request.header.set("authorization", await authorization(subject, scopes));
      return next(request);
    };
    return createClient(
      WebService,
      createConnectTransport({
        baseUrl,
        httpVersion: "1.1",
        nodeOptions: tlsAs(),
        interceptors: [withToken],
      }),
    );
  };
  return {
    baseUrl,
    client: clientFor("bff-test-admin", adminScopes),
    clientFor,
    authorization,
    tlsAs,
    request: (path, init, workload) => mtlsRequest(`${baseUrl}${path}`, tlsAs(workload), init),
    tokens,
    health: running.health,
    logLines,
    async close() {
      await running.stop();
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
