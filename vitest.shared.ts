import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources in tests (the `switchyard-source`
// export condition), so tests never depend on a stale dist/.
export default defineConfig({
  resolve: { conditions: ["switchyard-source"] },
  ssr: { resolve: { conditions: ["switchyard-source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
