import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// One Postgres per test run (embedded if none answers), shared by every test file.
export default mergeConfig(
  shared,
  defineConfig({ test: { globalSetup: ["./test/support/global-setup.ts"] } }),
);
