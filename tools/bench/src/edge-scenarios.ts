import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import type { ClientTransport } from "@switchyard/workload-identity";
import { keepAliveJsonPost } from "./keep-alive-json-post.js";

/** One thing the benchmark measures: a name, and one request of it. */
export interface Scenario {
  key: string;
  title: string;
  call: () => Promise<void>;
  close(): void;
}

export interface EdgeEndpoints {
  /** grpc-js target of user-service, e.g. "127.0.0.1:50051". */
  userServiceTarget: string;
  /** mTLS credentials for user-service, as the gateway dials it. */
  userServiceTransport: ClientTransport;
  gatewayUrl: string;
  webBffUrl: string;
}

/**
 * The edge scenarios, all reading the same customer:
 * (a) GetUser straight to user-service over grpc-js with mTLS (one HTTP/2 channel, exactly as
 *     the gateway dials it);
 * (b) the same GetUser through the gateway as Connect JSON over HTTP/1.1 keep-alive (node:http);
 * (c) the BFF dashboard through the gateway (gateway → web-bff → 3 parallel gRPC calls);
 * (d) the BFF dashboard straight to web-bff, to split (c) into the gateway hop and the fan-out.
 * Every request acts as the customer: (a) asserts them as the gateway does after verifying a
 * token (x-switchyard-end-user); (b)–(d) send the customer's access token (`authorization`).
 */
export function edgeScenarios(
  endpoints: EdgeEndpoints,
  customer: { customerId: string; authorization: string },
  concurrency: number,
): Scenario[] {
  const { customerId, authorization } = customer;
  const users = createGrpcClient(UserServiceClient, {
    target: endpoints.userServiceTarget,
    ...endpoints.userServiceTransport,
  });
  return [
    {
      key: "a",
      title: "GetUser: grpc-js → user-service",
      call: async () => {
        await callUnary(
          users.getUser.bind(users),
          { userId: customerId },
          { deadlineMs: 5_000, metadata: endUserMetadata({ subject: customerId, scopes: [] }) },
        );
      },
      close: () => users.close(),
    },
    connectJsonScenario(
      "b",
      "GetUser: Connect JSON → gateway → user-service",
      `${endpoints.gatewayUrl}/switchyard.edge.v1.UserService/GetUser`,
      { userId: customerId },
      concurrency,
      authorization,
    ),
    connectJsonScenario(
      "c",
      "GetDashboard: Connect JSON → gateway → web-bff → 3 calls",
      `${endpoints.gatewayUrl}/switchyard.bff.web.v1.WebService/GetDashboard`,
      { customerId },
      concurrency,
      authorization,
    ),
    connectJsonScenario(
      "d",
      "GetDashboard: Connect JSON → web-bff → 3 calls",
      `${endpoints.webBffUrl}/switchyard.bff.web.v1.WebService/GetDashboard`,
      { customerId },
      concurrency,
      authorization,
    ),
  ];
}

function connectJsonScenario(
  key: string,
  title: string,
  url: string,
  message: unknown,
  concurrency: number,
  authorization: string,
): Scenario {
  const poster = keepAliveJsonPost(url, JSON.stringify(message), concurrency, { authorization });
  return {
    key,
    title,
    call: async () => {
      const text = await poster.post();
      // A degraded dashboard is a fast wrong answer: count it as an error, not as throughput.
      if (text.includes('"degradedSections"')) throw new Error(`degraded: ${text.slice(0, 200)}`);
    },
    close: () => poster.close(),
  };
}
