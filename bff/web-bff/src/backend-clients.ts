import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcClient } from "@switchyard/grpc-kit";
import type { Topology } from "@switchyard/topology";
import type { WorkloadIdentity } from "@switchyard/workload-identity";

/** The services the screens read, dialled as web-bff's workload identity. */
export interface BackendClients {
  users: UserServiceClient;
  orders: OrderServiceClient;
  close(): void | Promise<void>;
}

export function createBackendClients(
  topology: Topology,
  identity: WorkloadIdentity,
): BackendClients {
  const users = createGrpcClient(UserServiceClient, {
    target: topology["user-service"],
    ...identity.clientTransport("user-service"),
  });
  const orders = createGrpcClient(OrderServiceClient, {
    target: topology["order-service"],
    ...identity.clientTransport("order-service"),
  });
  return {
    users,
    orders,
    close() {
      users.close();
      orders.close();
    },
  };
}
