/** Milliseconds since the epoch; injectable so tests drive time by hand. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
