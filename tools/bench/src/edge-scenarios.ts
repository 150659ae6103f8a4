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
  /** Server processes whose CPU per request is reported (the benchmark's own children). */
  pids?: number[];
}

export interface EdgeEndpoints {
  /** grpc-js target of user-service, e.g. "127.0.0.1:50051". */
  userServiceTarget: string;
  /** mTLS credentials for user-service, as the gateway dials it. */
  userServiceTransport: ClientTransport;
  gatewayUrl: string;
  /** https://…: web-bff serves only mTLS, to the gateway. */
  webBffUrl: string;
  /** The gateway's certificate for calling web-bff (`ClientTransport.nodeTls`). */
  webBffTls: ClientTransport["nodeTls"];
}

/**
 * (a), the baseline: GetUser straight to a user-service over grpc-js with mTLS as the gateway
 * (one HTTP/2 channel, exactly as the gateway dials it), acting as the customer as the gateway
 * does after verifying a token (x-switchyard-end-user).
 */
export function directGetUserScenario(
  target: string,
  identity: { clientTransport(server: "user-service"): ClientTransport },
  customerId: string,
  pids: number[] = [],
): Scenario {
  const users = createGrpcClient(UserServiceClient, {
    target,
    ...identity.clientTransport("user-service"),
  });
  return {
    key: "a",
    title: "GetUser: grpc-js → user-service (caches bypassed)",
    pids,
    call: async () => {
      await callUnary(
        users.getUser.bind(users),
        { userId: customerId },
        { deadlineMs: 5_000, metadata: endUserMetadata({ subject: customerId, scopes: [] }) },
      );
    },
    close: () => users.close(),
  };
}

/**
 * The scenarios against the running stack, all reading the same customer:
 * (b) GetUser through the stack's gateway as Connect JSON over HTTP/1.1 keep-alive (node:http),
 *     with the stack's caches as configured;
 * (c) the BFF dashboard through the gateway, with the stack's caches as configured (the
 *     gateway's edge tier answers a repeated dashboard; a miss is gateway → web-bff → 3
 *     parallel gRPC calls);
 * (d) the BFF dashboard straight to web-bff (mTLS as the gateway), to split (c) into the gateway
 *     hop and the fan-out.
 * Every request sends the customer's access token (`authorization`).
 */
export function edgeScenarios(
  endpoints: EdgeEndpoints,
  customer: { customerId: string; authorization: string },
  concurrency: number,
): Scenario[] {
  const { customerId, authorization } = customer;
  return [
    connectJsonScenario(
      "b",
      "GetUser: Connect JSON → gateway → user-service (stack's caches)",
      `${endpoints.gatewayUrl}/switchyard.edge.v1.UserService/GetUser`,
      { userId: customerId },
      concurrency,
      authorization,
    ),
    connectJsonScenario(
      "c",
      "GetDashboard: Connect JSON → gateway (edge tier; a miss: web-bff → 3 calls)",
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
      endpoints.webBffTls,
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
  tls?: ClientTransport["nodeTls"],
): Scenario {
  const poster = keepAliveJsonPost(
    url,
    JSON.stringify(message),
    concurrency,
    { authorization },
    tls,
  );
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
