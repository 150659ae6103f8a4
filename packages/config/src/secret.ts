import type { z } from "zod";

// A WeakSet (not zod metadata) so marking never changes the schema or its inferred type.
const secretSchemas = new WeakSet<z.ZodType>();

/**
 * Marks a config key as secret: its value is redacted by `redactConfig` and never appears in a
 * `ConfigError` message. Secrets are usually mounted as files and given as `KEY_FILE`.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  secretSchemas.add(schema);
  return schema;
}

/**
 * True when the schema, or a schema it wraps (`.optional()`, `.default()`, a pipe...), was
 * marked with `secret()`, so `secret(z.string()).optional()` stays secret.
 */
export function isSecret(schema: z.ZodType): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    if (secretSchemas.has(current as z.ZodType)) return true;
    const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (def === undefined) continue;
    pending.push(def.innerType, def.in, def.out);
  }
  return false;
}
