/** One offending configuration key: `variable` is the env name at fault (`K` or `K_FILE`). */
export interface ConfigProblem {
  key: string;
  variable: string;
  problem: string;
}

/**
 * Thrown by `loadConfig` when any key is missing, invalid or unreadable. The message has one
 * line per offending key so an operator fixes everything in one go; it never holds a secret.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The offending config keys, in schema order. */
  readonly keys: string[];
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.problem}`);
    super(["invalid configuration:", ...lines].join("\n"));
    this.problems = problems;
    this.keys = [...new Set(problems.map((p) => p.key))];
  }
}
