import { headers } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import {
  createTraceparent,
  type EventEnvelope,
  envelopeFromMessage,
  envelopeHeaders,
  InvalidEnvelopeError,
  isTraceparent,
} from "../src/index.js";

const envelope: EventEnvelope = {
  id: "0b7c5a52-3c1e-4d0f-9a57-7f0f3b1e2a10",
  type: "switchyard.order.events.v1.OrderPlaced",
  source: "switchyard/order-service",
  time: new Date("2026-11-24T10:15:30.123Z"),
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
  subject: "switchyard.order.v1.order_placed",
  body: new Uint8Array([1, 2, 3]),
};

describe("event envelope", () => {
  it("writes CloudEvents binary-mode headers and the JetStream dedup id", () => {
    const hdrs = envelopeHeaders(envelope);
    expect(hdrs.get("ce-specversion")).toBe("1.0");
    expect(hdrs.get("ce-id")).toBe(envelope.id);
    expect(hdrs.get("ce-type")).toBe(envelope.type);
    expect(hdrs.get("ce-source")).toBe(envelope.source);
    expect(hdrs.get("ce-time")).toBe("2026-11-24T10:15:30.123Z");
    expect(hdrs.get("content-type")).toBe("application/protobuf");
    expect(hdrs.get("Nats-Msg-Id")).toBe(envelope.id);
    expect(hdrs.get("traceparent")).toBe(envelope.traceparent);
  });

  it("round-trips through headers, also without a traceparent", () => {
    expect(
      envelopeFromMessage({
        subject: envelope.subject,
        data: envelope.body,
        headers: envelopeHeaders(envelope),
      }),
    ).toEqual(envelope);
    const untraced = { ...envelope, traceparent: undefined };
    const hdrs = envelopeHeaders(untraced);
    expect(hdrs.has("traceparent")).toBe(false);
    expect(
      envelopeFromMessage({ subject: envelope.subject, data: envelope.body, headers: hdrs }),
    ).toEqual(untraced);
  });

  it("rejects a message without ce-type, naming the header", () => {
    const hdrs = envelopeHeaders(envelope);
    hdrs.delete("ce-type");
    expect(() => envelopeFromMessage({ subject: "s", data: envelope.body, headers: hdrs })).toThrow(
      new InvalidEnvelopeError("message on s has no ce-type header"),
    );
  });

  it("rejects messages without headers, with another spec version or an unparseable time", () => {
    expect(() => envelopeFromMessage({ subject: "s", data: envelope.body })).toThrow(
      /no ce-specversion header/,
    );
    const wrongVersion = envelopeHeaders(envelope);
    wrongVersion.set("ce-specversion", "0.3");
    expect(() =>
      envelopeFromMessage({ subject: "s", data: envelope.body, headers: wrongVersion }),
    ).toThrow(/ce-specversion 0.3, expected 1.0/);
    const badTime = envelopeHeaders(envelope);
    badTime.set("ce-time", "yesterday");
    expect(() =>
      envelopeFromMessage({ subject: "s", data: envelope.body, headers: badTime }),
    ).toThrow(InvalidEnvelopeError);
    const json = envelopeHeaders(envelope);
    json.set("content-type", "application/json");
    expect(() => envelopeFromMessage({ subject: "s", data: envelope.body, headers: json })).toThrow(
      /content-type application\/json/,
    );
    expect(() =>
      envelopeFromMessage({ subject: "s", data: envelope.body, headers: headers() }),
    ).toThrow(InvalidEnvelopeError);
  });
});

describe("traceparent", () => {
  it("creates valid, distinct W3C traceparents and rejects malformed ones", () => {
    const first = createTraceparent();
    expect(isTraceparent(first)).toBe(true);
    expect(createTraceparent()).not.toBe(first);
    expect(isTraceparent(undefined)).toBe(false);
    expect(isTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).toBe(false);
    expect(isTraceparent("garbage")).toBe(false);
  });
});
