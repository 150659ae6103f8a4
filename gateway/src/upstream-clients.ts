import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type * as grpc from "@grpc/grpc-js";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { type Topology, toHttpBaseUrl } from "@switchyard/topology";
import type { ClientTransport } from "@switchyard/workload-identity";

/** The services behind the gateway, each dialled by its logical name from the topology. */
export interface Upstreams {
  users: UserServiceClient;
  orders: OrderServiceClient;
  /** web-bff is a Connect server: reached with a Connect client over gRPC (HTTP/2, h2c). */
  bff: Client<typeof WebService>;
  close(): void;
}

/**
 * Creates the upstream clients. grpc-js clients balance round_robin over every address a target
 * resolves to (grpc-kit); the BFF client keeps one HTTP/2 session to the BFF's Service name.
 * `maxDeadlineMs` bounds calls that somehow carry no deadline.
 */
export function createUpstreams(
  topology: Topology,
  options: {
    maxDeadlineMs: number;
    /** mTLS to each service (`WorkloadIdentity.clientTransport`); plaintext if omitted (tests). */
    transport?: (server: "user-service" | "order-service") => ClientTransport;
  },
): Upstreams {
  const users = createGrpcClient(UserServiceClient, {
    target: topology["user-service"],
    defaultDeadlineMs: options.maxDeadlineMs,
    ...options.transport?.("user-service"),
  });
  const orders = createGrpcClient(OrderServiceClient, {
    target: topology["order-service"],
    defaultDeadlineMs: options.maxDeadlineMs,
    ...options.transport?.("order-service"),
  });
  const baseUrl = toHttpBaseUrl(topology["web-bff"]);
  const sessionManager = new Http2SessionManager(baseUrl);
  const bff = createClient(WebService, createGrpcTransport({ baseUrl, sessionManager }));
  return {
    users,
    orders,
    bff,
    close() {
      users.close();
      orders.close();
      sessionManager.abort();
    },
  };
}

/**
 * A readiness check that passes when the client's channel connects within `timeoutMs`
 * (waitForReady also starts connecting an idle channel).
 */
export function channelReadiness(client: grpc.Client, timeoutMs = 1_000): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + timeoutMs, (error) => {
        if (error) reject(new Error(`not connectable within ${timeoutMs} ms`));
        else resolve();
      });
    });
}
