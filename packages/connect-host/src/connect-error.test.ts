import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { invalidArgument, notFound } from "@switchyard/errors";
import { toGrpcStatus } from "@switchyard/grpc-kit";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./connect-error.js";

/** A ServiceError exactly as grpc-js hands it to a client, built from grpc-kit's own mapping. */
function serviceError(error: unknown, code?: grpc.status, details?: string): grpc.ServiceError {
  const status = toGrpcStatus(error);
  return Object.assign(new Error(`${status.code} ${status.details}`), {
    code: code ?? status.code,
    details: details ?? status.details,
    metadata: status.metadata,
  });
}

describe("toConnectError", () => {
  it("keeps client-safe codes and messages, with field violations as a BadRequest detail", () => {
    const error = toConnectError(
      serviceError(
        invalidArgument([{ field: "lines[0].unit_price_minor", description: "must be >= 0" }]),
      ),
      { renameField: (field) => field.replace("unit_price_minor", "unit_price_cents") },
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("lines[0].unit_price_cents: must be >= 0");
    expect(error.findDetails(BadRequestSchema).map((detail) => detail.fieldViolations)).toEqual([
      [
        expect.objectContaining({
          field: "lines[0].unit_price_cents",
          description: "must be >= 0",
        }),
      ],
    ]);
    expect(toConnectError(serviceError(notFound("user u1 was not found"))).rawMessage).toBe(
      "user u1 was not found",
    );
  });

  it("replaces messages that may carry internal detail", () => {
    const leak = "connect ECONNREFUSED 10.0.0.3:5432 at Pool.connect (pg/lib/pool.js:45)";
    const cases: [grpc.status, Code, string][] = [
      [grpc.status.INTERNAL, Code.Internal, "internal error"],
      [grpc.status.UNKNOWN, Code.Unknown, "internal error"],
      [grpc.status.DATA_LOSS, Code.DataLoss, "internal error"],
      [grpc.status.UNAVAILABLE, Code.Unavailable, "service unavailable"],
      [grpc.status.DEADLINE_EXCEEDED, Code.DeadlineExceeded, "deadline exceeded"],
    ];
    for (const [status, code, message] of cases) {
      const error = toConnectError(serviceError(new Error(leak), status, leak));
      expect([error.code, error.rawMessage]).toEqual([code, message]);
      expect(error.details).toEqual([]);
    }
  });

  it("maps the gateway's own domain errors and anything unexpected", () => {
    expect(
      toConnectError(invalidArgument([{ field: "etag", description: "malformed" }])).code,
    ).toBe(Code.InvalidArgument);
    const bug = toConnectError(new TypeError("cannot read properties of undefined (reading 'x')"));
    expect([bug.code, bug.rawMessage]).toEqual([Code.Internal, "internal error"]);
  });

  it("re-checks a ConnectError from web-bff by the same rules", () => {
    const internal = toConnectError(new ConnectError("password=hunter2", Code.Internal));
    expect(internal.rawMessage).toBe("internal error");
    const conflict = toConnectError(new ConnectError("order was modified", Code.Aborted));
    expect([conflict.code, conflict.rawMessage]).toEqual([Code.Aborted, "order was modified"]);
  });
});
