/**
 * Generated requests per property: 500 in CI (the whole file stays well under a minute), more
 * on demand — `npm run fuzz:edge -- --runs 5000` sets EDGE_FUZZ_RUNS.
 */
export function fuzzRunsPerProperty(env: Record<string, string | undefined> = process.env): number {
  const runs = Number(env.EDGE_FUZZ_RUNS ?? "500");
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`EDGE_FUZZ_RUNS must be a positive integer, got "${env.EDGE_FUZZ_RUNS}"`);
  }
  return runs;
}
