import { type DrillVerdict, drillPassed } from "./drill.js";

/**
 * The verdict as plain text: what was done, then one row per measurement with what the
 * promise requires and whether it held, then PASSED or FAILED naming the broken rows.
 */
export function renderVerdict(verdict: DrillVerdict): string {
  const rows = verdict.measurements.map((measurement) => [
    measurement.name,
    String(measurement.value),
    measurement.required ?? "",
    measurement.holds === undefined ? "" : measurement.holds ? "ok" : "BROKEN",
  ]);
  const header = ["measure", "value", "required", ""];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  const broken = verdict.measurements.filter((measurement) => measurement.holds === false);
  return [
    `drill ${verdict.drill}: what was done`,
    ...verdict.actions.map((action) => `  - ${action}`),
    "",
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
    "",
    drillPassed(verdict)
      ? `PASSED: every promise of ${verdict.drill} held`
      : `FAILED: ${broken.map((measurement) => measurement.name).join(", ")}`,
  ].join("\n");
}
