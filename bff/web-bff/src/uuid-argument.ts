import { invalidArgument } from "@switchyard/errors";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks an id argument before any backend is asked: a malformed id is the caller's mistake
 * (invalid_argument), not a reason to spend three backend calls and degrade the page.
 */
export function uuidArgument(value: string, field: string): string {
  if (!uuidPattern.test(value)) {
    throw invalidArgument([
      { field, description: `must be a UUID, got ${JSON.stringify(value.slice(0, 64))}` },
    ]);
  }
  return value.toLowerCase();
}
