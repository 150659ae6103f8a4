import { ensureDevJwtKeys, mintDevToken } from "@switchyard/token";
import { emptyTally, type JourneyContext, runCustomerJourney } from "./customer-journey.js";
import { demoUsage, parseDemoOptions } from "./demo-options.js";
import { formatDemoSummary } from "./demo-summary.js";
import { createLatencyRecorder } from "./latency-recorder.js";
import { createProgressLine } from "./progress-line.js";
import { seededRandom } from "./seeded-random.js";
import { requireRunningStack } from "./stack-check.js";

// npm run demo: customers arrive one after another over ~85% of the run (so traffic overlaps
// like real visits), each doing a journey through the gateway; then a summary.

let options: ReturnType<typeof parseDemoOptions>;
try {
  options = parseDemoOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${(error as Error).message}\n${demoUsage}`);
  process.exit(2);
}
if (options === "help") {
  console.log(demoUsage);
  process.exit(0);
}
const { users, orders, seconds, seed, gatewayUrl } = options;

await requireRunningStack([{ name: "gateway", healthUrl: `${gatewayUrl}/healthz` }]);
console.log(
  `demo: ${users} customers, ${orders} orders, at most ${seconds} s, through ${gatewayUrl} (seed ${seed})`,
);

// Tokens from the dev issuer (`npm run token`), whose public keys the devstack's gateway trusts.
const signingKeyFile =
  process.env.JWT_SIGNING_KEY_FILE ?? (await ensureDevJwtKeys()).signingKeyFile;
const tokenFor = (subject: string, scopes: string[] = []) =>
  mintDevToken({ signingKeyFile, subject, scopes, ttlSeconds: 3600 });
const adminToken = await tokenFor("demo-operator", ["switchyard:admin"]);

const started = performance.now();
const stopAt = started + seconds * 1000;
const recorder = createLatencyRecorder();
const tally = emptyTally();
const context: JourneyContext = {
  gatewayUrl,
  recorder,
  tally,
  random: seededRandom(seed),
  shouldStop: () => performance.now() >= stopAt,
  runId: `${Date.now().toString(36)}${seed.toString(36)}`,
  tokenFor,
  adminToken,
};

const progress = createProgressLine();
const progressText = () => {
  const elapsed = (performance.now() - started) / 1000;
  const { calls, errors } = recorder.totals();
  return (
    `demo ${elapsed.toFixed(1).padStart(5)} s | customers ${tally.usersRegistered}/${users} | ` +
    `orders ${tally.ordersPlaced}/${orders} | calls ${calls} (${(calls / Math.max(elapsed, 0.1)).toFixed(0)}/s) | ` +
    `errors ${errors} (unexpected ${tally.unexpectedErrors.length})`
  );
};
const ticker = setInterval(() => progress.update(progressText()), 100);

const arrivalGapMs = (seconds * 1000 * 0.85) / users;
const journeys: Promise<void>[] = [];
for (let index = 0; index < users && !context.shouldStop(); index++) {
  // Spread the orders evenly; the first customers take the remainder.
  const orderCount = Math.floor(orders / users) + (index < orders % users ? 1 : 0);
  journeys.push(runCustomerJourney(context, index, orderCount));
  await new Promise((resolve) => setTimeout(resolve, arrivalGapMs));
}
await Promise.all(journeys);
clearInterval(ticker);
progress.done(progressText());

console.log();
console.log(formatDemoSummary(recorder.operations(), tally, performance.now() - started));
const failed =
  tally.unexpectedErrors.length > 0 ||
  tally.retriesMismatched > 0 ||
  tally.dashboardsMissingOwnOrder > 0 ||
  tally.badRequestsMisanswered.length > 0;
process.exit(failed ? 1 : 0);
