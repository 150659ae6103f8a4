import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const sourceConditions = ["switchyard-source"];

// Workspace packages resolve to their TypeScript sources in tests (the `switchyard-source`
// export condition), so tests never depend on a stale dist/.
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  // Vitest loads globalSetup in its own `__vitest__` environment, which ignores the two above.
  environments: { __vitest__: { resolve: { conditions: sourceConditions } } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Resolves Postgres and NATS once per run and hands them to the test workers as
    // DATABASE_ADMIN_URL / NATS_URL (@switchyard/testing/global-setup; a file path because
    // vitest does not resolve package specifiers here).
    globalSetup: [
      fileURLToPath(new URL("./packages/testing/src/global-setup.ts", import.meta.url)),
    ],
  },
});
