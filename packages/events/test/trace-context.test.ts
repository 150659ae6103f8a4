import { context, ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import {
  activeTraceparent,
  contextFromTraceparent,
  spanContextFromTraceparent,
  traceparentFromSpanContext,
} from "../src/index.js";

const sampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("traceparent ⇄ span context", () => {
  it("reads a valid traceparent as a remote span context and writes it back unchanged", () => {
    const spanContext = spanContextFromTraceparent(sampled);
    expect(spanContext).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const roundTrip = (value: string) => {
      const parsed = spanContextFromTraceparent(value);
      return parsed === undefined ? undefined : traceparentFromSpanContext(parsed);
    };
    expect(roundTrip(sampled)).toBe(sampled);
    const unsampled = sampled.replace(/-01$/, "-00");
    expect(roundTrip(unsampled)).toBe(unsampled);
  });

  it("rejects what is not a version-00 traceparent (all-zero ids, wrong lengths, null)", () => {
    for (const invalid of [
      null,
      undefined,
      "",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ]) {
      expect(spanContextFromTraceparent(invalid)).toBeUndefined();
      expect(contextFromTraceparent(invalid)).toBe(ROOT_CONTEXT);
    }
  });

  it("a context from a traceparent parents spans on it", () => {
    const parent = trace.getSpanContext(contextFromTraceparent(sampled));
    expect(parent?.spanId).toBe("00f067aa0ba902b7");
  });

  it("activeTraceparent is undefined without an active span (no SDK, no context manager)", () => {
    expect(activeTraceparent()).toBeUndefined();
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
