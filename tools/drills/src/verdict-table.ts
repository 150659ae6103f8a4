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

/**
 * One line naming each broken promise with its value, and the detail rows under it ("  failed by
 * code"): the first line of a failed drill test's message, because a CI log that keeps only the
 * first lines of each failure must still say which promise broke and how.
 */
export function brokenPromisesLine(verdict: DrillVerdict): string {
  const parts: string[] = [];
  verdict.measurements.forEach((measurement, index) => {
    if (measurement.holds !== false) return;
    const details: string[] = [];
    for (const detail of verdict.measurements.slice(index + 1)) {
      if (!detail.name.startsWith("  ")) break;
      details.push(`${detail.name.trim()}: ${String(detail.value)}`);
    }
    const required = measurement.required ? ` (required ${measurement.required})` : "";
    const detailText = details.length > 0 ? ` [${details.join("; ")}]` : "";
    parts.push(`${measurement.name} = ${String(measurement.value)}${required}${detailText}`);
  });
  return parts.length === 0
    ? `PASSED: every promise of ${verdict.drill} held`
    : `FAILED: ${parts.join(" | ")}`;
}
