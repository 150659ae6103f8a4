import { randomBytes } from "node:crypto";

const traceparentPattern = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** True for a version-00 W3C `traceparent` (https://www.w3.org/TR/trace-context/). */
export function isTraceparent(value: string | undefined): value is string {
  return value !== undefined && traceparentPattern.test(value);
}

/** A fresh sampled W3C `traceparent`, for events caused by no traced request. */
export function createTraceparent(): string {
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
}

/** The incoming `traceparent` when it is valid, else a fresh one. */
export function traceparentOrNew(incoming: string | undefined): string {
  return isTraceparent(incoming) ? incoming : createTraceparent();
}
