import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { OrderService as V1OrderService } from "@switchyard/contracts/connect/switchyard/edge/v1/order_service_pb";
import { UserService as V1UserService } from "@switchyard/contracts/connect/switchyard/edge/v1/user_service_pb";
import { OrderService as V2OrderService } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import { UserService as V2UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, type RowCounts, startBackends } from "../support/backends.js";
import { type GatewayHarness, startGateway } from "../support/gateway-harness.js";
import { fuzzRunsPerProperty } from "./fuzz-runs.js";
import {
  deeplyNested,
  hostileString,
  messageBinary,
  messageJson,
  truncated,
  wrongJson,
} from "./hostile-values.js";

// Edge fuzzing: generated Connect JSON, binary and GET requests — the public API's shapes with
// hostile values, wrong types, huge numbers, deep nesting, unicode edge cases, truncated bodies
// and odd headers — against the REAL gateway in front of the real services. Promises: never a
// 5xx, never a hung connection, no row created by a request the gateway rejected.

const runs = fuzzRunsPerProperty();
/** A request that has not answered by then counts as hung (the gateway's deadline is 5 s). */
const requestTimeoutMs = 10_000;
/** Per property: generous for a loaded machine, growing with the number of runs. */
const propertyTimeoutMs = Math.max(60_000, runs * 200);
const methods: DescMethod[] = [V1UserService, V1OrderService, V2UserService, V2OrderService]
  .flatMap((service) => service.methods)
  // Reads and writes alike; none of them may answer 5xx.
  .filter((method) => method.methodKind === "unary");
const sideEffectFree = methods.filter(
  (method) => method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
);
const creating = new Set(["RegisterUser", "PlaceOrder"]);

interface FuzzRequest {
  method: DescMethod;
  /** Builds the HTTP request for the gateway at `baseUrl`. */
  build(baseUrl: string, asUser: Record<string, string>): { url: string; init: RequestInit };
  describe(): string;
}

let backends: Backends;
let gateway: GatewayHarness;
let asUser: Record<string, string> = {};
let customerId = "";
let before: RowCounts;
const tally = {
  sent: 0,
  byStatus: new Map<number, number>(),
  hung: 0,
  accepted: new Map<string, number>(),
  /** "status start-of-body" of rejections, for EDGE_FUZZ_VERBOSE. */
  reasons: new Map<string, number>(),
};

beforeAll(async () => {
  backends = await startBackends();
  gateway = await startGateway(
    { "user-service": backends.userServiceTarget, "order-service": backends.orderServiceTarget },
    { identity: backends.gatewayIdentity },
  );
  const registered = await fetch(`${gateway.baseUrl}/switchyard.edge.v1.UserService/RegisterUser`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "fuzz@example.com", fullName: "Fuzz Target" }),
  });
  const { user } = (await registered.json()) as { user: { userId: string } };
  customerId = user.userId;
  asUser = await gateway.auth(customerId);
  before = await backends.counts();
});
afterAll(async () => {
  const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.info(
    `edge fuzz: ${tally.sent} generated requests (${runs} per property), statuses ${statuses.join(" ")}, ${tally.hung} hung`,
  );
  if (process.env.EDGE_FUZZ_VERBOSE) {
    const top = [...tally.reasons].sort(([, a], [, b]) => b - a).slice(0, 15);
    for (const [reason, count] of top) console.info(`${String(count).padStart(5)} × ${reason}`);
  }
  await gateway?.close();
  await backends?.close();
});

/** Who the request claims to be: the registered user (most), a forged token, nobody. */
const authArbitrary = fc.constantFrom("user", "user", "user", "forged", "none");
/**
 * Connect headers: mostly right (a fresh idempotency key), one in three with values a client
 * may get wrong. Not a timeout of "0": a deadline that has already passed is answered
 * deadline_exceeded, which the Connect protocol maps to HTTP 504 by definition.
 */
const headerArbitrary: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 2, arbitrary: fc.uuid().map((key) => ({ "idempotency-key": key })) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        "connect-timeout-ms": fc.constantFrom("-1", "1.5", "abc", "99999999999999999999", "3000"),
        "connect-protocol-version": fc.constantFrom("1", "2", ""),
        "idempotency-key": fc.string({
          unit: fc.constantFrom(..."abcXYZ019-_ ~!%"),
          maxLength: 300,
        }),
      },
      { requiredKeys: [] },
    ),
  },
);

function headersFor(
  auth: string,
  extra: Record<string, string>,
  asUserHeaders: Record<string, string>,
): Record<string, string> {
  const identity =
    auth === "user"
      ? asUserHeaders
      : auth === "forged"
        ? { authorization: "Bearer e30.e30.c2ln" }
        : {};
  return { ...identity, ...extra };
}

/** Stands for the registered user's id in generated bodies; replaced when the request is sent. */
const customerPlaceholder = "$CUSTOMER";
/** A valid v1 request per method, so that mutations of one field reach the services' own checks. */
const validV1: Record<string, Record<string, unknown>> = {
  RegisterUser: { email: "valid@example.com", fullName: "Ada Lovelace" },
  GetUser: { userId: customerPlaceholder },
  UpdateUser: { userId: customerPlaceholder, fullName: "Ada King", version: "1" },
  PlaceOrder: {
    customerId: customerPlaceholder,
    currencyCode: "EUR",
    lines: [{ sku: "TEA-1", quantity: 1, unitPriceCents: "100" }],
  },
  GetOrder: { orderId: "00000000-0000-4000-8000-000000000000" },
  ListOrders: { customerId: customerPlaceholder, pageSize: 10 },
  CancelOrder: { orderId: "00000000-0000-4000-8000-000000000000", reason: "fuzz" },
};

/** The valid v1 request (unique email) with at most one field given a hostile or wrong value. */
function mutatedValid(method: DescMethod): fc.Arbitrary<string> {
  const valid = validV1[method.name] ?? {};
  return fc
    .record({
      // Half of them unchanged: accepted requests belong in the mix (and in the row counts).
      field: fc.oneof(fc.constant(undefined), fc.constantFrom(...Object.keys(valid))),
      value: fc.oneof(hostileString, wrongJson),
      email: fc.uuid(),
    })
    .map(({ field, value, email }) => {
      const body: Record<string, unknown> = { ...valid };
      if ("email" in body) body.email = `fuzz-${email}@example.com`;
      if (field !== undefined) body[field] = value;
      return JSON.stringify(body);
    });
}

const jsonBody = (method: DescMethod) =>
  fc.oneof(
    ...(method.parent.typeName.includes(".v1.")
      ? [{ weight: 10, arbitrary: mutatedValid(method) }]
      : []),
    { weight: 6, arbitrary: messageJson(method.input).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: deeplyNested },
    {
      weight: 2,
      arbitrary: truncated(messageJson(method.input).map((value) => JSON.stringify(value))),
    },
    { weight: 1, arbitrary: hostileString },
  );

const jsonRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...methods).chain((method) =>
  fc.record({ body: jsonBody(method), auth: authArbitrary, headers: headerArbitrary }).map(
    ({ body, auth, headers }): FuzzRequest => ({
      method,
      build: (baseUrl, user) => ({
        url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
        init: {
          method: "POST",
          headers: { "content-type": "application/json", ...headersFor(auth, headers, user) },
          body: body.replaceAll(customerPlaceholder, customerId),
        },
      }),
      describe: () =>
        `POST ${method.parent.typeName}/${method.name} json auth=${auth} headers=${JSON.stringify(headers)} body=${JSON.stringify(body.slice(0, 300))}`,
    }),
  ),
);

const binaryRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...methods).chain((method) =>
  fc
    .record({
      body: fc.oneof(
        { weight: 5, arbitrary: messageBinary(method.input) },
        { weight: 2, arbitrary: truncated(messageBinary(method.input)) },
        { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }) },
      ),
      auth: authArbitrary,
      headers: headerArbitrary,
    })
    .map(
      ({ body, auth, headers }): FuzzRequest => ({
        method,
        build: (baseUrl, user) => ({
          url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
          init: {
            method: "POST",
            headers: { "content-type": "application/proto", ...headersFor(auth, headers, user) },
            body: Buffer.from(body),
          },
        }),
        describe: () =>
          `POST ${method.parent.typeName}/${method.name} proto auth=${auth} headers=${JSON.stringify(headers)} body=${Buffer.from(body).toString("hex").slice(0, 400)}`,
      }),
    ),
);

const getRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...sideEffectFree).chain((method) =>
  fc
    .record({
      encoding: fc.constantFrom("json", "json", "proto", "xml", ""),
      message: fc.oneof(
        messageJson(method.input).map((value) => JSON.stringify(value)),
        truncated(messageJson(method.input).map((value) => JSON.stringify(value))),
        messageBinary(method.input).map((bytes) => Buffer.from(bytes).toString("base64url")),
        hostileString,
      ),
      base64: fc.constantFrom(undefined, "1", "0", "yes"),
      compression: fc.constantFrom(undefined, "gzip", "br", "identity"),
      auth: authArbitrary,
    })
    .map(({ auth, ...params }): FuzzRequest => {
      const query = new URLSearchParams(
        Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      return {
        method,
        build: (baseUrl, user) => ({
          url: `${baseUrl}/${method.parent.typeName}/${method.name}?${query}`,
          init: { method: "GET", headers: headersFor(auth, {}, user) },
        }),
        describe: () => `GET ${method.parent.typeName}/${method.name}?${query} auth=${auth}`,
      };
    }),
);

/** Sends one request; the status, or "hung" when it did not answer within the timeout. */
async function send(request: FuzzRequest): Promise<number | "hung"> {
  const { url, init } = request.build(gateway.baseUrl, asUser);
  tally.sent += 1;
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
    const text = await response.text();
    if (response.status >= 400) {
      const reason = `${response.status} ${text.slice(0, 90)}`;
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    }
    tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
    if (response.status === 200 && creating.has(request.method.name)) {
      const name = request.method.name;
      tally.accepted.set(name, (tally.accepted.get(name) ?? 0) + 1);
    }
    return response.status;
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      tally.hung += 1;
      return "hung";
    }
    throw error;
  }
}

async function answersBelow500(request: FuzzRequest): Promise<void> {
  const status = await send(request);
  expect(status, request.describe()).not.toBe("hung");
  expect(status, request.describe()).toBeLessThan(500);
}

describe("edge fuzzing against the real gateway: never a 5xx, never a hang, no row from a rejected request", () => {
  it(
    "Connect JSON POSTs: hostile values, wrong types, deep nesting, truncated bodies",
    async () => {
      await fc.assert(fc.asyncProperty(jsonRequest, answersBelow500), { numRuns: runs });
    },
    propertyTimeoutMs,
  );

  it(
    "Connect binary POSTs: hostile values, truncated encodings, random bytes",
    async () => {
      await fc.assert(fc.asyncProperty(binaryRequest, answersBelow500), { numRuns: runs });
    },
    propertyTimeoutMs,
  );

  it(
    "Connect GETs of the side-effect-free methods: odd encodings, messages and flags",
    async () => {
      await fc.assert(fc.asyncProperty(getRequest, answersBelow500), { numRuns: runs });
    },
    propertyTimeoutMs,
  );

  it("creates rows only for the requests it accepted", async () => {
    const after = await backends.counts();
    const accepted = (name: string) => tally.accepted.get(name) ?? 0;
    expect(after.users - before.users).toBeLessThanOrEqual(accepted("RegisterUser"));
    // A replayed idempotency key answers 200 without a new row: at most one row per acceptance.
    expect(after.orders - before.orders).toBeLessThanOrEqual(accepted("PlaceOrder"));
    if (accepted("PlaceOrder") === 0) expect(after.orderLines).toBe(before.orderLines);
    expect(tally.hung).toBe(0);
  });
});
