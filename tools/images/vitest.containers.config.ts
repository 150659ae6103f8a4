import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// Builds and starts every image: minutes on two cores, so generous and one file at a time.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ["test/containers/**/*.test.ts"],
      testTimeout: 15 * 60_000,
      hookTimeout: 25 * 60_000,
      fileParallelism: false,
    },
  }),
);
