import type { z } from "zod";
import { isSecret } from "./secret.js";

/**
 * A copy of a loaded config that is safe to log: every key marked `secret()` that has a value
 * becomes "[redacted]" (an unset optional secret stays undefined, which is worth seeing).
 */
export function redactConfig<S extends z.ZodRawShape>(
  shape: S,
  config: z.infer<z.ZodObject<S>>,
): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const schema = shape[key] as z.ZodType | undefined;
    const hidden = value !== undefined && (schema === undefined || isSecret(schema));
    redacted[key] = hidden ? "[redacted]" : value;
  }
  return redacted;
}
