import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { describe, expect, it } from "vitest";
import { describeCallFailure } from "./call-failure.js";

describe("describeCallFailure", () => {
  it("puts BadRequest field violations by field (the first message per field wins)", () => {
    const error = new ConnectError("invalid input", Code.InvalidArgument, undefined, [
      {
        desc: BadRequestSchema,
        value: create(BadRequestSchema, {
          fieldViolations: [
            { field: "email", description: "must be an email address" },
            { field: "lines[0].quantity", description: "must be at least 1" },
            { field: "email", description: "second message" },
          ],
        }),
      },
    ]);
    expect(describeCallFailure(error)).toEqual({
      kind: "invalid",
      message: "invalid input",
      fields: { email: "must be an email address", "lines[0].quantity": "must be at least 1" },
    });
  });

  it("reads Retry-After in seconds or as an HTTP date for a 429 (resource_exhausted)", () => {
    const inSeconds = new ConnectError(
      "slow down",
      Code.ResourceExhausted,
      new Headers({ "retry-after": "7" }),
    );
    expect(describeCallFailure(inSeconds)).toMatchObject({
      kind: "rate-limited",
      retryAfterSeconds: 7,
      message: "Slow down: too many requests. Retry in 7 s.",
    });
    const date = new Date(Date.now() + 3_000).toUTCString();
    const asDate = describeCallFailure(
      new ConnectError("slow down", Code.ResourceExhausted, new Headers({ "retry-after": date })),
    );
    expect(asDate.kind === "rate-limited" && asDate.retryAfterSeconds).toBeGreaterThanOrEqual(2);
    const missing = describeCallFailure(new ConnectError("slow down", Code.ResourceExhausted));
    expect(missing).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 1 });
  });

  it("maps 401 to the sign-in case and outages to a retryable failure", () => {
    expect(describeCallFailure(new ConnectError("no", Code.Unauthenticated)).kind).toBe(
      "unauthenticated",
    );
    expect(describeCallFailure(new ConnectError("down", Code.Unavailable))).toMatchObject({
      kind: "failed",
      retryable: true,
    });
    expect(describeCallFailure(new TypeError("Failed to fetch"))).toMatchObject({
      kind: "failed",
      retryable: false,
    });
  });
});
