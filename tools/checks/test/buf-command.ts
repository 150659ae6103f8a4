import { execFile } from "node:child_process";
import { resolve } from "node:path";

export const repositoryRoot = resolve(import.meta.dirname, "../../..");
const buf = resolve(repositoryRoot, "node_modules/.bin/buf");

/** Runs the repository's real buf binary; resolves its exit code and combined output. */
export function runBuf(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(buf, args, { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}
