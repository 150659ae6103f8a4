import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { decideAccess } from "./access-decision.js";
import { serviceAccessPolicy } from "./service-access-policy.js";

const decide = (path: string, caller: string | undefined, server = "user-service" as const) =>
  decideAccess(serviceAccessPolicy, server, path, caller);

describe("decideAccess", () => {
  it("allows a listed workload and refuses another with '<caller> may not call <method>'", () => {
    expect(decide("/switchyard.user.v1.UserService/GetUser", "order-service")).toEqual({
      allowed: true,
    });
    expect(decide("/switchyard.user.v1.UserService/UpdateUser", "order-service")).toEqual({
      allowed: false,
      code: grpc.status.PERMISSION_DENIED,
      message: "order-service may not call switchyard.user.v1.UserService/UpdateUser",
    });
  });

  it("refuses a call without identity as UNAUTHENTICATED, except health Check", () => {
    expect(decide("/switchyard.user.v1.UserService/GetUser", undefined)).toMatchObject({
      allowed: false,
      code: grpc.status.UNAUTHENTICATED,
    });
    expect(decide("/grpc.health.v1.Health/Check", undefined)).toEqual({ allowed: true });
    expect(decide("/grpc.health.v1.Health/Watch", undefined)).toMatchObject({ allowed: false });
  });

  it("lets any authenticated workload use reflection, and nobody call SuspendUser", () => {
    expect(decide("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "devstack")).toEqual(
      { allowed: true },
    );
    for (const caller of ["gateway", "web-bff", "order-service", "user-service"]) {
      expect(decide("/switchyard.user.v1.UserService/SuspendUser", caller).allowed).toBe(false);
    }
  });

  it("refuses methods the policy does not know and methods of another server", () => {
    expect(decide("/switchyard.user.v1.UserService/DeleteEverything", "gateway")).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    expect(decide("/switchyard.order.v1.OrderService/GetOrder", "gateway")).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
  });
});
