/**
 * A plain-text table: columns padded to their widest cell, numbers (cells that look numeric)
 * right-aligned, a rule under the header.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const numeric = header.map((_, column) =>
    rows.every((row) => /^[-+]?[\d.,]+[x%]?$|^-$/.test(row[column] ?? "-")),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [
    line(header),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...rows.map(line),
  ].join("\n");
}

/** Milliseconds with one decimal, "-" for none. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : "-";
}
