import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./buf-command.js";
import {
  markdownDocuments,
  type PathReference,
  pathExists,
  pathReferences,
  readDocument,
  repositoryFiles,
  topLevelFolders,
  where,
} from "./doc-path-references.js";

// Docs must not name repository paths that do not exist (issue 9). The rule:
//
// - Documents: every *.md in the work tree that git tracks or would track (so node_modules,
//   dist and other ignored folders are out), except third_party/.
// - A reference is
//   (a) a token inside `inline code`, or on a line of a fenced block of commands (no language,
//       sh, bash, shell, console, text), that starts with a top-level folder of the repository
//       (packages/, services/, gateway/, bff/, tools/, docs/, mesh/, proto/, certs/, .ci/,
//       .github/, web/, contracts/, third_party/, or any other tracked top-level folder),
//       optionally after `./`; resolved from the repository root;
//   (b) the target of a relative Markdown link `[text](target)`, resolved from the document's
//       folder (URLs, `#anchors` and absolute paths are not checked).
// - Not checked, because they are not paths: fenced blocks of code or diagrams (ts, yaml,
//   mermaid...: prose in comments such as "gateway/web-bff"), tokens with `:` or markup after
//   the first folder (`gateway/user:<sub>`, `prod<br/>x`), `@scope/package` names, URLs.
// - Trimmed before checking: surrounding punctuation, `#anchor`, a `:12` or `:12-20` line suffix.
// - Allowed: globs (`services/*/drizzle/`, `proto/switchyard/{user,order}/v1`, `**`) must match
//   at least one tracked file or folder; `<placeholder>`, `${name}`, `...` and `NN` stand for
//   any one segment (`services/<svc>/src/<svc>.ts`). A path git ignores (generated or runtime:
//   `packages/contracts/src/gen/`, `dist/`, `.devstack/`, `certs/out/`) need not exist.

const root = repositoryRoot;

describe("paths named in documents", () => {
  it("exist in the repository (or are generated)", () => {
    const folders = topLevelFolders(root);
    const files = repositoryFiles(root);
    const documents = markdownDocuments(root);
    const references = documents.flatMap((document) =>
      pathReferences(document, readDocument(root, document), folders),
    );
    const missing = references
      .filter((reference) => !pathExists(root, reference.path, files))
      .map((reference) => `${where(reference)} names ${reference.written}`);

    expect(documents.length).toBeGreaterThan(20);
    expect(references.length).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });
});

describe("what counts as a path reference", () => {
  const folders = ["packages", "services", "docs", "gateway", "tools"];
  const found = (text: string, document = "docs/page.md") =>
    pathReferences(document, text, folders).map((reference: PathReference) => reference.path);

  it("takes tokens of inline code and command blocks that start at a top-level folder", () => {
    expect(
      found(
        [
          "See `packages/testing/src/index.ts:12`, and run `cd services/user-service && npx vitest run`.",
          "```sh",
          "cat ./tools/checks/run-all.sh",
          "```",
        ].join("\n"),
      ),
    ).toEqual([
      "packages/testing/src/index.ts",
      "services/user-service",
      "tools/checks/run-all.sh",
    ]);
  });

  it("resolves relative links from the document's folder and skips URLs and anchors", () => {
    expect(
      found(
        "[a](../README.md#top) [b](https://example.com/x) [c](#here) [d](17-mtls.md)",
        "docs/patterns/README.md",
      ),
    ).toEqual(["docs/README.md", "docs/patterns/17-mtls.md"]);
  });

  it("ignores code blocks, identities, markup and package names, and turns placeholders into globs", () => {
    expect(
      found(
        [
          "```ts",
          "devJwtSettings() // for gateway/web-bff",
          "```",
          "`gateway/user:<sub>` `@switchyard/testing` `packages/x<br/>y`",
          "`services/<svc>/src/<svc>.ts` `docs/patterns/NN-*.md`",
        ].join("\n"),
      ),
    ).toEqual(["services/*/src/*.ts", "docs/patterns/*-*.md"]);
  });

  it("accepts globs that match, generated paths, and rejects what matches nothing", () => {
    const files = repositoryFiles(root);
    expect(pathExists(root, "services/*/drizzle", files)).toBe(true);
    expect(pathExists(root, "proto/switchyard/{user,order}/v1", files)).toBe(true);
    expect(pathExists(root, "services/*/dist/main.js", files)).toBe(true);
    expect(pathExists(root, "packages/contracts/src/gen/grpc", files)).toBe(true);
    expect(pathExists(root, "services/*/src/no-such-file.ts", files)).toBe(false);
    expect(pathExists(root, "packages/no-such-package", files)).toBe(false);
  });
});
