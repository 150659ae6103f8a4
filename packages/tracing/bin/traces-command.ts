import { devstackReceiverUrl, formatWaterfall, type StoredTrace } from "../src/receiver/index.js";

// `npm run traces [-- <trace-id> | --limit N]`: the latest traces the devstack's receiver kept,
// as waterfalls. Reads DEVSTACK_PORT_OFFSET like `npm start`, so it finds a second stack too.

const usage = "usage: npm run traces [-- <trace-id>] [-- --limit <n>]";
const args = process.argv.slice(2);
const offset = Number(process.env.DEVSTACK_PORT_OFFSET ?? "0");
if (!Number.isInteger(offset) || offset < 0) fail(`DEVSTACK_PORT_OFFSET must be an integer ≥ 0`);
const baseUrl = devstackReceiverUrl(offset);

let traceId: string | undefined;
let limit = 5;
for (let index = 0; index < args.length; index++) {
  const arg = args[index] ?? "";
  if (arg === "--limit") {
    limit = Number(args[++index]);
    if (!Number.isInteger(limit) || limit < 1) fail(`--limit needs a positive integer\n${usage}`);
  } else if (/^[0-9a-fA-F]{32}$/.test(arg)) {
    traceId = arg.toLowerCase();
  } else {
    fail(`"${arg}" is not a trace id (32 hex digits)\n${usage}`);
  }
}

const path = traceId === undefined ? `/api/traces?limit=${limit}` : `/api/traces/${traceId}`;
let response: Response;
try {
  response = await fetch(`${baseUrl}${path}`);
} catch {
  fail(
    [
      `No devstack trace receiver answers at ${baseUrl}.`,
      "Start the stack with `npm start` (same DEVSTACK_PORT_OFFSET as here), make a request, then",
      "run `npm run traces` again. If you gave the stack OTEL_EXPORTER_OTLP_ENDPOINT, its traces",
      "went to that collector (e.g. Jaeger) instead: look there.",
    ].join("\n"),
  );
}
const body = (await response.json()) as { traces?: StoredTrace[]; error?: string } & StoredTrace;
if (!response.ok) fail(body.error ?? `the receiver answered ${response.status}`);
const traces = traceId === undefined ? (body.traces ?? []) : [body];
if (traces.length === 0) {
  process.stdout.write("No traces yet: make a request through the gateway (e.g. npm run demo).\n");
} else {
  process.stdout.write(`${traces.map((trace) => formatWaterfall(trace)).join("\n\n")}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
