import { randomBytes } from "node:crypto";

// Random per process, so names from parallel workers and repeated runs never collide.
const runId = `${randomBytes(3).toString("hex")}${process.pid.toString(36)}`;
let counter = 0;

/**
 * A name that is unique per call and per run, safe as a Postgres database name, a NATS stream
 * name or a subject token: lowercase [a-z0-9_], starts with a letter, at most 50 characters.
 */
export function uniqueName(prefix: string): string {
  let clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 30);
  if (!/^[a-z]/.test(clean)) clean = `t${clean}`;
  counter += 1;
  return `${clean}_${runId}_${counter.toString(36)}`;
}
