import type { NodeRequest } from "@switchyard/connect-host";
import { describe, expect, it } from "vitest";
import { stripIdentityHeaders } from "./identity-headers.js";

describe("stripIdentityHeaders", () => {
  it("removes every header that claims an identity and keeps the rest", () => {
    const headers: Record<string, string> = {
      "x-user-id": "u",
      "x-switchyard-end-user": "u",
      "x-switchyard-scopes": "switchyard:admin",
      "l5d-client-id": "order-service.switchyard.serviceaccount.identity.linkerd.cluster.local",
      "l5d-dst-override": "x",
      "x-forwarded-user": "u",
      "x-auth-request-email": "u@example.com",
      "x-remote-user": "u",
      authorization: "Bearer t",
      "content-type": "application/json",
      "x-request-id": "r",
      "idempotency-key": "k",
    };
    const stripped = stripIdentityHeaders({ headers } as unknown as NodeRequest);
    expect(stripped.sort()).toEqual(
      [
        "l5d-client-id",
        "l5d-dst-override",
        "x-auth-request-email",
        "x-forwarded-user",
        "x-remote-user",
        "x-switchyard-end-user",
        "x-switchyard-scopes",
        "x-user-id",
      ].sort(),
    );
    expect(Object.keys(headers).sort()).toEqual(
      ["authorization", "content-type", "idempotency-key", "x-request-id"].sort(),
    );
  });
});
