/**
 * What a Kubernetes Service / load balancer does in front of the gateways, in the drill: polls
 * each gateway's /readyz every `pollMs` and sends each request to the next ready one. A gateway
 * that answers 503 (shutting down) or refuses the connection leaves the rotation at that poll —
 * up to `pollMs` after it started shutting down: the propagation delay the drain delay exists
 * for; one that is merely slow to answer (a loaded machine) leaves after 3 missed polls, like a
 * readiness probe's failureThreshold.
 */
export interface EdgeBalancer {
  /** The next ready gateway's base URL, round-robin; undefined when none is ready. */
  pick(): string | undefined;
  /** Resolves once gateway `index` is in rotation again (after a restart). */
  waitUntilInRotation(index: number, timeoutMs: number): Promise<void>;
  stop(): void;
}

export function startEdgeBalancer(baseUrls: string[], pollMs: number): EdgeBalancer {
  const ready = baseUrls.map(() => false);
  const missed = baseUrls.map(() => 0);
  let next = 0;
  let stopped = false;
  const poll = async (index: number) => {
    while (!stopped) {
      const url = baseUrls[index];
      const answer = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status === 200 ? "ready" : "not ready";
        },
        (error: Error) => (error.name === "TimeoutError" ? "no answer" : "not ready"),
      );
      missed[index] = answer === "no answer" ? (missed[index] ?? 0) + 1 : 0;
      if (answer === "ready") ready[index] = true;
      else if (answer === "not ready" || (missed[index] ?? 0) >= 3) ready[index] = false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  for (let index = 0; index < baseUrls.length; index++) void poll(index);
  return {
    pick() {
      for (let offset = 0; offset < baseUrls.length; offset++) {
        const index = (next + offset) % baseUrls.length;
        if (ready[index]) {
          next = index + 1;
          return baseUrls[index];
        }
      }
      return undefined;
    },
    async waitUntilInRotation(index, timeoutMs) {
      const giveUpAt = Date.now() + timeoutMs;
      while (!ready[index]) {
        if (Date.now() > giveUpAt) throw new Error(`gateway ${index} not ready in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    stop() {
      stopped = true;
    },
  };
}
