import { describe, expect, it } from "vitest";
import { z } from "zod";
import { redactConfig } from "./redact-config.js";
import { isSecret, secret } from "./secret.js";

describe("secret", () => {
  it("stays secret when wrapped in optional, default or a pipe", () => {
    expect(isSecret(secret(z.string()))).toBe(true);
    expect(isSecret(secret(z.string()).optional())).toBe(true);
    expect(isSecret(secret(z.string()).default("x"))).toBe(true);
    expect(isSecret(secret(z.string()).pipe(z.string().min(1)))).toBe(true);
    expect(isSecret(z.string().optional())).toBe(false);
  });

  it("redactConfig hides set secrets, keeps other values and unset secrets visible", () => {
    const shape = {
      HOST: z.string(),
      PASSWORD: secret(z.string()),
      TOKEN: secret(z.string()).optional(),
    };
    expect(redactConfig(shape, { HOST: "db", PASSWORD: "hunter2", TOKEN: undefined })).toEqual({
      HOST: "db",
      PASSWORD: "[redacted]",
      TOKEN: undefined,
    });
  });
});
