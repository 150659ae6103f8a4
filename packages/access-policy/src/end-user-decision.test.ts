import * as grpc from "@grpc/grpc-js";
import type { EndUserAssertion } from "@switchyard/grpc-kit";
import { describe, expect, it } from "vitest";
import { decideEndUser } from "./end-user-decision.js";
import { serviceAccessPolicy } from "./service-access-policy.js";

const getUser = "/switchyard.user.v1.UserService/GetUser";
const ada: EndUserAssertion = { kind: "asserted", endUser: { subject: "ada", scopes: [] } };
const none: EndUserAssertion = { kind: "none" };
const decide = (path: string, caller: string, assertion: EndUserAssertion) =>
  decideEndUser(serviceAccessPolicy, path, caller, assertion);

describe("decideEndUser", () => {
  it("believes an end user asserted by the gateway or web-bff", () => {
    expect(decide(getUser, "gateway", ada)).toEqual({
      allowed: true,
      endUser: { subject: "ada", scopes: [] },
    });
    expect(decide(getUser, "web-bff", ada)).toMatchObject({ allowed: true });
  });

  it("refuses an end user asserted by any other workload with PERMISSION_DENIED", () => {
    expect(decide(getUser, "order-service", ada)).toEqual({
      allowed: false,
      code: grpc.status.PERMISSION_DENIED,
      message:
        "order-service may not act for an end user (calling switchyard.user.v1.UserService/GetUser)",
    });
    expect(decide(getUser, "order-service", { kind: "malformed", problem: "x" })).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
  });

  it("refuses malformed end-user metadata from the edge as UNAUTHENTICATED", () => {
    expect(decide(getUser, "gateway", { kind: "malformed", problem: "bad subject" })).toEqual({
      allowed: false,
      code: grpc.status.UNAUTHENTICATED,
      message: "malformed end-user metadata from gateway: bad subject",
    });
  });

  it("lets only internal callers and signup go without an end user", () => {
    expect(decide(getUser, "order-service", none)).toEqual({ allowed: true, endUser: undefined });
    expect(decide(getUser, "gateway", none)).toEqual({
      allowed: false,
      code: grpc.status.UNAUTHENTICATED,
      message: "switchyard.user.v1.UserService/GetUser needs an end user: gateway sent none",
    });
    expect(decide("/switchyard.user.v1.UserService/RegisterUser", "gateway", none)).toMatchObject({
      allowed: true,
    });
  });

  it("ignores end users on health and reflection", () => {
    expect(decide("/grpc.health.v1.Health/Check", "devstack", ada)).toEqual({
      allowed: true,
      endUser: undefined,
    });
  });
});
