#!/usr/bin/env node
// `npm start`: build every workspace (turbo; cached when nothing changed), then run the devstack.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
console.log("devstack: building (npx turbo run build)…");
const build = spawnSync(
  "npx",
  ["--no-install", "turbo", "run", "build", "--output-logs=errors-only"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
if (build.status !== 0) {
  console.error("devstack: build failed; fix the errors above and run npm start again.");
  process.exit(build.status ?? 1);
}
await import(join(root, "tools", "devstack", "dist", "main.js"));
