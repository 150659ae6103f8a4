import type { PatternProof } from "./pattern-proofs.js";
import type { TestProofRun } from "./run-test-proof.js";

const shownTitles = 3;

/** Whether every test of every run passed (and at least one ran). */
export function proven(runs: readonly TestProofRun[]): boolean {
  const tests = runs.flatMap((run) => run.tests);
  return (
    tests.length > 0 &&
    runs.every((run) => run.exitCode === 0) &&
    tests.every((test) => test.status === "passed")
  );
}

/**
 * The lines `npm run prove -- NN` prints: a verdict with the counts and time the run measured,
 * then what the tests showed: each measurement a test recorded (`recordProof`), or else the
 * titles of the tests that passed (a title is printed only when its test passed in THIS run).
 */
export function proofReport(pattern: PatternProof, runs: readonly TestProofRun[]): string[] {
  const tests = runs.flatMap((run) => run.tests);
  const passed = tests.filter((test) => test.status === "passed");
  const failed = tests.filter((test) => test.status === "failed");
  const seconds = (runs.reduce((sum, run) => sum + run.durationMs, 0) / 1000).toFixed(1);
  const files = [...new Set(tests.map((test) => test.file))];
  const where =
    files.length <= 3
      ? files.join(", ")
      : `${files.length} test files in ${[...new Set(runs.map((run) => run.proof.workspace))].join(", ")}`;
  const verdict = proven(runs) ? "proven" : "NOT proven";
  const lines = [
    `${pattern.number}: ${verdict} — ${passed.length}/${tests.length} tests passed in ${seconds} s (${where || "no test ran"})`,
  ];
  const measured = passed.flatMap((test) => test.measured);
  for (const line of measured) lines.push(`    measured: ${line}`);
  // Without measurements, the titles of the tests that passed say what was shown: the
  // pattern's highlighted ones, or else the first few.
  if (measured.length === 0) {
    const highlighted = passed.filter((test) =>
      (pattern.highlights ?? []).some((part) => test.title.includes(part)),
    );
    const shown = highlighted.length > 0 ? highlighted : passed.slice(0, shownTitles);
    for (const test of shown) lines.push(`    ✓ ${test.title}`);
    if (passed.length > shown.length) {
      lines.push(`    … and ${passed.length - shown.length} more passed`);
    }
  }
  for (const test of failed) {
    lines.push(`    ✗ ${test.title}`);
    for (const failure of test.failures) lines.push(`      ${failure}`);
  }
  // A run that failed without a failed test (it crashed, or collected nothing): vitest's words.
  for (const run of runs) {
    if (run.exitCode !== 0 && !run.tests.some((test) => test.status === "failed")) {
      lines.push(
        "    vitest output (end):",
        ...run.outputTail.split("\n").map((l) => `    | ${l}`),
      );
    }
  }
  return lines;
}

/** `npm run prove` without a pattern: every pattern and what proves it. */
export function patternList(patterns: readonly PatternProof[]): string[] {
  const lines = ["Patterns and their proofs (npm run prove -- <NN>):", ""];
  for (const pattern of patterns) {
    const what =
      pattern.proofs === undefined
        ? `(${pattern.status}: no proof yet)`
        : pattern.proofs
            .flatMap((proof) => proof.files.map((file) => `${proof.workspace}/${file}`))
            .join(", ");
    lines.push(`  ${pattern.number}  ${pattern.name}`, `      ${what}`);
  }
  return lines;
}
