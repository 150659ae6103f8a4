import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The node arguments that run the module `name` (a sibling of `from`, e.g. import.meta.url) as
 * a process of its own: from source via tsx when the benchmark runs from source (npm run
 * bench:edge), else the compiled sibling in dist/.
 */
export function nodeScriptArgs(from: string, name: string): string[] {
  const extension = extname(fileURLToPath(from));
  const script = fileURLToPath(new URL(`./${name}${extension}`, from));
  return extension === ".ts"
    ? ["--conditions=switchyard-source", "--import", "tsx", script]
    : [script];
}
