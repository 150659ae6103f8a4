import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryRoot, runBuf } from "./buf-command.js";

const userProto = "switchyard/user/v1/user_service.proto";
const bufYaml = "version: v2\nmodules:\n  - path: proto\nbreaking:\n  use:\n    - FILE\n";

/** Replaces the body of `message User { ... }` in the user contract with edit(body). */
function editUserMessage(source: string, edit: (body: string) => string): string {
  const start = source.indexOf("message User {");
  const end = source.indexOf("\n}", start);
  if (start === -1 || end === -1) throw new Error(`message User not found in ${userProto}`);
  const edited = edit(source.slice(start, end));
  if (edited === source.slice(start, end)) throw new Error("the edit changed nothing");
  return source.slice(0, start) + edited + source.slice(end);
}

describe("buf breaking", () => {
  const directories: string[] = [];
  afterEach(async () => {
    for (const directory of directories.splice(0))
      await rm(directory, { recursive: true, force: true });
  });

  /** Two buf workspaces holding copies of proto/: "original" and "changed" (edited). */
  async function copiesWithChange(edit: (body: string) => string) {
    const root = await mkdtemp(join(tmpdir(), "buf-breaking-"));
    directories.push(root);
    for (const name of ["original", "changed"]) {
      await cp(join(repositoryRoot, "proto"), join(root, name, "proto"), { recursive: true });
      await writeFile(join(root, name, "buf.yaml"), bufYaml);
    }
    const changedFile = join(root, "changed", "proto", userProto);
    await writeFile(changedFile, editUserMessage(await readFile(changedFile, "utf8"), edit));
    return root;
  }

  it("fails naming the deleted field", async () => {
    const root = await copiesWithChange((body) =>
      body.replace(/\n\s*\/\/[^\n]*\n\s*string email = 2;/, ""),
    );

    const result = await runBuf(["breaking", "changed", "--against", "original"], root);

    expect(result.code).toBe(100);
    expect(result.output).toContain('"email"');
    expect(result.output).toMatch(/field "2" with name "email" on message "User" was deleted/);
  });

  it("passes an added field", async () => {
    const root = await copiesWithChange((body) => `${body}\n  string nickname = 9;`);

    const result = await runBuf(["breaking", "changed", "--against", "original"], root);

    expect(result).toEqual({ code: 0, output: "" });
  });
});

describe("buf lint", () => {
  it("passes on the repository's contracts", async () => {
    const result = await runBuf(["lint"], repositoryRoot);

    expect(result).toEqual({ code: 0, output: "" });
  });
});
