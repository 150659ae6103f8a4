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
}

/** Every scenario the benchmark knows, in report order. */
export const allScenarios = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] as const;

export const benchUsage = `usage: npm run bench:edge -- [--concurrency N] [--seconds N] [--warmup N] [--repeats N] [--scenarios L]
  --concurrency N  requests in flight (default 50)
  --seconds N      length of each measured run (default 5)
  --warmup N       unmeasured seconds before each scenario's runs (default 10: V8 keeps
                   optimizing for the first ~5,000-10,000 requests through a pair)
  --repeats N      measured runs per scenario, medians reported (default 3)
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
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  return {
    concurrency: integer("--concurrency", values.concurrency, 50, 1),
    seconds: integer("--seconds", values.seconds, 5, 1),
    warmupSeconds: integer("--warmup", values.warmup, 10, 0),
    repeats: integer("--repeats", values.repeats, 3, 1),
    scenarios: scenarioList(values.scenarios),
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
