import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  badRequestFields,
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
  withIdempotencyKey,
} from "./support/user-service-harness.js";

const unknownUserId = "00000000-0000-4000-8000-000000000000";

describe("bad input is rejected with its specific status and changes nothing", () => {
  let service: UserServiceHarness;
  let userId: string;
  let suspendedUserId: string;

  beforeAll(async () => {
    service = await startUserService();
    const register = (email: string) =>
      callUnary(service.client.registerUser.bind(service.client), {
        email,
        givenName: "Grace",
        familyName: "Hopper",
      });
    userId = (await register("grace@example.com")).user?.userId ?? "";
    suspendedUserId = (await register("suspended@example.com")).user?.userId ?? "";
    await callUnary(service.client.suspendUser.bind(service.client), {
      userId: suspendedUserId,
      reason: "",
    });
  });
  afterAll(() => service?.close());

  /** Runs the call, checks code (and BadRequest fields), and that no row changed. */
  async function rejects(
    call: () => Promise<unknown>,
    code: grpc.status,
    expected: { fields?: string[]; details?: string | RegExp } = {},
  ): Promise<void> {
    const before = await service.snapshot();
    const error = await expectStatus(call(), code);
    if (expected.fields !== undefined) expect(badRequestFields(error)).toEqual(expected.fields);
    if (typeof expected.details === "string") expect(error.details).toBe(expected.details);
    else if (expected.details !== undefined) expect(error.details).toMatch(expected.details);
    expect(await service.snapshot()).toBe(before);
  }

  const registerUser =
    (email: string, givenName = "Ada", familyName = "Lovelace") =>
    () =>
      callUnary(service.client.registerUser.bind(service.client), { email, givenName, familyName });

  it("RegisterUser: empty email → INVALID_ARGUMENT naming email", async () => {
    await rejects(registerUser(""), grpc.status.INVALID_ARGUMENT, {
      fields: ["email"],
      details: "email: must not be empty",
    });
    await rejects(registerUser("   "), grpc.status.INVALID_ARGUMENT, { fields: ["email"] });
  });

  it("RegisterUser: malformed email → INVALID_ARGUMENT naming email", async () => {
    for (const email of ["ada", "ada@", "ada@example", "a b@example.com"]) {
      await rejects(registerUser(email), grpc.status.INVALID_ARGUMENT, { fields: ["email"] });
    }
  });

  it("RegisterUser: empty or too long names → INVALID_ARGUMENT naming every bad field", async () => {
    await rejects(registerUser("new@example.com", "", "Lovelace"), grpc.status.INVALID_ARGUMENT, {
      fields: ["given_name"],
    });
    await rejects(
      registerUser("new@example.com", "Ada", "x".repeat(101)),
      grpc.status.INVALID_ARGUMENT,
      { fields: ["family_name"] },
    );
    await rejects(registerUser("bad", " ", "x".repeat(101)), grpc.status.INVALID_ARGUMENT, {
      fields: ["email", "given_name", "family_name"],
    });
  });

  it("RegisterUser: duplicate email (after normalization) → ALREADY_EXISTS", async () => {
    await rejects(registerUser(" GRACE@example.com "), grpc.status.ALREADY_EXISTS, {
      details: "a user with this email already exists",
    });
    // Also when the duplicate comes with an idempotency key: the key is not kept either.
    await rejects(
      () =>
        callUnary(
          service.client.registerUser.bind(service.client),
          { email: "grace@example.com", givenName: "G", familyName: "H" },
          { metadata: withIdempotencyKey("duplicate-email") },
        ),
      grpc.status.ALREADY_EXISTS,
    );
  });

  it("GetUser: malformed user_id → INVALID_ARGUMENT, unknown user_id → NOT_FOUND", async () => {
    const getUser = (id: string) => () =>
      callUnary(service.client.getUser.bind(service.client), { userId: id });
    for (const id of ["", "42", "not-a-uuid", `${unknownUserId}0`]) {
      await rejects(getUser(id), grpc.status.INVALID_ARGUMENT, { fields: ["user_id"] });
    }
    await rejects(getUser(unknownUserId), grpc.status.NOT_FOUND, {
      details: `user ${unknownUserId} not found`,
    });
  });

  it("UpdateUser: bad fields → INVALID_ARGUMENT, unknown → NOT_FOUND, stale → ABORTED", async () => {
    const updateUser = (id: string, givenName: string, expectedVersion: bigint) => () =>
      callUnary(service.client.updateUser.bind(service.client), {
        userId: id,
        givenName,
        familyName: "Hopper",
        expectedVersion,
      });
    await rejects(updateUser("nope", "", 0n), grpc.status.INVALID_ARGUMENT, {
      fields: ["user_id", "given_name", "expected_version"],
    });
    await rejects(updateUser(userId, "G".repeat(101), 1n), grpc.status.INVALID_ARGUMENT, {
      fields: ["given_name"],
    });
    await rejects(updateUser(unknownUserId, "Grace", 1n), grpc.status.NOT_FOUND);
    await rejects(updateUser(userId, "Grace", 7n), grpc.status.ABORTED, {
      details: `user ${userId} was modified: expected version 7, current 1`,
    });
  });

  it("ListUsers: bad page_size or malformed page token → INVALID_ARGUMENT naming the field", async () => {
    const listUsers = (pageSize: number, pageToken: string) => () =>
      callUnary(service.client.listUsers.bind(service.client), { pageSize, pageToken });
    await rejects(listUsers(101, ""), grpc.status.INVALID_ARGUMENT, { fields: ["page_size"] });
    await rejects(listUsers(-1, ""), grpc.status.INVALID_ARGUMENT, { fields: ["page_size"] });
    await rejects(listUsers(10, "garbage!"), grpc.status.INVALID_ARGUMENT, {
      fields: ["page_token"],
    });
    const forged = Buffer.from('[1,"2025-01-01T00:00:00Z","x"]').toString("base64url");
    await rejects(listUsers(10, forged), grpc.status.INVALID_ARGUMENT, { fields: ["page_token"] });
  });

  it("SuspendUser: twice → FAILED_PRECONDITION, unknown → NOT_FOUND, malformed → INVALID_ARGUMENT", async () => {
    const suspendUser = (id: string) => () =>
      callUnary(service.client.suspendUser.bind(service.client), { userId: id, reason: "again" });
    await rejects(suspendUser(suspendedUserId), grpc.status.FAILED_PRECONDITION, {
      details: "user is already SUSPENDED",
    });
    await rejects(suspendUser(unknownUserId), grpc.status.NOT_FOUND);
    await rejects(suspendUser("x"), grpc.status.INVALID_ARGUMENT, { fields: ["user_id"] });
  });

  it("a malformed idempotency key → INVALID_ARGUMENT naming idempotency-key", async () => {
    await rejects(
      () =>
        callUnary(
          service.client.registerUser.bind(service.client),
          { email: "keyed@example.com", givenName: "K", familyName: "K" },
          { metadata: withIdempotencyKey("k".repeat(201)) },
        ),
      grpc.status.INVALID_ARGUMENT,
      { fields: ["idempotency-key"] },
    );
  });
});
