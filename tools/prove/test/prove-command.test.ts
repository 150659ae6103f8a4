import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { patternProofs } from "../src/pattern-proofs.js";
import { runProveCommand } from "../src/prove-command.js";
import { repositoryRoot } from "../src/run-test-proof.js";

async function prove(...args: string[]) {
  const lines: string[] = [];
  const exitCode = await runProveCommand(args, (line) => lines.push(line));
  return { exitCode, lines };
}

describe("npm run prove", () => {
  it("without a pattern lists every pattern with its proof and exits 0", async () => {
    const { exitCode, lines } = await prove();
    expect(exitCode).toBe(0);
    expect(lines.filter((line) => /^ {2}\d{2} {2}/.test(line))).toHaveLength(22);
    expect(lines.join("\n")).toContain("packages/config/test/load-config.test.ts");
  });

  it("an unknown pattern exits 2 with the list", async () => {
    // (Every pattern has a proof now; "no proof to run" is what a pattern without one gets.)
    for (const argument of ["99", "seven"]) {
      const { exitCode, lines } = await prove(argument);
      expect(exitCode).toBe(2);
      expect(lines[0]).toMatch(/unknown pattern|no proof to run/);
      expect(lines.join("\n")).toContain("07  Idempotent endpoints & dedup");
    }
  });

  it("names only proofs that exist, and every pattern page with a proof names its command", () => {
    for (const pattern of patternProofs) {
      for (const proof of pattern.proofs ?? []) {
        for (const file of proof.files) {
          expect(existsSync(join(repositoryRoot, proof.workspace, file)), file).toBe(true);
        }
      }
      if (pattern.proofs !== undefined && pattern.page !== undefined) {
        const page = readFileSync(join(repositoryRoot, "docs/patterns", pattern.page), "utf8");
        expect(page, pattern.page).toContain(`npm run prove -- ${pattern.number}`);
      }
    }
  });

  it("has a proof for every pattern the pattern table calls implemented, and its page", () => {
    const table = readFileSync(join(repositoryRoot, "docs/patterns/README.md"), "utf8");
    const rows = [...table.matchAll(/^\|\s*(\d+)\s*\|[^|]+\|([^|]+)\|([^|]+)\|$/gm)];
    expect(rows).toHaveLength(22);
    for (const [, number, status, page] of rows) {
      const pattern = patternProofs.find((entry) => entry.number === number?.padStart(2, "0"));
      const built = status?.trim().startsWith("implemented") ?? false;
      expect(pattern?.proofs !== undefined, `pattern ${number}: ${status}`).toBe(built);
      if (built) expect(page).toContain(`(${pattern?.page})`);
    }
  });

  it("runs a proof and prints what the run showed: the verdict, counts and passed tests", async () => {
    const { exitCode, lines } = await prove("18");
    expect(exitCode).toBe(0);
    expect(lines[1]).toMatch(
      /^18: proven — (\d+)\/\1 tests passed in [\d.]+ s \(packages\/config\/test\/load-config\.test\.ts\)$/,
    );
    expect(lines).toContain(
      "    ✓ names every offending key at once, one line each, in schema order",
    );
  }, 120_000);
});
