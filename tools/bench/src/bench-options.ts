import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Requests in flight. */
  concurrency: number;
  /** Length of one measured run. */
  seconds: number;
  /** Unmeasured run before the measured ones, per scenario (JIT, connections, pools). */
  warmupSeconds: number;
  /** Measured runs per scenario; the report shows their medians. */
  repeats: number;
  /** Which scenarios to run (b–d need the running stack; the others start their own pairs). */
  scenarios: Set<string>;
  /**
   * Count instructions instead of seconds: each round sends this many requests per row and
   * counts what the row's own processes execute for them (valgrind's callgrind).
   */
  instructions?: number;
}

/** Every scenario the benchmark knows, in report order. */
export const allScenarios = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] as const;

/** The rows whose server processes are all the benchmark's own: the ones it can count. */
export const countableScenarios = ["a", "e", "f", "g", "h", "i", "k", "l"] as const;

export const benchUsage = `usage: npm run bench:edge -- [--concurrency N] [--seconds N] [--warmup N] [--repeats N] [--scenarios L]
  --concurrency N  requests in flight (default 50)
  --seconds N      length of each measured run (default 5)
  --warmup N       unmeasured seconds before each scenario's runs (default 10: V8 keeps
                   optimizing for the first ~5,000-10,000 requests through a pair)
  --repeats N      measured runs per scenario, medians reported (default 3)
  --instructions N count instructions, not seconds: every round sends N requests per row
                   (after an uncounted warm-up of 15,000) and counts what the row's own processes
                   execute for them under valgrind's callgrind — the same count whatever else the
                   machine does. Rows a, e-i, k, l only (default all of them); --concurrency
                   defaults to 8 there; --seconds and --warmup do not apply
  --scenarios L    comma-separated subset of a..l (default all); b-d need \`npm start\`; the
                   others start their own gateway + user-service pairs: a (direct grpc-js, caches
                   bypassed: the baseline), e/f (plaintext vs mTLS + JWT, caches off), g (f with
                   rate limiting on, limits above the load), h (f with caches on), i (f with
                   tracing on, OTLP export), j (load shedding: limit forced to 8, 8x overload),
                   k, l (the floors: node:http / connect-node + a bare grpc-js hop to (f)'s
                   user-service, no checks)
env GATEWAY_URL, WEB_BFF_URL, USER_SERVICE_TARGET override the local topology.`;

/** Reads the benchmark's flags; throws an Error naming the bad flag. */
export function parseBenchOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      repeats: { type: "string" },
      scenarios: { type: "string" },
      instructions: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const timed = {
    concurrency: integer("--concurrency", values.concurrency, 50, 1),
    seconds: integer("--seconds", values.seconds, 5, 1),
    warmupSeconds: integer("--warmup", values.warmup, 10, 0),
    repeats: integer("--repeats", values.repeats, 3, 1),
    scenarios: scenarioList(values.scenarios),
  };
  if (values.instructions === undefined) return timed;
  const scenarios =
    values.scenarios === undefined ? new Set<string>(countableScenarios) : timed.scenarios;
  const uncountable = [...scenarios].filter(
    (key) => !(countableScenarios as readonly string[]).includes(key),
  );
  if (uncountable.length > 0) {
    throw new Error(
      `--instructions counts only rows ${countableScenarios.join(",")} (the benchmark's own processes), not ${uncountable.join(",")}`,
    );
  }
  return {
    ...timed,
    // Under callgrind every process runs ~50× slower: fewer in flight keeps answers in deadline.
    concurrency: integer("--concurrency", values.concurrency, 8, 1),
    scenarios,
    instructions: integer("--instructions", values.instructions, 0, 1),
  };
}

function integer(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new Error(`${flag} must be an integer >= ${min}, got "${value}"`);
  }
  return parsed;
}

function scenarioList(value: string | undefined): Set<string> {
  if (value === undefined) return new Set(allScenarios);
  const keys = value.split(",").map((key) => key.trim().toLowerCase());
  const unknown = keys.filter((key) => !(allScenarios as readonly string[]).includes(key));
  if (unknown.length > 0 || keys.length === 0) {
    throw new Error(`--scenarios takes letters of ${allScenarios.join(",")}, got "${value}"`);
  }
  return new Set(keys);
}
