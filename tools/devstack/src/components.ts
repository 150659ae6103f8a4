import { defaultPorts, type ServiceName } from "@switchyard/topology";

/** One deployable the devstack runs, in start order (dependencies first). */
export interface Component {
  name: ServiceName;
  /** Entry point relative to the repository root (built by `turbo run build`). */
  entry: string;
  port: number;
  /** Fully-qualified gRPC service reported by grpc.health.v1 when the component is ready. */
  healthService: string;
  /** Its own database and role, when it owns data. */
  database?: { name: string; role: string };
  /** Logical names of the components it calls. */
  calls: ServiceName[];
}

/** The components in start order; database and role names start with `namePrefix`. */
export function devstackComponents(portOffset: number, namePrefix = "switchyard"): Component[] {
  return [
    {
      name: "user-service",
      entry: "services/user-service/dist/main.js",
      port: defaultPorts["user-service"] + portOffset,
      healthService: "switchyard.user.v1.UserService",
      database: { name: `${namePrefix}_user_service`, role: `${namePrefix}_user_service` },
      calls: [],
    },
    {
      name: "order-service",
      entry: "services/order-service/dist/main.js",
      port: defaultPorts["order-service"] + portOffset,
      healthService: "switchyard.order.v1.OrderService",
      database: { name: `${namePrefix}_order_service`, role: `${namePrefix}_order_service` },
      calls: ["user-service"],
    },
  ];
}
