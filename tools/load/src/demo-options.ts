import { parseArgs } from "node:util";
import { localTopology, toHttpBaseUrl } from "@switchyard/topology";

export interface DemoOptions {
  users: number;
  orders: number;
  /** Hard cap on the run; journeys still running then stop at their next step. */
  seconds: number;
  seed: number;
  gatewayUrl: string;
}

export const demoUsage = `usage: npm run demo -- [--users N] [--orders N] [--seconds N] [--seed N]
  --users N     customers to register (default 50)
  --orders N    orders to place, spread over the customers (default 250)
  --seconds N   stop after N seconds even if not done (default 20)
  --seed N      seed of the random choices, to replay a run (default: random)
env GATEWAY_URL  the gateway (default: the local topology's gateway, http://127.0.0.1:8080,
                 moved by DEVSTACK_PORT_OFFSET as \`npm start\` moves it)`;

/** Reads the demo's flags; throws an Error naming the bad flag. */
export function parseDemoOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): DemoOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: "string" },
      orders: { type: "string" },
      seconds: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  return {
    users: positiveInteger("--users", values.users, 50),
    orders: positiveInteger("--orders", values.orders, 250),
    seconds: positiveInteger("--seconds", values.seconds, 20),
    seed: positiveInteger("--seed", values.seed, Math.floor(Math.random() * 1_000_000) + 1),
    gatewayUrl: (env.GATEWAY_URL ?? localGatewayUrl(env.DEVSTACK_PORT_OFFSET)).replace(/\/+$/, ""),
  };
}

/** The devstack's gateway: the local topology's, its port moved by DEVSTACK_PORT_OFFSET. */
function localGatewayUrl(portOffset: string | undefined): string {
  const url = new URL(toHttpBaseUrl(localTopology().gateway));
  if (portOffset === undefined || portOffset === "") return url.origin;
  const offset = Number(portOffset);
  if (!Number.isInteger(offset) || offset < 0 || offset > 10_000) {
    throw new Error(`DEVSTACK_PORT_OFFSET must be an integer 0..10000, got "${portOffset}"`);
  }
  url.port = String(Number(url.port) + offset);
  return url.origin;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`${flag} must be a positive integer, got "${value}"`);
  }
  return parsed;
}
