// Sums the "Tests  N passed | M failed (T)" summaries that vitest prints per package into one
// closing line for the whole run: "tests: N passed, M failed" (skipped added when present).
// When a test failed, the closing lines also name it, with the first lines of its error: the
// full run prints megabytes, and a CI log that keeps only the tail must still say what failed.
import { readFileSync } from "node:fs";

const errorLinesPerFailure = 10;
const failuresShown = 20;

const text = readFileSync(process.argv[2], "utf8").replace(
  new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"),
  "",
);
const lines = text.split("\n");

const totals = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
for (const line of lines) {
  const summary = line.match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (!summary) continue;
  packages += 1;
  for (const [, count, kind] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    totals[kind] += Number(count);
  }
}

/**
 * Vitest's "Failed Tests" section: a " FAIL  file > suite > test" line, then the error, its diff
 * and its stack, up to the next "⎯⎯⎯" rule. Turbo prefixes every line with "<package>:test: ".
 */
function failures() {
  const found = [];
  for (let index = 0; index < lines.length; index += 1) {
    const heading = lines[index].match(/^(.*?:test: )?\s*FAIL\s+(.*\S)\s*$/);
    if (!heading) continue;
    const prefix = heading[1] ?? "";
    const packageName = prefix.replace(/:test: $/, "");
    const body = [];
    for (
      let next = index + 1;
      next < lines.length && body.length < errorLinesPerFailure;
      next += 1
    ) {
      const content = lines[next].startsWith(prefix)
        ? lines[next].slice(prefix.length)
        : lines[next];
      if (/^\s*(FAIL\s|⎯)/.test(content)) break;
      if (content.trim() !== "") body.push(content.trimEnd());
    }
    found.push({ title: `${packageName ? `${packageName}: ` : ""}${heading[2]}`, body });
  }
  return found;
}

const failed = failures();
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
if (failed.length > 0) {
  console.log(`\n==> failed (${failed.length})`);
  for (const { title, body } of failed.slice(0, failuresShown)) {
    console.log(`\n  FAIL ${title}`);
    for (const line of body) console.log(`    ${line}`);
  }
  if (failed.length > failuresShown) console.log(`\n  … and ${failed.length - failuresShown} more`);
}
console.log(`\n${packages} packages tested`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
