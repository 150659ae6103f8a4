import { setTimeout as sleep } from "node:timers/promises";

/**
 * For each of `targets` (replicas, gateways): how long after `since` — when a write answered —
 * it served the change. A probe is started every 5 ms without waiting for the previous one (on
 * a loaded machine one call can take longer than the bound under test) until one sees the
 * change; the target's time is the start of the first probe after which no probe saw the old
 * value, so a target that flips back fails the bound instead of passing on a lucky probe.
 * Throws, naming the target, when none saw the change within `timeoutMs` (5 s).
 */
export async function untilEachServesChange<Target, Answer>(
  targets: Target[],
  options: {
    probe(target: Target): Promise<Answer>;
    changed(answer: Answer): boolean;
    since: number;
    /** How the error names a target that never served the change. */
    nameOf(target: Target): string;
    timeoutMs?: number;
  },
): Promise<number[]> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return Promise.all(
    targets.map(async (target) => {
      const probes: Promise<{ startedAt: number; changed: boolean }>[] = [];
      let seen = false;
      while (!seen && Date.now() - options.since < timeoutMs) {
        const startedAt = Date.now();
        const probe = options
          .probe(target)
          .then((answer) => ({ startedAt, changed: options.changed(answer) }));
        probe.then((result) => {
          if (result.changed) seen = true;
        });
        probes.push(probe);
        await sleep(5);
      }
      const results = (await Promise.all(probes)).sort((a, b) => a.startedAt - b.startedAt);
      const lastOld = results.findLastIndex((result) => !result.changed);
      const firstNew = results[lastOld + 1];
      if (firstNew === undefined) {
        throw new Error(`${options.nameOf(target)} never served the change`);
      }
      return Math.max(0, firstNew.startedAt - options.since);
    }),
  );
}
