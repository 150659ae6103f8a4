// Sums the "Tests  N passed | M failed (T)" summaries that vitest prints per package into one
// closing line for the whole run: "tests: N passed, M failed" (skipped added when present).
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8").replace(/\x1b\[[0-9;]*m/g, "");
const totals = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
for (const line of text.split("\n")) {
  const summary = line.match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (!summary) continue;
  packages += 1;
  for (const [, count, kind] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    totals[kind] += Number(count);
  }
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
console.log(`\n${packages} packages tested`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
