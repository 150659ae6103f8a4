import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// No Postgres or NATS here: the shared infrastructure setup is replaced by one that renders
// every overlay once per run and hands the objects to the test files.
export default mergeConfig(
  { ...shared, test: { ...shared.test, globalSetup: [] } },
  defineConfig({
    test: {
      globalSetup: [
        fileURLToPath(new URL("./test/render-overlays.global-setup.ts", import.meta.url)),
      ],
    },
  }),
);
