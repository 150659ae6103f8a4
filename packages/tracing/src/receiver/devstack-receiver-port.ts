/**
 * The port of the devstack's trace receiver before DEVSTACK_PORT_OFFSET: next to OTLP/HTTP's
 * 4318, not on it, so a collector a developer runs on 4318 is never in the way.
 */
export const devstackReceiverBasePort = 4319;

/** Where `npm start` (with this port offset) keeps recent spans. */
export function devstackReceiverUrl(portOffset: number): string {
  return `http://127.0.0.1:${devstackReceiverBasePort + portOffset}`;
}
