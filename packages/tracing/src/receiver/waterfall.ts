import type { ReceivedSpan } from "./received-span.js";
import type { StoredTrace } from "./span-store.js";

/** One row of a waterfall: a span, indented under its parent. */
export interface WaterfallRow {
  depth: number;
  span: ReceivedSpan;
  /** Milliseconds from the trace's first span start. */
  offsetMs: number;
  durationMs: number;
}

/**
 * The spans of a trace in tree order (each child right after its parent, siblings by start);
 * spans whose parent is not in the trace (a caller outside Switchyard, a span still buffered
 * elsewhere) start their own subtree at depth 0.
 */
export function waterfallRows(trace: StoredTrace): WaterfallRow[] {
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  const roots: ReceivedSpan[] = [];
  for (const span of trace.spans) {
    if (span.parentSpanId !== "" && ids.has(span.parentSpanId)) {
      const siblings = children.get(span.parentSpanId) ?? [];
      siblings.push(span);
      children.set(span.parentSpanId, siblings);
    } else {
      roots.push(span);
    }
  }
  const rows: WaterfallRow[] = [];
  const visit = (span: ReceivedSpan, depth: number) => {
    rows.push({
      depth,
      span,
      offsetMs: span.startMs - trace.startMs,
      durationMs: span.endMs - span.startMs,
    });
    const kids = (children.get(span.spanId) ?? []).sort((a, b) => a.startMs - b.startMs);
    for (const child of kids) visit(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => a.startMs - b.startMs)) visit(root, 0);
  return rows;
}

/**
 * A trace as text: a header line, then one line per span — service, operation (indented by
 * depth, with its kind), start offset ms, duration ms, status — and a bar showing where in
 * the trace it ran.
 */
export function formatWaterfall(trace: StoredTrace, options: { barWidth?: number } = {}): string {
  const rows = waterfallRows(trace);
  const barWidth = options.barWidth ?? 30;
  const totalMs = Math.max(...rows.map((row) => row.offsetMs + row.durationMs), 0.001);
  const table = [
    ["service", "operation", "start ms", "duration ms", "status", ""],
    ...rows.map((row) => [
      row.span.service,
      `${"  ".repeat(row.depth)}${row.span.name} [${row.span.kind}]`,
      row.offsetMs.toFixed(1),
      row.durationMs.toFixed(1),
      row.span.status === "error"
        ? `ERROR${row.span.statusMessage ? ` ${row.span.statusMessage}` : ""}`
        : row.span.status,
      bar(row.offsetMs / totalMs, row.durationMs / totalMs, barWidth),
    ]),
  ];
  const widths =
    table[0]?.map((_, column) =>
      Math.max(
        ...table.map((cells) =>
          column === 4 ? Math.min((cells[column] ?? "").length, 40) : (cells[column] ?? "").length,
        ),
      ),
    ) ?? [];
  const numeric = new Set([2, 3]);
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd(),
  );
  const services = new Set(trace.spans.map((span) => span.service)).size;
  const header = `trace ${trace.traceId} · ${new Date(trace.startMs).toISOString()} · ${trace.spans.length} spans · ${services} services · ${totalMs.toFixed(1)} ms`;
  return [header, ...lines].join("\n");
}

function bar(start: number, length: number, width: number): string {
  const from = Math.min(width - 1, Math.floor(start * width));
  const size = Math.max(1, Math.round(length * width));
  const filled = `|${" ".repeat(from)}${"█".repeat(Math.min(size, width - from))}`;
  return `${filled.padEnd(width + 1)}|`;
}
