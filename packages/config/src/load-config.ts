import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { isSecret } from "./secret.js";

type Env = Record<string, string | undefined>;

/**
 * Parses the service's config once, at start. Every key `K` may be given as env `K` or as
 * `K_FILE` (a path whose content, minus one trailing newline, is the value); an empty env value
 * counts as unset so defaults apply. Throws a `ConfigError` naming every offending key.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Env = process.env,
): z.infer<z.ZodObject<S>> {
  const problems: ConfigProblem[] = [];
  const raw: Record<string, string | undefined> = {};

  for (const key of Object.keys(shape)) {
    const result = readRawValue(key, env);
    if ("problem" in result) problems.push({ key, ...result.problem });
    else raw[key] = result.value;
  }

  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) {
    const failedKeys = new Set(problems.map((p) => p.key));
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      // A key whose source already failed would only add a misleading "required".
      if (failedKeys.has(key)) continue;
      const schema = shape[key] as z.ZodType | undefined;
      const problem = describeIssue(issue, raw[key], schema !== undefined && isSecret(schema));
      const subPath = issue.path.slice(1).map(String);
      const variable = [key, ...subPath].join(".");
      problems.push({ key, variable, problem });
    }
  }

  if (problems.length > 0) {
    const order = Object.keys(shape);
    problems.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
    throw new ConfigError(mergeByVariable(problems));
  }
  return (parsed as { data: z.infer<z.ZodObject<S>> }).data;
}

/**
 * `loadConfig` for a composition root: on a `ConfigError` prints its message to stderr and
 * exits 78 (EX_CONFIG), so orchestrators see a config fault rather than a crash.
 */
export function loadConfigOrExit<S extends z.ZodRawShape>(
  shape: S,
  env: Env = process.env,
): z.infer<z.ZodObject<S>> {
  try {
    return loadConfig(shape, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(78);
  }
}

function readRawValue(
  key: string,
  env: Env,
): { value: string | undefined } | { problem: Omit<ConfigProblem, "key"> } {
  const fileVariable = `${key}_FILE`;
  const direct = nonEmpty(env[key]);
  const path = nonEmpty(env[fileVariable]);
  if (path === undefined) return { value: direct };
  if (direct !== undefined) {
    return {
      problem: { variable: key, problem: `set either ${key} or ${fileVariable}, not both` },
    };
  }
  try {
    return { value: readFileSync(path, "utf8").replace(/\r?\n$/, "") };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: { variable: fileVariable, problem: `cannot read ${path}: ${reason}` } };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

function describeIssue(issue: z.core.$ZodIssue, raw: string | undefined, secret: boolean): string {
  if (raw === undefined && issue.code === "invalid_type") return "required";
  // Custom messages may echo the input; a secret's value must never reach a log or terminal.
  if (secret) {
    return raw !== undefined && issue.message.includes(raw)
      ? "invalid value (secret, not shown)"
      : issue.message;
  }
  return raw === undefined ? issue.message : `${issue.message} (got ${quote(raw)})`;
}

function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}

function mergeByVariable(problems: ConfigProblem[]): ConfigProblem[] {
  const merged = new Map<string, ConfigProblem>();
  for (const p of problems) {
    const existing = merged.get(p.variable);
    if (existing === undefined) merged.set(p.variable, { ...p });
    else existing.problem = `${existing.problem}; ${p.problem}`;
  }
  return [...merged.values()];
}
