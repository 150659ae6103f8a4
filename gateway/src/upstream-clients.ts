import { type Client, createClient } from "@connectrpc/connect";
import { connectPeerTransport } from "@switchyard/connect-host";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcClient } from "@switchyard/grpc-kit";
import type { Topology } from "@switchyard/topology";
import type { WorkloadIdentity } from "@switchyard/workload-identity";

/** The services behind the gateway, each dialled by its logical name from the topology. */
export interface Upstreams {
  users: UserServiceClient;
  orders: OrderServiceClient;
  /** web-bff is a Connect server: reached with a Connect client over gRPC (HTTP/2, mTLS). */
  bff: Client<typeof WebService>;
  close(): void;
}

/**
 * Creates the upstream clients, all as the gateway's workload identity. grpc-js clients balance
 * round_robin over every address a target resolves to (grpc-kit); the BFF client keeps one
 * HTTP/2 session to the BFF's Service name. `maxDeadlineMs` bounds calls that somehow carry no
 * deadline.
 */
export function createUpstreams(
  topology: Topology,
  options: { maxDeadlineMs: number; identity: WorkloadIdentity },
): Upstreams {
  const { identity } = options;
  const users = createGrpcClient(UserServiceClient, {
    target: topology["user-service"],
    defaultDeadlineMs: options.maxDeadlineMs,
    ...identity.clientTransport("user-service"),
  });
  const orders = createGrpcClient(OrderServiceClient, {
    target: topology["order-service"],
    defaultDeadlineMs: options.maxDeadlineMs,
    // The edge requires an Idempotency-Key on PlaceOrder: a retry replays, never orders twice.
    retriedWritesWithKey: ["PlaceOrder"],
    ...identity.clientTransport("order-service"),
  });
  const bffTransport = connectPeerTransport(identity, "web-bff", topology["web-bff"]);
  const bff = createClient(WebService, bffTransport.transport);
  return {
    users,
    orders,
    bff,
    close() {
      users.close();
      orders.close();
      bffTransport.close();
    },
  };
}
