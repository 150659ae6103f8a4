/** Source of "now", injected so tests can control time. */
export interface Clock {
  now(): Date;
}
