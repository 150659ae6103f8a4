import { startTestInfrastructure } from "./test-infrastructure.js";

/**
 * Vitest global setup (listed once, by file path, in the root `vitest.shared.ts`): resolves Postgres
 * and NATS once per test run, hands them to the workers as DATABASE_ADMIN_URL / NATS_URL, and
 * stops whatever it started when the run ends. SWITCHYARD_TEST_PROBE_LOCAL=false ignores the
 * local 5432/4222 servers, to rehearse a fresh CI machine (embedded Postgres, nats-server).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const infrastructure = await startTestInfrastructure({
    probeLocal: process.env.SWITCHYARD_TEST_PROBE_LOCAL !== "false",
    log: (line) => process.stderr.write(`[test infrastructure] ${line}\n`),
  });
  return () => infrastructure.stop();
}
