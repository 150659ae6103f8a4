/** Every deployable that others dial, by its logical name (also its Kubernetes Service name). */
export const serviceNames = ["user-service", "order-service", "gateway", "web-bff"] as const;

export type ServiceName = (typeof serviceNames)[number];

/** The port each deployable listens on, locally and as its Kubernetes Service port. */
export const defaultPorts: Record<ServiceName, number> = {
  "user-service": 50051,
  "order-service": 50052,
  gateway: 8080,
  "web-bff": 8081,
};
