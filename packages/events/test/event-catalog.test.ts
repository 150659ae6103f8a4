import {
  OrderCancelledSchema,
  OrderPlacedSchema,
  OrderStatusChangedSchema,
} from "@switchyard/contracts/connect/switchyard/order/events/v1/order_events_pb";
import {
  UserRegisteredSchema,
  UserSuspendedSchema,
  UserUpdatedSchema,
} from "@switchyard/contracts/connect/switchyard/user/events/v1/user_events_pb";
import { describe, expect, it } from "vitest";
import {
  dateFromProtoTimestamp,
  eventCatalog,
  eventTypeByName,
  orderPlaced,
  protoTimestamp,
  streamNameFor,
  subjectFor,
  userEventsStream,
  userRegistered,
} from "../src/index.js";

describe("event catalog", () => {
  it("names every event by its generated proto message name", () => {
    expect(eventCatalog.map((type) => type.typeName)).toEqual(
      [
        UserRegisteredSchema,
        UserUpdatedSchema,
        UserSuspendedSchema,
        OrderPlacedSchema,
        OrderCancelledSchema,
        OrderStatusChangedSchema,
      ].map((schema) => schema.typeName),
    );
  });

  it("publishes each event on a distinct subject its stream captures", () => {
    expect(new Set(eventCatalog.map((type) => type.subject)).size).toBe(eventCatalog.length);
    for (const type of eventCatalog) {
      const captured = type.stream.subjects.some((filter) =>
        type.subject.startsWith(filter.replace(/>$/, "")),
      );
      expect(captured, `${type.subject} in ${type.stream.name}`).toBe(true);
    }
  });

  it("finds an event type by its ce-type", () => {
    expect(eventTypeByName("switchyard.order.events.v1.OrderPlaced")).toBe(orderPlaced);
    expect(eventTypeByName("switchyard.order.events.v1.Nope")).toBeUndefined();
  });

  it("round-trips an event body through its codec", () => {
    const message = {
      eventId: "e1",
      occurTime: { seconds: 1_700_000_000n, nanos: 5 },
      userId: "u1",
      userVersion: 1n,
      email: "ada@example.com",
      givenName: "Ada",
      familyName: "Lovelace",
    };
    expect(userRegistered.codec.decode(userRegistered.codec.encode(message).finish())).toEqual(
      message,
    );
  });
});

describe("event namespace", () => {
  it("leaves names alone in the root namespace", () => {
    expect(subjectFor(orderPlaced, { prefix: "" })).toBe("switchyard.order.v1.order_placed");
    expect(streamNameFor(userEventsStream, { prefix: "" })).toBe("SWITCHYARD_USER_EVENTS");
  });

  it("prefixes subjects and stream names so test runs never collide", () => {
    const ns = { prefix: "t_ab12_3" };
    expect(subjectFor(orderPlaced, ns)).toBe("t_ab12_3.switchyard.order.v1.order_placed");
    expect(streamNameFor(userEventsStream, ns)).toBe("T_AB12_3_SWITCHYARD_USER_EVENTS");
  });

  it("refuses a prefix that would change the subject hierarchy", () => {
    expect(() => subjectFor(orderPlaced, { prefix: "a.b" })).toThrow(/must match/);
    expect(() => streamNameFor(userEventsStream, { prefix: "a>" })).toThrow(/must match/);
  });
});

describe("proto timestamps", () => {
  it("round-trip a Date to the millisecond, also before 1970", () => {
    for (const date of [new Date("2026-11-24T10:15:30.123Z"), new Date(-1_500)]) {
      expect(dateFromProtoTimestamp(protoTimestamp(date))).toEqual(date);
    }
    expect(protoTimestamp(new Date(-1_500))).toEqual({ seconds: -2n, nanos: 500_000_000 });
  });
});
