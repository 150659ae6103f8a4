import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { expect } from "vitest";

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/**
 * A response body with what changes from run to run replaced by placeholders: UUIDs become
 * `<uuid-1>`, `<uuid-2>`, … in order of first appearance (so "customer id equals user id" stays
 * visible), RFC 3339 timestamps `<timestamp>`, a non-empty `nextPageToken` `<page-token>`.
 * Everything else — field names, their order, value types (int64 as strings, enum names) — is
 * kept, pretty-printed so a diff is readable.
 */
export function normalizeBody(body: string): string {
  const uuids = new Map<string, string>();
  const withUuids = body.replace(uuidPattern, (uuid) => {
    const existing = uuids.get(uuid);
    if (existing !== undefined) return existing;
    const placeholder = `<uuid-${uuids.size + 1}>`;
    uuids.set(uuid, placeholder);
    return placeholder;
  });
  const normalized = JSON.parse(withUuids, (key, value: unknown) => {
    if (typeof value === "string" && timestampPattern.test(value)) return "<timestamp>";
    if (key === "nextPageToken" && value !== "") return "<page-token>";
    return value;
  });
  return `${JSON.stringify(normalized, null, 2)}\n`;
}

/**
 * Compares `actual` byte for byte with the committed golden file; `UPDATE_GOLDEN=1` rewrites the
 * file instead (review the diff before committing it: a change to v1 is a breaking change).
 */
export async function expectGolden(path: URL, actual: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === "1") {
    await mkdir(dirname(path.pathname), { recursive: true });
    await writeFile(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`missing golden file ${path.pathname}: run with UPDATE_GOLDEN=1 to create it`);
  }
  const expected = await readFile(path, "utf8");
  expect(actual, `response differs from ${path.pathname} (UPDATE_GOLDEN=1 to accept)`).toBe(
    expected,
  );
}
