import * as grpc from "@grpc/grpc-js";
import { DomainError, type DomainErrorKind } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { domainErrorFromGrpc } from "./domain-error-from-grpc.js";
import { toGrpcStatus } from "./error-status.js";

const expectedCodes: Record<DomainErrorKind, grpc.status> = {
  "invalid-argument": grpc.status.INVALID_ARGUMENT,
  "not-found": grpc.status.NOT_FOUND,
  "already-exists": grpc.status.ALREADY_EXISTS,
  "failed-precondition": grpc.status.FAILED_PRECONDITION,
  aborted: grpc.status.ABORTED,
  "permission-denied": grpc.status.PERMISSION_DENIED,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  "resource-exhausted": grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
};

describe("toGrpcStatus", () => {
  it.each(Object.entries(expectedCodes))(
    "maps %s to its gRPC code with the domain message",
    (kind, code) => {
      const status = toGrpcStatus(new DomainError(kind as DomainErrorKind, "client-safe text"));
      expect(status.code).toBe(code);
      expect(status.details).toBe("client-safe text");
    },
  );

  it("never sends the text of an error that is not a DomainError", () => {
    const status = toGrpcStatus(new TypeError("cannot read secret_token of undefined"));
    expect(status).toMatchObject({ code: grpc.status.INTERNAL, details: "internal error" });
    expect(JSON.stringify(status.metadata.toJSON())).not.toContain("secret_token");
  });

  // The shapes postgres.js and drizzle produce while Postgres is down (the database package's
  // tests show the real errors carry these codes): a lost dependency, not a bug.
  it.each([
    ["refused (Node socket)", "ECONNREFUSED"],
    ["connect timeout (postgres.js)", "CONNECT_TIMEOUT"],
    ["connection closed mid-query (postgres.js)", "CONNECTION_CLOSED"],
    ["admin shutdown (SQLSTATE 57P01)", "57P01"],
    ["cannot connect now (SQLSTATE 57P03)", "57P03"],
    ["connection failure (SQLSTATE 08006)", "08006"],
  ])("a %s becomes UNAVAILABLE, even wrapped by the ORM, without its text", (_what, code) => {
    const driverError = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:54329"), { code });
    const wrapped = new Error("Failed query: select 1", { cause: driverError });
    for (const error of [driverError, wrapped]) {
      const status = toGrpcStatus(error);
      expect(status.code).toBe(grpc.status.UNAVAILABLE);
      expect(status.details).not.toContain("127.0.0.1");
    }
  });

  it("a query error of another class (unique violation 23505) stays INTERNAL", () => {
    const status = toGrpcStatus(Object.assign(new Error("duplicate key"), { code: "23505" }));
    expect(status.code).toBe(grpc.status.INTERNAL);
  });
});

describe("domainErrorFromGrpc", () => {
  it.each(Object.entries(expectedCodes).filter(([kind]) => kind !== "unavailable"))(
    "turns a peer's status back into the %s kind",
    (kind, code) => {
      const peerError = Object.assign(new Error("peer"), {
        code,
        details: "peer message",
        metadata: new grpc.Metadata(),
      });
      expect(domainErrorFromGrpc(peerError)).toMatchObject({ kind, message: "peer message" });
    },
  );

  it("treats UNAVAILABLE, DEADLINE_EXCEEDED and non-gRPC errors as an unavailable dependency, without their transport text", () => {
    const refused = Object.assign(new Error("14 UNAVAILABLE"), {
      code: grpc.status.UNAVAILABLE,
      details: "connect ECONNREFUSED 10.0.0.7:50051",
    });
    expect(domainErrorFromGrpc(refused)).toMatchObject({
      kind: "unavailable",
      message: "a dependency failed (UNAVAILABLE)",
    });
    const deadline = Object.assign(new Error("deadline"), { code: grpc.status.DEADLINE_EXCEEDED });
    expect(domainErrorFromGrpc(deadline)).toMatchObject({
      kind: "unavailable",
      message: "a dependency failed (DEADLINE_EXCEEDED)",
      cause: deadline,
    });
    expect(domainErrorFromGrpc(new Error("socket hang up")).kind).toBe("unavailable");
  });
});
