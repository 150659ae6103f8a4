import { context, ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";
import { currentTraceparent } from "../src/current-traceparent.js";
import { PooledIdGenerator } from "../src/pooled-id-generator.js";
import { rpcSpanCache, rpcSpanOf } from "../src/rpc-span-attributes.js";

describe("PooledIdGenerator", () => {
  it("hands out distinct lower-case hex ids of W3C lengths across several pool refills", () => {
    const ids = new PooledIdGenerator();
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      traceIds.add(ids.generateTraceId());
      spanIds.add(ids.generateSpanId());
    }
    expect(traceIds.size).toBe(2_000);
    expect(spanIds.size).toBe(2_000);
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  });
});

describe("rpcSpanOf", () => {
  it("parses a path once and shares the frozen result", () => {
    const first = rpcSpanOf("/switchyard.user.v1.UserService/GetUser", "grpc");
    expect(first).toEqual({
      name: "switchyard.user.v1.UserService/GetUser",
      attributes: {
        "rpc.system": "grpc",
        "rpc.service": "switchyard.user.v1.UserService",
        "rpc.method": "GetUser",
      },
    });
    expect(rpcSpanOf("/switchyard.user.v1.UserService/GetUser", "grpc")).toBe(first);
    expect(Object.isFrozen(first.attributes)).toBe(true);
    expect(rpcSpanOf("/switchyard.user.v1.UserService/GetUser", "connect_rpc").attributes).toEqual({
      ...first.attributes,
      "rpc.system": "connect_rpc",
    });
  });

  it("adds a client's server address per path without touching the shared attributes", () => {
    const spanOf = rpcSpanCache("grpc", { "server.address": "127.0.0.1", "server.port": 50051 });
    const span = spanOf("/switchyard.user.v1.UserService/GetUser");
    expect(span.attributes).toMatchObject({
      "rpc.method": "GetUser",
      "server.address": "127.0.0.1",
      "server.port": 50051,
    });
    expect(spanOf("/switchyard.user.v1.UserService/GetUser")).toBe(span);
    expect(
      rpcSpanOf("/switchyard.user.v1.UserService/GetUser", "grpc").attributes,
    ).not.toHaveProperty("server.address");
  });
});

describe("currentTraceparent", () => {
  const spanContext = {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
  };

  it("formats the span context of the given context as the W3C propagator would", () => {
    const active = trace.setSpanContext(ROOT_CONTEXT, spanContext);
    // Without a context manager, context.with does not switch: read through a stub manager.
    expect(withActive(active, currentTraceparent)).toBe(
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { ...spanContext, traceFlags: 0 });
    expect(withActive(unsampled, currentTraceparent)).toBe(
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
    );
  });

  it("is undefined outside a span, for an invalid span context and when tracing is suppressed", () => {
    expect(withActive(ROOT_CONTEXT, currentTraceparent)).toBeUndefined();
    const invalid = trace.setSpanContext(ROOT_CONTEXT, { ...spanContext, traceId: "0".repeat(32) });
    expect(withActive(invalid, currentTraceparent)).toBeUndefined();
    const suppressed = suppressTracing(trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(withActive(suppressed, currentTraceparent)).toBeUndefined();
  });
});

/** Runs `read` with `active` as the active context (a minimal context manager, then removed). */
function withActive<T>(active: ReturnType<typeof context.active>, read: () => T): T {
  context.setGlobalContextManager({
    active: () => active,
    with: (_context, fn, thisArg, ...args) => fn.call(thisArg, ...args),
    bind: (_context, target) => target,
    enable() {
      return this;
    },
    disable() {
      return this;
    },
  });
  try {
    return read();
  } finally {
    context.disable();
  }
}
