import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveNats, resolvePostgres } from "@switchyard/local-infra";
import { localTopology, type ServiceName } from "@switchyard/topology";
import { readyBanner } from "./banner.js";
import { devstackComponents } from "./components.js";
import { readDevstackSettings } from "./devstack-settings.js";
import { ProcessSupervisor } from "./process-supervisor.js";
import { waitUntilServing } from "./readiness-wait.js";
import { provisionDatabaseSecret } from "./service-database-secret.js";

// `npm start`: infrastructure first, then each component in dependency order, each one waited
// for until it reports SERVING; Ctrl-C stops them in reverse order, then the infrastructure.

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const print = (line: string) => process.stdout.write(`${line}\n`);
const settings = readDevstackSettings(process.env, repositoryRoot);
const componentGraceMs = 12_000;

const postgres = await resolvePostgres({
  adminUrl: settings.databaseAdminUrl,
  embedded: {
    dataDir: join(settings.stateDir, "postgres"),
    port: 54329 + settings.portOffset,
    persistent: true,
  },
  log: (line) => print(`devstack: ${line}`),
});
const nats = await resolveNats({
  url: settings.natsUrl,
  storeDir: join(settings.stateDir, "nats"),
  port: 4223 + settings.portOffset,
  log: (line) => print(`devstack: ${line}`),
}).catch(async (error: Error) => {
  await postgres.stop();
  print(`devstack: ${error.message}`);
  process.exit(1);
});

const components = devstackComponents(settings.portOffset, settings.namePrefix).filter(
  (component) => existsSync(join(repositoryRoot, component.entry)),
);
const ports = Object.fromEntries(components.map((c) => [c.name, c.port])) as Partial<
  Record<ServiceName, number>
>;
const topology = localTopology("127.0.0.1", ports);

let stopping = false;
async function stopEverything(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    print("devstack: shutting down");
    await supervisor.stopAll(componentGraceMs);
    await nats.stop();
    await postgres.stop();
    print("devstack: stopped");
  }
  process.exit(exitCode);
}
const supervisor = new ProcessSupervisor({
  cwd: repositoryRoot,
  logDir: join(settings.stateDir, "logs"),
  print,
  onUnexpectedExit: (name, code) => {
    print(
      `devstack: ${name} exited unexpectedly (code ${code}); see ${join(settings.stateDir, "logs", `${name}.log`)}`,
    );
    void stopEverything(1);
  },
});
process.once("SIGINT", () => void stopEverything(0));
process.once("SIGTERM", () => void stopEverything(0));

try {
  for (const component of components) {
    const env: Record<string, string> = {
      GRPC_HOST: "127.0.0.1",
      GRPC_PORT: String(component.port),
      LOG_LEVEL: settings.logLevel,
      NATS_URL: nats.url,
      TOPOLOGY_PROFILE: "local",
      USER_SERVICE_TARGET: topology["user-service"],
      ORDER_SERVICE_TARGET: topology["order-service"],
    };
    if (component.database) {
      env.DATABASE_URL_FILE = await provisionDatabaseSecret({
        adminUrl: postgres.adminUrl,
        secretsDir: join(settings.stateDir, "secrets"),
        database: component.database.name,
        role: component.database.role,
      });
    }
    print(`devstack: starting ${component.name} on 127.0.0.1:${component.port}`);
    supervisor.start(component.name, component.entry, env);
    await waitUntilServing({
      target: topology[component.name],
      service: component.healthService,
      timeoutMs: 30_000,
    });
    print(`devstack: ${component.name} is SERVING`);
  }
} catch (error) {
  print(`devstack: start failed: ${(error as Error).message}`);
  await stopEverything(1);
}

print(readyBanner({ components, postgres, nats, stateDir: settings.stateDir }));
