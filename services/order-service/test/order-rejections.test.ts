import * as grpc from "@grpc/grpc-js";
import type {
  OrderServiceClient,
  PlaceOrderLine,
  PlaceOrderRequest,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  badRequestFields,
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
let existingOrderId: string;

beforeAll(async () => {
  service = await startOrderService();
  // A stored order, so "nothing changed" is checked against real rows, not an empty table.
  existingOrderId = (await service.placeOrder(place())).orderId;
});
afterAll(async () => service?.close());

const line = (overrides: Partial<PlaceOrderLine> = {}): PlaceOrderLine => ({
  sku: "SKU-1",
  quantity: 1,
  unitPriceMinor: 100n,
  currencyCode: "",
  ...overrides,
});

function place(overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return {
    customerId: service.users.activeUserId,
    currencyCode: "EUR",
    lines: [line()],
    ...overrides,
  };
}

/** Orders as stored, to prove a rejected call changed nothing at all (not just the counts). */
async function snapshot(): Promise<string> {
  const orders = await service.database.sql`
    select order_id, status, version, cancel_reason, total_minor::text from orders order by order_id`;
  return JSON.stringify({ counts: await service.counts(), orders });
}

interface Case {
  name: string;
  call: (client: OrderServiceClient) => Promise<unknown>;
  code: grpc.status;
  /** For INVALID_ARGUMENT: the BadRequest field paths. For others: the exact message. */
  fields?: string[];
  details?: string | (() => string);
  /** Rejected by validation: user-service must not even be asked. */
  noCustomerLookup?: boolean;
}

const placeWith = (request: () => PlaceOrderRequest) => (client: OrderServiceClient) =>
  callUnary(client.placeOrder.bind(client), request());
const unknownOrderId = "7d1b0f3c-3c2a-4f53-9d6e-0a1b2c3d4e5f";
const unknownCustomerId = "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b";

const cases: Case[] = [
  {
    name: "0 lines",
    call: placeWith(() => place({ lines: [] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines"],
    noCustomerLookup: true,
  },
  {
    name: "101 lines",
    call: placeWith(() => place({ lines: Array.from({ length: 101 }, () => line()) })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines"],
    noCustomerLookup: true,
  },
  {
    name: "quantity 0",
    call: placeWith(() => place({ lines: [line({ quantity: 0 })] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[0].quantity"],
    noCustomerLookup: true,
  },
  {
    name: "quantity -1",
    call: placeWith(() => place({ lines: [line(), line({ quantity: -1 })] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[1].quantity"],
    noCustomerLookup: true,
  },
  {
    name: "quantity above 10000",
    call: placeWith(() => place({ lines: [line({ quantity: 10_001 })] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[0].quantity"],
    noCustomerLookup: true,
  },
  {
    name: "negative unit price",
    call: placeWith(() => place({ lines: [line({ unitPriceMinor: -1n })] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[0].unit_price_minor"],
    noCustomerLookup: true,
  },
  {
    name: "bad sku",
    call: placeWith(() => place({ lines: [line({ sku: "no spaces allowed" })] })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[0].sku"],
    noCustomerLookup: true,
  },
  {
    name: "mixed currencies",
    call: placeWith(() =>
      place({
        lines: [line(), line({ currencyCode: "EUR" }), line(), line({ currencyCode: "USD" })],
      }),
    ),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines[3].currency_code"],
    noCustomerLookup: true,
  },
  {
    name: "bad currency code",
    call: placeWith(() => place({ currencyCode: "eur" })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["currency_code"],
    noCustomerLookup: true,
  },
  {
    name: "order total above int64",
    call: placeWith(() =>
      place({ lines: [line({ unitPriceMinor: 2n ** 62n }), line({ unitPriceMinor: 2n ** 62n })] }),
    ),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["lines"],
    noCustomerLookup: true,
  },
  {
    name: "malformed customer id on PlaceOrder",
    call: placeWith(() => place({ customerId: "customer-42" })),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["customer_id"],
    noCustomerLookup: true,
  },
  {
    name: "unknown customer",
    call: placeWith(() => place({ customerId: unknownCustomerId })),
    code: grpc.status.FAILED_PRECONDITION,
    details: `customer ${unknownCustomerId} does not exist`,
  },
  {
    name: "suspended customer",
    call: placeWith(() => place({ customerId: service.users.suspendedUserId })),
    code: grpc.status.FAILED_PRECONDITION,
    details: () => `customer ${service.users.suspendedUserId} is suspended`,
  },
  {
    name: "malformed idempotency key",
    call: (client) => {
      const metadata = new grpc.Metadata();
      metadata.set("idempotency-key", "x".repeat(201));
      return callUnary(client.placeOrder.bind(client), place(), { metadata });
    },
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["idempotency-key"],
  },
  ...(["getOrder", "confirmOrder", "shipOrder", "cancelOrder"] as const).flatMap((method) => [
    {
      name: `unknown order id on ${method}`,
      call: (client: OrderServiceClient) =>
        callUnary(client[method].bind(client) as typeof client.cancelOrder, {
          orderId: unknownOrderId,
          reason: "",
        }),
      code: grpc.status.NOT_FOUND,
      details: `order ${unknownOrderId} does not exist`,
      noCustomerLookup: true,
    },
    {
      name: `malformed order id on ${method}`,
      call: (client: OrderServiceClient) =>
        callUnary(client[method].bind(client) as typeof client.cancelOrder, {
          orderId: "order-1",
          reason: "",
        }),
      code: grpc.status.INVALID_ARGUMENT,
      fields: ["order_id"],
      noCustomerLookup: true,
    },
  ]),
  {
    name: "cancel reason longer than 500 characters",
    call: (client) =>
      callUnary(client.cancelOrder.bind(client), {
        orderId: existingOrderId,
        reason: "x".repeat(501),
      }),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["reason"],
    noCustomerLookup: true,
  },
  {
    name: "malformed customer id on ListOrders",
    call: (client) =>
      callUnary(client.listOrders.bind(client), { customerId: "nope", pageSize: 0, pageToken: "" }),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["customer_id"],
    noCustomerLookup: true,
  },
  ...[-1, 101].map((pageSize) => ({
    name: `page_size ${pageSize}`,
    call: (client: OrderServiceClient) =>
      callUnary(client.listOrders.bind(client), {
        customerId: service.users.activeUserId,
        pageSize,
        pageToken: "",
      }),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["page_size"],
    noCustomerLookup: true,
  })),
  ...["not a token", Buffer.from('{"c":"x"}').toString("base64url")].map((pageToken) => ({
    name: `malformed page token ${JSON.stringify(pageToken)}`,
    call: (client: OrderServiceClient) =>
      callUnary(client.listOrders.bind(client), {
        customerId: service.users.activeUserId,
        pageSize: 10,
        pageToken,
      }),
    code: grpc.status.INVALID_ARGUMENT,
    fields: ["page_token"],
    noCustomerLookup: true,
  })),
];

describe("every bad input gets its own status and changes nothing", () => {
  it.each(cases)("$name", async (testCase) => {
    const before = await snapshot();
    const lookupsBefore = service.users.getUserCalls;

    const error = await grpcError(testCase.call(service.client));

    expect(grpc.status[error.code]).toBe(grpc.status[testCase.code]);
    if (testCase.fields !== undefined) expect(badRequestFields(error)).toEqual(testCase.fields);
    if (testCase.details !== undefined) {
      const details =
        typeof testCase.details === "function" ? testCase.details() : testCase.details;
      expect(error.details).toBe(details);
    }
    if (testCase.noCustomerLookup) expect(service.users.getUserCalls).toBe(lookupsBefore);
    expect(await snapshot()).toBe(before);
  });

  it("a page token from one customer's list is refused for another's", async () => {
    const customerId = service.users.activeUserId;
    await service.placeOrder(place());
    const { nextPageToken } = await callUnary(service.client.listOrders.bind(service.client), {
      customerId,
      pageSize: 1,
      pageToken: "",
    });
    expect(nextPageToken).not.toBe("");
    const error = await grpcError(
      callUnary(service.client.listOrders.bind(service.client), {
        customerId: service.users.suspendedUserId,
        pageSize: 1,
        pageToken: nextPageToken,
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badRequestFields(error)).toEqual(["page_token"]);
  });
});
