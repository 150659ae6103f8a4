import type { ReceivedSpan } from "./received-span.js";

/** One trace as stored: its spans and when it last received one. */
export interface StoredTrace {
  traceId: string;
  spans: ReceivedSpan[];
  /** Start of its earliest span (epoch ms). */
  startMs: number;
}

/**
 * Recent spans, bounded: at most `maxSpans` (oldest dropped first), grouped by trace. A local
 * tool's memory, not a trace backend: a developer looks at the last few requests.
 */
export class SpanStore {
  private readonly traces = new Map<string, ReceivedSpan[]>();
  private count = 0;

  constructor(private readonly maxSpans = 20_000) {
    if (!Number.isInteger(maxSpans) || maxSpans < 1) {
      throw new RangeError(`maxSpans must be a positive integer, got ${maxSpans}`);
    }
  }

  add(spans: readonly ReceivedSpan[]): void {
    for (const span of spans) {
      const trace = this.traces.get(span.traceId);
      if (trace) trace.push(span);
      else this.traces.set(span.traceId, [span]);
      this.count += 1;
    }
    // Map iteration is insertion order: the first trace is the one that arrived first.
    while (this.count > this.maxSpans) {
      const [oldestId, oldest] = this.traces.entries().next().value as [string, ReceivedSpan[]];
      this.traces.delete(oldestId);
      this.count -= oldest.length;
    }
  }

  get size(): number {
    return this.count;
  }

  trace(traceId: string): StoredTrace | undefined {
    const spans = this.traces.get(traceId.toLowerCase());
    return spans === undefined ? undefined : storedTrace(traceId.toLowerCase(), spans);
  }

  /** The `limit` traces that started last, newest first. */
  latest(limit: number): StoredTrace[] {
    return [...this.traces.entries()]
      .map(([traceId, spans]) => storedTrace(traceId, spans))
      .sort((a, b) => b.startMs - a.startMs)
      .slice(0, limit);
  }
}

function storedTrace(traceId: string, spans: ReceivedSpan[]): StoredTrace {
  return {
    traceId,
    spans: [...spans].sort((a, b) => a.startMs - b.startMs),
    startMs: Math.min(...spans.map((span) => span.startMs)),
  };
}
