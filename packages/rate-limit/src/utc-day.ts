/** The UTC day of `nowMs` ("2026-11-26") and the seconds left until it ends. */
export function utcDay(nowMs: number): { day: string; secondsLeft: number } {
  const dayMs = 86_400_000;
  const start = Math.floor(nowMs / dayMs) * dayMs;
  return {
    day: new Date(start).toISOString().slice(0, 10),
    secondsLeft: Math.ceil((start + dayMs - nowMs) / 1000),
  };
}
