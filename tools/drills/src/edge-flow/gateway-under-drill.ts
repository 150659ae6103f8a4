import { startConnectService } from "@switchyard/connect-host";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { gateway } from "@switchyard/gateway/testing";
import type { Logger } from "@switchyard/logging";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";

export interface GatewayUnderDrill {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** `Authorization` header value of an end user (a token from the test issuer the gateway trusts). */
  authorization(subject: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * THE gateway declaration, started by the Connect host on 127.0.0.1:0 in front of the given
 * targets (unset ones point at a port nothing listens on), with its mTLS identity and a test
 * token issuer; deadlines as in production (5 s default).
 */
export async function startGatewayUnderDrill(options: {
  userServiceTarget?: string;
  orderServiceTarget?: string;
  webBffTarget?: string;
  identity: WorkloadIdentityConfig;
  logger: Logger;
  /** The issuer whose tokens it trusts (shared with web-bff); default: a new one, removed on stop. */
  tokens?: TestTokenIssuer;
}): Promise<GatewayUnderDrill> {
  const ownTokens = options.tokens === undefined;
  const tokens = options.tokens ?? (await createTestTokenIssuer());
  try {
    const running = await startConnectService(gateway, {
      env: {
        GATEWAY_PORT: "0",
        USER_SERVICE_TARGET: options.userServiceTarget ?? "127.0.0.1:9",
        ORDER_SERVICE_TARGET: options.orderServiceTarget ?? "127.0.0.1:9",
        WEB_BFF_TARGET: options.webBffTarget ?? "127.0.0.1:9",
        DEFAULT_DEADLINE_MS: "5000",
        SHUTDOWN_GRACE_MS: "500",
        TLS_CA_FILE: options.identity.TLS_CA_FILE ?? "",
        TLS_CERT_FILE: options.identity.TLS_CERT_FILE ?? "",
        TLS_KEY_FILE: options.identity.TLS_KEY_FILE ?? "",
        ...tokens.env(),
      },
      logger: options.logger,
    });
    return {
      baseUrl: running.url,
      authorization: (subject) => tokens.authorization(subject),
      async stop() {
        await running.stop();
        if (ownTokens) tokens.remove();
      },
    };
  } catch (error) {
    if (ownTokens) tokens.remove();
    throw error;
  }
}
