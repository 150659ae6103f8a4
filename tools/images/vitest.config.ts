import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// `npm test` runs the fast checks; the container test (minutes: it builds every image) runs
// from .ci/run or `npm run test:images` (vitest.containers.config.ts).
export default mergeConfig(shared, defineConfig({ test: { exclude: ["test/containers/**"] } }));
