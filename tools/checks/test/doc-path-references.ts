import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

/** A path a document names, where it names it, and the repository path it resolves to. */
export interface PathReference {
  document: string;
  line: number;
  /** As written (after trimming punctuation, `./`, `:line` and `#anchor`). */
  written: string;
  /** Relative to the repository root; may contain glob characters (from `*` or `<placeholder>`). */
  path: string;
  kind: "code" | "link";
}

/**
 * The top-level folders a root-relative path can start with: the brief's list (contracts/ does
 * not exist today, so naming it is a finding) plus every tracked top-level folder.
 */
export function topLevelFolders(root: string): string[] {
  const named = ["packages", "services", "gateway", "bff", "tools", "docs", "mesh", "proto"];
  const more = ["certs", ".ci", ".github", "web", "contracts", "third_party"];
  const tracked = git(root, ["ls-tree", "-d", "--name-only", "HEAD"]);
  return [...new Set([...named, ...more, ...tracked])];
}

/** Every Markdown file in the work tree (tracked or new, not ignored), except third_party/. */
export function markdownDocuments(root: string): string[] {
  return git(root, ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.md"])
    .filter((path) => !path.startsWith("third_party/") && existsSync(join(root, path)))
    .sort();
}

/** Fenced blocks whose lines are commands (paths in them are checked); code and diagrams are not. */
const commandFences = new Set(["", "sh", "bash", "shell", "console", "text"]);

/** The path references in one Markdown document (see the rule in doc-paths.test.ts). */
export function pathReferences(
  document: string,
  text: string,
  folders: readonly string[],
): PathReference[] {
  const references: PathReference[] = [];
  const startsAtTop = new RegExp(`^(?:\\./)?(?:${folders.map(escapeRegExp).join("|")})/`);
  // undefined: outside a fenced block; else whether the block is commands (checked) or not.
  let fence: { commands: boolean } | undefined;
  text.split("\n").forEach((content, index) => {
    const line = index + 1;
    const opening = /^\s*(```|~~~)\s*([\w-]*)/.exec(content);
    if (opening) {
      fence = fence ? undefined : { commands: commandFences.has(opening[2] ?? "") };
      return;
    }
    if (fence && !fence.commands) return;
    const codeTexts = fence
      ? [content]
      : [...content.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
    for (const code of codeTexts) {
      for (const token of code.split(/[\s=;()'"|]+/)) {
        const written = cleanToken(token);
        // `gateway/user:<sub>` is an identity, `prod<br/>x` markup: not paths.
        if (!startsAtTop.test(written) || /[:<>]/.test(written.replace(/<[\w-]+>/g, ""))) {
          continue;
        }
        references.push({ document, line, written, path: globFrom(written), kind: "code" });
      }
    }
    if (fence) return;
    for (const match of content.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] ?? "";
      if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(target)) continue; // URLs, anchors, absolute
      const written = cleanToken(decodeURI(target));
      const path = normalize(join(dirname(document), written));
      references.push({ document, line, written, path: globFrom(path), kind: "link" });
    }
  });
  return references;
}

/** Whether path (possibly a glob) names something in the repository, or a generated path. */
export function pathExists(root: string, path: string, files: readonly string[]): boolean {
  if (!/[*?[]|\{[^}]*,/.test(path)) {
    return existsSync(join(root, path)) || isIgnored(root, path);
  }
  const pattern = globToRegExp(path.replace(/\/+$/, ""));
  // A generated path (`services/*/dist/main.js`) is ignored whatever the wildcard stands for.
  return (
    files.some((file) => pattern.test(file) || pattern.test(dirname(file))) ||
    isIgnored(root, path.replace(/\*+|\?/g, "x"))
  );
}

/** Tracked and new files (not ignored), for matching globs. */
export function repositoryFiles(root: string): string[] {
  return git(root, ["ls-files", "--cached", "--others", "--exclude-standard"]);
}

function cleanToken(token: string): string {
  return token
    .replace(/^[`*_[<]+/, "")
    .replace(/[.,:;!?`*_\]>]+$/, "")
    .replace(/#.*$/, "")
    .replace(/:\d+(-\d+)?$/, "")
    .replace(/^\.\//, "");
}

/** `<svc>`, `${name}`, `...` and `NN` stand for one unknown path segment (or part of one). */
function globFrom(path: string): string {
  return path
    .replace(/<[^>/]+>/g, "*")
    .replace(/\$\{[^}/]+\}/g, "*")
    .replace(/\.\.\.+/g, "*")
    .replace(/\bNN\b/g, "*");
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] ?? "";
    if (char === "*" && glob[index + 1] === "*") {
      source += ".*";
      index++;
      if (glob[index + 1] === "/") index++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "{" && glob.indexOf("}", index) > index) {
      const end = glob.indexOf("}", index);
      source += `(?:${glob
        .slice(index + 1, end)
        .split(",")
        .map(escapeRegExp)
        .join("|")})`;
      index = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}/?$`);
}

// A path that does not exist yet is also asked as a folder: `certs/out/` ignores the folder only,
// and in a fresh clone git cannot know that `certs/out` would be one.
function isIgnored(root: string, path: string): boolean {
  return [path, `${path.replace(/\/$/, "")}/`].some((candidate) => {
    try {
      execFileSync("git", ["check-ignore", "-q", "--no-index", candidate], {
        cwd: root,
        stdio: "ignore",
      });
      return true;
    } catch {
      return false;
    }
  });
}

function git(root: string, args: string[]): string[] {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\n")
    .filter(Boolean);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Reads a document relative to root. */
export function readDocument(root: string, document: string): string {
  return readFileSync(join(root, document), "utf8");
}

/** `document:line` for messages. */
export function where(reference: PathReference): string {
  return `${reference.document}:${reference.line}`;
}
