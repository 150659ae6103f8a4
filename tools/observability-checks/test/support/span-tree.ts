import type { ReadableSpan } from "@switchyard/tracing/testing";
import { parentSpanIdOf } from "@switchyard/tracing/testing";
import { expect } from "vitest";

/** The spans of one trace, with the lookups trace-edge assertions need. */
export class SpanTree {
  constructor(readonly spans: readonly ReadableSpan[]) {}

  get traceIds(): Set<string> {
    return new Set(this.spans.map((span) => span.spanContext().traceId));
  }

  /** The one span matching `where`; fails listing the spans there are when none or several match. */
  one(description: string, where: (span: ReadableSpan) => boolean): ReadableSpan {
    const found = this.spans.filter(where);
    expect(found, `exactly one ${description} among:\n${this.describe()}`).toHaveLength(1);
    return found[0] as ReadableSpan;
  }

  all(where: (span: ReadableSpan) => boolean): ReadableSpan[] {
    return this.spans.filter(where);
  }

  parentOf(span: ReadableSpan): ReadableSpan | undefined {
    const parentId = parentSpanIdOf(span);
    return this.spans.find((candidate) => candidate.spanContext().spanId === parentId);
  }

  /** True when `ancestor` is on the parent chain of `span`. */
  descendsFrom(span: ReadableSpan, ancestor: ReadableSpan): boolean {
    for (let current = this.parentOf(span); current; current = this.parentOf(current)) {
      if (current === ancestor) return true;
    }
    return false;
  }

  /** Asserts the edge parent → child (the child's parent span id is the parent's span id). */
  expectEdge(parent: ReadableSpan, child: ReadableSpan): void {
    expect(
      parentSpanIdOf(child),
      `${label(child)} should be a child of ${label(parent)}\n${this.describe()}`,
    ).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  }

  describe(): string {
    return this.spans
      .map(
        (span) =>
          `  ${span.spanContext().spanId} ← ${parentSpanIdOf(span) ?? "(root)"}  ${label(span)}`,
      )
      .join("\n");
  }
}

export function label(span: ReadableSpan): string {
  return `${span.name} [${["internal", "server", "client", "producer", "consumer"][span.kind]}]`;
}

/** Span predicates by the RPC / database / messaging semantic conventions. */
export const rpc =
  (system: "grpc" | "connect_rpc", kind: "server" | "client", method: string, service?: RegExp) =>
  (span: ReadableSpan) =>
    span.attributes["rpc.system"] === system &&
    span.kind === (kind === "server" ? 1 : 2) &&
    span.attributes["rpc.method"] === method &&
    (service === undefined || service.test(String(span.attributes["rpc.service"])));

export const isDatabaseSpan = (span: ReadableSpan) =>
  span.attributes["db.system.name"] === "postgresql" ||
  span.attributes["db.system"] === "postgresql";

export const isMessaging = (operation: "send" | "process") => (span: ReadableSpan) =>
  span.attributes["messaging.operation.type"] === operation ||
  span.attributes["messaging.operation"] === operation;
