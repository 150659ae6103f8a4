/** One answered (or not) call of a load: when it started, how long it took, how it ended. */
export interface CallSample {
  startedAt: number;
  ms: number;
  /** HTTP status, or 0 when no answer came within the client's timeout. */
  status: number;
  /** Connect code of an error ("unavailable", "internal", …), "ok", or "hung". */
  code: string;
  /** What `options.note` said about a successful answer's body (e.g. degraded sections). */
  note?: string;
}

export interface RunningCallLoad {
  samples(): readonly CallSample[];
  /** Stops starting calls and waits for those in flight. */
  stop(): Promise<readonly CallSample[]>;
}

/**
 * Calls `call` at a steady rate (open loop: a slow answer does not slow the arrivals), each
 * bounded by `timeoutMs` — a call still open then is recorded as hung, never waited for longer.
 */
export function startCallLoad(options: {
  call(signal: AbortSignal): Promise<Response>;
  ratePerSecond: number;
  timeoutMs: number;
  /** Reads a successful answer's JSON body; its result is kept as the sample's note. */
  note?(body: unknown): string | undefined;
}): RunningCallLoad {
  const samples: CallSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const startedAt = Date.now();
    const done = options.call(AbortSignal.timeout(options.timeoutMs)).then(
      async (response) => {
        const text = await response.text();
        const ms = Date.now() - startedAt;
        const code = codeOf(response.status, text);
        const note = code === "ok" && options.note ? options.note(JSON.parse(text)) : undefined;
        samples.push({
          startedAt,
          ms,
          status: response.status,
          code,
          ...(note === undefined ? {} : { note }),
        });
      },
      () => {
        samples.push({ startedAt, ms: Date.now() - startedAt, status: 0, code: "hung" });
      },
    );
    const tracked = done.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }, 1000 / options.ratePerSecond);
  return {
    samples: () => samples,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return samples;
    },
  };
}

/** The Connect code of an answer: "ok" for 200, else the error body's code, else "http <status>". */
export function codeOf(status: number, text: string): string {
  if (status === 200) return "ok";
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === "string" ? code : `http ${status}`;
  } catch {
    return `http ${status}`;
  }
}

/** "unavailable 12, internal 3" — codes by count, largest first; "none" for no samples. */
export function countByCode(samples: readonly CallSample[]): string {
  const counts = new Map<string, number>();
  for (const sample of samples) counts.set(sample.code, (counts.get(sample.code) ?? 0) + 1);
  const parts = [...counts].sort(([, a], [, b]) => b - a).map(([code, n]) => `${code} ${n}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** POSTs one Connect JSON call to `baseUrl/procedure`. */
export function connectJsonCall(
  baseUrl: string,
  procedure: string,
  body: unknown,
  headers: Record<string, string> = {},
): (signal: AbortSignal) => Promise<Response> {
  return (signal) =>
    fetch(`${baseUrl}/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
}
