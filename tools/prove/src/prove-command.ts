import { findPattern, type PatternProof, patternProofs } from "./pattern-proofs.js";
import { patternList, proofReport, proven } from "./proof-report.js";
import { runTestProof, type TestProofRun } from "./run-test-proof.js";

/** Exit codes: 0 proven (or the list), 1 a proof failed, 2 unknown pattern / not built yet. */
export async function runProveCommand(
  args: readonly string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  const wanted = args.filter((arg) => arg !== "--");
  if (wanted.length === 0 || wanted.includes("--help")) {
    for (const line of patternList(patternProofs)) print(line);
    return 0;
  }
  const patterns: PatternProof[] = [];
  for (const argument of wanted) {
    const pattern = findPattern(argument);
    if (pattern?.proofs === undefined) {
      const why =
        pattern === undefined
          ? `unknown pattern ${JSON.stringify(argument)}`
          : `pattern ${pattern.number} is ${pattern.status}: there is no proof to run`;
      print(`${why}; the patterns:`);
      for (const line of patternList(patternProofs)) print(line);
      return 2;
    }
    patterns.push(pattern);
  }
  let exitCode = 0;
  for (const pattern of patterns) {
    print(`${pattern.number}: running the proof of "${pattern.name}" …`);
    const runs: TestProofRun[] = [];
    // In order: a later proof may read what an earlier one wrote (12: pacts, then providers).
    for (const proof of pattern.proofs ?? []) runs.push(await runTestProof(proof));
    for (const line of proofReport(pattern, runs)) print(line);
    if (!proven(runs)) exitCode = 1;
  }
  return exitCode;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runProveCommand(process.argv.slice(2));
}
