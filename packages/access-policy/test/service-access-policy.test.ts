import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { HealthService } from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { OrderServiceService } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceService } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { describe, expect, it } from "vitest";
import { type MeshWorkload, platformAccess, serviceAccessPolicy } from "../src/index.js";

const served: Record<string, { [method: string]: { path: string } }> = {
  "user-service": UserServiceService,
  "order-service": OrderServiceService,
  // A Connect service: its descriptor names the same paths.
  "web-bff": Object.fromEntries(
    WebService.methods.map((method) => [
      method.name,
      { path: `/${WebService.typeName}/${method.name}` },
    ]),
  ),
};

function policyPaths(server: MeshWorkload): string[] {
  const services = serviceAccessPolicy.servers[server]?.services ?? {};
  return Object.entries(services).flatMap(([service, methods]) =>
    Object.keys(methods).map((method) => `/${service}/${method}`),
  );
}

describe("the service access policy", () => {
  it.each(Object.keys(served))("names every method %s serves, and nothing else", (server) => {
    const contractPaths = Object.values(served[server] ?? {}).map((method) => method.path);
    expect(policyPaths(server as MeshWorkload).sort()).toEqual(contractPaths.sort());
  });

  it("opens to anonymous callers only methods it knows, and keeps edge and internal callers apart", () => {
    const known = [...policyPaths("user-service"), ...policyPaths("order-service")];
    for (const path of serviceAccessPolicy.endUsers.anonymousMethods) {
      expect(known, path).toContain(path);
    }
    const { asserters, internalCallers } = serviceAccessPolicy.endUsers;
    expect(asserters.filter((workload) => internalCallers.includes(workload))).toEqual([]);
  });

  it("covers every health method grpc-kit serves", () => {
    for (const { path } of Object.values(HealthService)) {
      expect(platformAccess[path], path).toBeDefined();
    }
  });
});
