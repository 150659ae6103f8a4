import { runDrillCommand } from "./run-drill.js";

// `npm run drill -- <name> [--short]`. Ctrl-C aborts the drill: it stops its load, cleans up
// what it started (servers, stores, databases) and ends with exit code 3; a second Ctrl-C
// exits at once (the orphan guards still stop the servers).
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error(`${signal} received`));
  });
}
const code = await runDrillCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  signal: controller.signal,
});
// Drivers and pools the drill closed may still hold timers for a moment; the verdict is out.
process.exit(code);
