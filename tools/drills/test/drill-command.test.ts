import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDrillArguments } from "../src/drill-arguments.js";
import { drills } from "../src/drill-registry.js";
import { drillExitCodes, runDrillCommand } from "../src/run-drill.js";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

async function runInProcess(args: string[]) {
  let out = "";
  let err = "";
  const code = await runDrillCommand(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

describe("npm run drill", () => {
  it("parses a name and --short, and refuses anything else", () => {
    expect(parseDrillArguments(["nats-node-loss", "--short"])).toEqual({
      kind: "run",
      name: "nats-node-loss",
      short: true,
      options: {},
    });
    expect(parseDrillArguments(["rollout", "--restarts", "20", "--drain-delay-ms=0"])).toEqual({
      kind: "run",
      name: "rollout",
      short: false,
      options: { restarts: "20", "drain-delay-ms": "0" },
    });
    expect(parseDrillArguments(["--help"])).toEqual({ kind: "list" });
    expect(parseDrillArguments([])).toMatchObject({ kind: "invalid" });
    expect(parseDrillArguments(["a", "b"])).toMatchObject({ kind: "invalid" });
    expect(parseDrillArguments(["a", "--fast"])).toEqual({
      kind: "invalid",
      problem: "unknown option --fast",
    });
  });

  it("answers an unknown drill with the list of drills and exit code 2, running nothing", async () => {
    const { code, out, err } = await runInProcess(["no-such-drill"]);
    expect(code).toBe(drillExitCodes.usage);
    expect(out).toBe("");
    expect(err).toContain('no drill named "no-such-drill"');
    for (const drill of drills) expect(err).toContain(drill.name);
  });

  it("refuses an option the drill does not declare, with exit code 2, running nothing", async () => {
    const { code, out, err } = await runInProcess(["relay-kill", "--restarts", "3"]);
    expect(code).toBe(drillExitCodes.usage);
    expect(out).toBe("");
    expect(err).toContain("drill relay-kill has no option --restarts");
  });

  it("lists the drills with --help and exits 0", async () => {
    const { code, out } = await runInProcess(["--help"]);
    expect(code).toBe(0);
    expect(out).toContain("usage: npm run drill -- <name> [--short] [--<option> <number>]");
    expect(out).toContain("nats-node-loss");
  });

  it("is wired as the root `npm run drill` script: an unknown name exits 2", async () => {
    const outcome = await promisify(execFile)("npm", ["run", "--silent", "drill", "--", "nope"], {
      cwd: repositoryRoot,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("nats-node-loss");
  });
});
