/**
 * Writes a binary fixture for every event version the system publishes:
 * `packages/events/test/fixtures/<ce-type>/<version>.binpb`, the exact bytes a producer of that
 * version put on the wire. Consumers' tests decode every fixture of the types they consume, so a
 * proto change that old messages no longer decode under fails CI.
 *
 * Existing fixtures are NEVER rewritten: they are history. When an event's proto gains a field,
 * add a sample with the next version (v2, …) below, run this once, and commit the new file.
 *
 *   node --conditions=switchyard-source --import tsx packages/events/scripts/write-fixtures.ts
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  OrderCancelled,
  OrderPlaced,
  OrderStatus,
  OrderStatusChanged,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import {
  UserRegistered,
  UserSuspended,
  UserUpdated,
} from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import {
  type AnyEventType,
  eventCatalog,
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  userRegistered,
  userSuspended,
  userUpdated,
} from "../src/index.js";

const fixturesFolder = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
const occurTime = { seconds: 1_767_225_600n, nanos: 123_000_000 }; // 2026-01-01T00:00:00.123Z
const userId = "0b7e6d1c-4c1a-4f6e-9d2b-3a5c7e9f1a2b";
const orderId = "5f0c3e2a-8b7d-4a1e-b6c9-2d4f6a8c0e1f";

/** One sample per published event version, every field set to a non-default value. */
const samples: { type: AnyEventType; version: string; message: unknown }[] = [
  {
    type: userRegistered,
    version: "v1",
    message: UserRegistered.fromPartial({
      eventId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      occurTime,
      userId,
      userVersion: 1n,
      email: "ada@example.com",
      givenName: "Ada",
      familyName: "Lovelace",
    }),
  },
  {
    type: userUpdated,
    version: "v1",
    message: UserUpdated.fromPartial({
      eventId: "1d7f3a3e-0f3b-4b8e-8f6a-5b2c9d0e7a41",
      occurTime,
      userId,
      userVersion: 2n,
      givenName: "Augusta Ada",
      familyName: "King",
    }),
  },
  {
    type: userSuspended,
    version: "v1",
    message: UserSuspended.fromPartial({
      eventId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d",
      occurTime,
      userId,
      userVersion: 3n,
      reason: "chargeback",
    }),
  },
  {
    type: orderPlaced,
    version: "v1",
    message: OrderPlaced.fromPartial({
      eventId: "3e1f5a7c-9b2d-4e6f-8a0c-2b4d6f8a0c1e",
      occurTime,
      orderId,
      orderVersion: 1n,
      customerId: userId,
      currencyCode: "EUR",
      totalMinor: 4_498n,
      lines: [
        { sku: "TEA-GREEN", quantity: 2, unitPriceMinor: 1_999n },
        { sku: "MUG", quantity: 1, unitPriceMinor: 500n },
      ],
    }),
  },
  {
    type: orderStatusChanged,
    version: "v1",
    message: OrderStatusChanged.fromPartial({
      eventId: "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
      occurTime,
      orderId,
      orderVersion: 2n,
      customerId: userId,
      fromStatus: OrderStatus.ORDER_STATUS_PENDING,
      toStatus: OrderStatus.ORDER_STATUS_CONFIRMED,
    }),
  },
  {
    type: orderCancelled,
    version: "v1",
    message: OrderCancelled.fromPartial({
      eventId: "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b",
      occurTime,
      orderId,
      orderVersion: 3n,
      customerId: userId,
      previousStatus: OrderStatus.ORDER_STATUS_CONFIRMED,
      reason: "changed my mind",
      currencyCode: "EUR",
      totalMinor: 4_498n,
    }),
  },
];

const missing = eventCatalog.filter((type) => !samples.some((sample) => sample.type === type));
if (missing.length > 0) {
  throw new Error(`no fixture sample for ${missing.map((type) => type.typeName).join(", ")}`);
}
for (const { type, version, message } of samples) {
  const folder = `${fixturesFolder}${type.typeName}/`;
  const file = `${folder}${version}.binpb`;
  if (existsSync(file)) {
    console.log(`kept    ${file}`);
    continue;
  }
  await mkdir(folder, { recursive: true });
  await writeFile(file, type.codec.encode(message).finish());
  console.log(`written ${file}`);
}
