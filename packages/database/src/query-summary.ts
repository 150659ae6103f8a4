/** What a span and a metric say about a statement, read from its text (never its parameters). */
export interface QuerySummary {
  /** Upper-case first keyword: SELECT, INSERT, UPDATE, DELETE, CREATE, … */
  operation: string | undefined;
  /** The table it reads or writes first (no schema, no quotes), when one is found. */
  collection: string | undefined;
  /** `operation collection`, e.g. `SELECT outbox_messages`: low-cardinality, used as span name. */
  summary: string;
}

const leadingNoise = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/;
const firstWord = /^([a-z]+)/i;
const identifier = String.raw`((?:"[^"]+"|[a-z_][a-z0-9_$]*)(?:\s*\.\s*(?:"[^"]+"|[a-z_][a-z0-9_$]*))?)`;
const targetAfter: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bfrom\s+(?:only\s+)?${identifier}`, "i"),
  DELETE: new RegExp(String.raw`\bfrom\s+(?:only\s+)?${identifier}`, "i"),
  INSERT: new RegExp(String.raw`\binto\s+${identifier}`, "i"),
  UPDATE: new RegExp(String.raw`^update\s+(?:only\s+)?${identifier}`, "i"),
  CREATE: new RegExp(
    String.raw`\b(?:table|index|view|schema)\s+(?:if\s+not\s+exists\s+)?${identifier}`,
    "i",
  ),
  ALTER: new RegExp(
    String.raw`\b(?:table|index|view|schema)\s+(?:if\s+exists\s+)?${identifier}`,
    "i",
  ),
  DROP: new RegExp(
    String.raw`\b(?:table|index|view|schema)\s+(?:if\s+exists\s+)?${identifier}`,
    "i",
  ),
  TRUNCATE: new RegExp(String.raw`^truncate\s+(?:table\s+)?${identifier}`, "i"),
};
// Only the head of a long statement is read: the keyword and first table are near the start.
const maxScannedLength = 2_000;

/**
 * Summarises a statement per the OpenTelemetry database conventions (`db.query.summary`):
 * operation and first target table. A heuristic over the text, not a parser — good enough to
 * name spans and group metrics; an unrecognised statement is summarised by its keyword alone.
 */
export function summarizeQuery(text: string): QuerySummary {
  const head = text.slice(0, maxScannedLength).replace(leadingNoise, "");
  const operation = firstWord.exec(head)?.[1]?.toUpperCase();
  if (operation === undefined) return { operation, collection: undefined, summary: "query" };
  const target = targetAfter[operation]?.exec(head)?.[1];
  const collection = target === undefined ? undefined : unqualified(target);
  return {
    operation,
    collection,
    summary: collection === undefined ? operation : `${operation} ${collection}`,
  };
}

function unqualified(name: string): string {
  const last = name.split(/\s*\.\s*/).at(-1) ?? name;
  return last.replaceAll('"', "");
}
