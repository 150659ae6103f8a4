/** The options of `npm run drill -- rollout` (kept apart so listing drills loads nothing else). */
export const rolloutOptions = {
  restarts: "rolling restarts, one replica at a time (default 20; --short 4)",
  "drain-delay-ms": "SHUTDOWN_DRAIN_DELAY_MS of every replica (default 2000; 0 shows failures)",
  rate: "requests per second through the gateways (default 40; --short 30)",
};
