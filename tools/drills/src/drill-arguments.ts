/** `npm run drill -- <name> [--short] [--<option> <number>]…`, parsed. */
export type DrillArguments =
  | { kind: "run"; name: string; short: boolean; options: Record<string, string> }
  | { kind: "list" }
  | { kind: "invalid"; problem: string };

/**
 * Parses the command line after `--`. `--help` lists the drills; `--<option> <number>` (or
 * `--<option>=<number>`) is kept for the drill, which says whether it knows the option; no
 * name, an unknown flag or a second name is invalid (the caller prints the problem and the
 * list, and exits 2).
 */
export function parseDrillArguments(args: readonly string[]): DrillArguments {
  let name: string | undefined;
  let short = false;
  const options: Record<string, string> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg === "--help" || arg === "-h") return { kind: "list" };
    const option = /^--([a-z][a-z-]*)(?:=(\d+))?$/.exec(arg);
    const value =
      option?.[2] ?? (/^\d+$/.test(args[index + 1] ?? "") ? args[index + 1] : undefined);
    if (arg === "--short") short = true;
    else if (option?.[1] !== undefined && value !== undefined) {
      options[option[1]] = value;
      if (option[2] === undefined) index++;
    } else if (arg.startsWith("-")) return { kind: "invalid", problem: `unknown option ${arg}` };
    else if (name !== undefined) {
      return { kind: "invalid", problem: `one drill at a time (got ${name} and ${arg})` };
    } else name = arg;
  }
  return name === undefined
    ? { kind: "invalid", problem: "name the drill to run" }
    : { kind: "run", name, short, options };
}
