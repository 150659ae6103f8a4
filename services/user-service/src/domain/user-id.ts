import { randomUUID } from "node:crypto";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fresh user id (UUID v4), assigned by the service. */
export function newUserId(): string {
  return randomUUID();
}

/** True for a canonical (lower-case, hyphenated) UUID. */
export function isUserId(value: string): boolean {
  return uuidPattern.test(value);
}
