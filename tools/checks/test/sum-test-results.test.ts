import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "./buf-command.js";

const run = promisify(execFile);
const vitest = resolve(repositoryRoot, "node_modules/.bin/vitest");
const summer = resolve(repositoryRoot, "tools/checks/sum-test-results.mjs");

/** Real vitest output for a package with one failing and one passing test, as turbo logs it. */
async function turboLogOfFailingPackage(directory: string): Promise<string> {
  await writeFile(
    join(directory, "sums.test.ts"),
    `import { describe, expect, it } from "vitest";
describe("sums", () => {
  it("adds two and two", () => { expect(2 + 2).toBe(5); });
  it("adds one and one", () => { expect(1 + 1).toBe(2); });
});
`,
  );
  const output = await run(vitest, ["run", "--root", directory], {
    cwd: directory,
    env: { ...process.env, FORCE_COLOR: "1" },
  }).then(
    () => {
      throw new Error("vitest passed a failing test");
    },
    (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
  );
  return output
    .split("\n")
    .map((line) => `@switchyard/example:test: ${line}`)
    .join("\n");
}

describe("tools/checks/sum-test-results.mjs", () => {
  let directory = "";
  let summary = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "sum-test-results-"));
    const log = join(directory, "turbo.log");
    await writeFile(log, await turboLogOfFailingPackage(directory));
    summary = (await run("node", [summer, log])).stdout;
  }, 60_000);
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it("sums vitest's per-package counts into one closing line", () => {
    expect(summary).toContain("1 packages tested");
    expect(summary.trimEnd().split("\n").at(-1)).toBe("tests: 1 passed, 1 failed");
  });

  it("names the failing test with its package and the first lines of its error", () => {
    expect(summary).toContain("==> failed (1)");
    expect(summary).toContain("FAIL @switchyard/example: sums.test.ts > sums > adds two and two");
    expect(summary).toContain("AssertionError: expected 4 to be 5");
    expect(summary).not.toContain("adds one and one");
  });
});
