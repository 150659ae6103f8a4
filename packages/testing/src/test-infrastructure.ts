import { rm } from "node:fs/promises";
import {
  findFreePort,
  type NatsHandle,
  type PostgresHandle,
  resolveNats,
  resolvePostgres,
} from "@switchyard/local-infra";
import { scratchDirectory } from "./scratch-directory.js";

export interface TestInfrastructureOptions {
  /** false skips 127.0.0.1:5432 and :4222 and starts servers (to prove the fallback). */
  probeLocal?: boolean;
  log?: (line: string) => void;
}

export interface TestInfrastructure {
  postgres: PostgresHandle | undefined;
  nats: NatsHandle | undefined;
  /** Stops what was started and restores DATABASE_ADMIN_URL / NATS_URL. */
  stop(): Promise<void>;
}

const variables = ["DATABASE_ADMIN_URL", "NATS_URL"] as const;

/**
 * Resolves Postgres and NATS once (same discovery as postgresAdminUrl / createTestNats) and
 * publishes them as DATABASE_ADMIN_URL and NATS_URL in process.env, which worker processes
 * started afterwards inherit. A server that cannot be found is reported through log, not
 * thrown: only the tests that need it fail, with the same message.
 */
export async function startTestInfrastructure(
  options: TestInfrastructureOptions = {},
): Promise<TestInfrastructure> {
  const log = options.log ?? (() => {});
  const previous = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  const dataDir = await scratchDirectory("switchyard-test-postgres-");
  const storeDir = await scratchDirectory("switchyard-test-nats-");
  const [postgresPort, natsPort] = [await findFreePort(), await findFreePort()];

  const [postgres, nats] = await Promise.allSettled([
    resolvePostgres({
      adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
      embedded: { dataDir, port: postgresPort, persistent: false },
      probeLocal: options.probeLocal,
      log,
    }),
    resolveNats({
      url: process.env.NATS_URL || undefined,
      storeDir,
      port: natsPort,
      persistent: false,
      probeLocal: options.probeLocal,
      log,
    }),
  ]);
  if (postgres.status === "fulfilled") process.env.DATABASE_ADMIN_URL = postgres.value.adminUrl;
  else log(`postgres: unavailable, tests that need it will fail: ${reason(postgres.reason)}`);
  if (nats.status === "fulfilled") process.env.NATS_URL = nats.value.url;
  else log(`nats: unavailable, tests that need it will fail: ${reason(nats.reason)}`);

  const started = {
    postgres: postgres.status === "fulfilled" ? postgres.value : undefined,
    nats: nats.status === "fulfilled" ? nats.value : undefined,
  };
  return {
    ...started,
    async stop() {
      await Promise.allSettled([started.nats?.stop(), started.postgres?.stop()]);
      await Promise.all(
        [dataDir, storeDir].map((path) => rm(path, { recursive: true, force: true })),
      );
      for (const name of variables) {
        if (previous[name] === undefined) delete process.env[name];
        else process.env[name] = previous[name];
      }
    },
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
