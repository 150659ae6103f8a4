import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProof } from "./pattern-proofs.js";

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** One test of a proof run, as vitest's JSON reporter recorded it. */
export interface ProvenTest {
  file: string;
  title: string;
  status: "passed" | "failed" | string;
  durationMs: number;
  /** What the test measured and put in `task.meta.proof` (a line or lines), if anything. */
  measured: string[];
  /** The first line of each failure, for a test that failed. */
  failures: string[];
}

/** What one run of a proof's tests showed. */
export interface TestProofRun {
  proof: TestProof;
  tests: ProvenTest[];
  /** vitest's exit code: 0 only when every test passed. */
  exitCode: number;
  durationMs: number;
  /** The end of vitest's own output, shown when the run failed. */
  outputTail: string;
}

interface VitestJson {
  testResults?: {
    name: string;
    assertionResults?: {
      title: string;
      status: string;
      duration?: number | null;
      meta?: { proof?: unknown };
      failureMessages?: string[] | null;
    }[];
  }[];
}

/**
 * Runs a proof's test files with the workspace's own vitest configuration (real Postgres, NATS,
 * processes — exactly as `npm test` runs them) and reads the result from vitest's JSON report:
 * which tests passed, how long they took, and what each measured (`task.meta.proof`).
 */
export async function runTestProof(proof: TestProof): Promise<TestProofRun> {
  const reportDirectory = mkdtempSync(join(tmpdir(), "switchyard-prove-"));
  const report = join(reportDirectory, "report.json");
  const vitest = join(repositoryRoot, "node_modules", ".bin", "vitest");
  const args = ["run", ...proof.files, "--reporter=json", `--outputFile=${report}`];
  const started = performance.now();
  try {
    const { exitCode, output } = await run(vitest, args, join(repositoryRoot, proof.workspace));
    const json = readReport(report);
    const tests = (json.testResults ?? []).flatMap((file) =>
      (file.assertionResults ?? []).map((test) => ({
        file: file.name.startsWith(repositoryRoot)
          ? file.name.slice(repositoryRoot.length)
          : file.name,
        title: test.title,
        status: test.status,
        durationMs: test.duration ?? 0,
        measured: measuredLines(test.meta?.proof),
        failures: (test.failureMessages ?? []).map((message) => message.split("\n")[0] ?? ""),
      })),
    );
    return {
      proof,
      tests,
      exitCode,
      durationMs: performance.now() - started,
      outputTail: output.split("\n").slice(-40).join("\n"),
    };
  } finally {
    rmSync(reportDirectory, { recursive: true, force: true });
  }
}

function measuredLines(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((line): line is string => typeof line === "string");
  return [];
}

function readReport(path: string): VitestJson {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as VitestJson;
  } catch {
    return {};
  }
}

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += String(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 1 : 0), output }));
  });
}
