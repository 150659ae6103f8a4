// `npm run fuzz:edge [-- --runs N]`: the edge fuzz tests with N generated requests per property
// (default 2000; CI runs 500). Runs vitest in the gateway workspace with EDGE_FUZZ_RUNS set.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const at = args.indexOf("--runs");
const runs = at === -1 ? "2000" : args[at + 1];
if (runs === undefined || !/^[1-9][0-9]*$/.test(runs) || args.length > (at === -1 ? 0 : 2)) {
  process.stderr.write("usage: npm run fuzz:edge [-- --runs N]   (N: requests per property)\n");
  process.exit(2);
}
const gatewayDir = fileURLToPath(new URL("../..", import.meta.url));
const result = spawnSync("npx", ["vitest", "run", "test/fuzz/edge-fuzz.test.ts"], {
  cwd: gatewayDir,
  stdio: "inherit",
  env: { ...process.env, EDGE_FUZZ_RUNS: runs, EDGE_FUZZ_VERBOSE: "1" },
});
process.exit(result.status ?? 1);
