import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderService } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import { UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";

/** The three APIs the app uses, all through the gateway on the page's own origin. */
export interface ApiClients {
  /** The BFF: one call per screen. */
  web: Client<typeof WebService>;
  /** Public API v2: sign-up. */
  users: Client<typeof UserService>;
  /** Public API v2: place and cancel orders. */
  orders: Client<typeof OrderService>;
}

/** Connect JSON over fetch to `baseUrl`, every call carrying the signed-in user's access token. */
export function createApiClients(options: {
  baseUrl: string;
  accessToken: () => string | undefined;
}): ApiClients {
  const transport = createConnectTransport({
    baseUrl: options.baseUrl,
    interceptors: [bearerToken(options.accessToken)],
  });
  return clientsOn(transport);
}

function clientsOn(transport: Transport): ApiClients {
  return {
    web: createClient(WebService, transport),
    users: createClient(UserService, transport),
    orders: createClient(OrderService, transport),
  };
}

function bearerToken(accessToken: () => string | undefined): Interceptor {
  return (next) => (request) => {
    const token = accessToken();
    if (token) request.header.set("Authorization", `Bearer ${token}`);
    return next(request);
  };
}
