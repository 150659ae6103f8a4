import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryRoot } from "./buf-command.js";

const run = promisify(execFile);
const userProto = "proto/switchyard/user/v1/user_service.proto";

/** Runs buf-breaking.sh inside repository; resolves its exit code and combined output. */
function runScript(repository: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      "bash",
      ["tools/checks/buf-breaking.sh"],
      { cwd: repository },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe("tools/checks/buf-breaking.sh", () => {
  const directories: string[] = [];
  afterEach(async () => {
    for (const directory of directories.splice(0)) {
      await rm(directory, { recursive: true, force: true });
    }
  });

  /** A scratch git repository holding this repository's contracts, buf.yaml and the script. */
  async function scratchRepository() {
    const repository = await mkdtemp(join(tmpdir(), "buf-breaking-script-"));
    directories.push(repository);
    for (const path of ["proto", "third_party/proto", "buf.yaml", "tools/checks/buf-breaking.sh"]) {
      await cp(join(repositoryRoot, path), join(repository, path), { recursive: true });
    }
    await symlink(join(repositoryRoot, "node_modules"), join(repository, "node_modules"));
    const git = (...args: string[]) =>
      run("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], {
        cwd: repository,
      });
    // An explicit branch name: the script looks for `main`, whatever init.defaultBranch says.
    await git("init", "-q", "--initial-branch=main");
    await writeFile(join(repository, ".gitignore"), "node_modules\n");
    return {
      repository,
      git,
      commit: (message: string) => git("add", "-A").then(() => git("commit", "-qm", message)),
    };
  }

  it("fails a commit that deletes a field, naming it", async () => {
    const { repository, commit } = await scratchRepository();
    await commit("contracts");
    const file = join(repository, userProto);
    const source = await readFile(file, "utf8");
    const changed = source.replace(/\n\s*\/\/[^\n]*\n\s*string email = 2;/, "");
    expect(changed).not.toBe(source);
    await writeFile(file, changed);
    await commit("delete User.email");

    const result = await runScript(repository);

    expect(result.code).toBe(100);
    expect(result.output).toMatch(/field "2" with name "email" on message "User" was deleted/);
  });

  it("passes a commit without contract changes and skips when there is no previous commit", async () => {
    const { repository, commit } = await scratchRepository();
    await commit("contracts");

    const skipped = await runScript(repository);
    await writeFile(join(repository, "README.md"), "docs only\n");
    await commit("docs");
    const passed = await runScript(repository);

    expect(skipped.code).toBe(0);
    expect(skipped.output).toContain("skipped");
    expect(passed.code).toBe(0);
    expect(passed.output).toContain("no breaking change against HEAD~1");
  });

  /** Deletes User.email from the scratch repository's contracts. */
  async function deleteEmailField(repository: string) {
    const file = join(repository, userProto);
    const source = await readFile(file, "utf8");
    const changed = source.replace(/\n\s*\/\/[^\n]*\n\s*string email = 2;/, "");
    expect(changed).not.toBe(source);
    await writeFile(file, changed);
  }

  it("on a branch, compares with the merge base of main: a break two commits back still fails", async () => {
    const { repository, git, commit } = await scratchRepository();
    await commit("contracts");
    await git("checkout", "-q", "-b", "feature");
    await deleteEmailField(repository);
    await commit("delete User.email");
    await writeFile(join(repository, "README.md"), "docs only\n");
    await commit("docs");

    const result = await runScript(repository);

    // Against HEAD~1 this branch would pass: its last commit changes no contract.
    expect(result.code).toBe(100);
    expect(result.output).toMatch(/field "2" with name "email" on message "User" was deleted/);
  });

  it("on a branch without contract changes, names the merge base it compared with", async () => {
    const { repository, git, commit } = await scratchRepository();
    await commit("contracts");
    await git("checkout", "-q", "-b", "feature");
    await writeFile(join(repository, "README.md"), "docs only\n");
    await commit("docs");

    const result = await runScript(repository);

    expect(result.code).toBe(0);
    expect(result.output).toMatch(
      /no breaking change against the merge base with main \([0-9a-f]{12}\)/,
    );
  });

  it("in a shallow clone of main (depth 1), skips and says why", async () => {
    const { repository, commit } = await scratchRepository();
    await commit("contracts");
    await writeFile(join(repository, "README.md"), "docs only\n");
    await commit("docs");
    const clone = await mkdtemp(join(tmpdir(), "buf-breaking-shallow-"));
    directories.push(clone);
    await run("git", ["clone", "-q", "--depth", "1", `file://${repository}`, join(clone, "repo")]);
    await symlink(join(repositoryRoot, "node_modules"), join(clone, "repo", "node_modules"));

    const result = await runScript(join(clone, "repo"));

    expect(result.code).toBe(0);
    expect(result.output).toContain("skipped");
  });
});
