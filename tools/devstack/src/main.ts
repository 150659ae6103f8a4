import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveNats, resolvePostgres } from "@switchyard/local-infra";
import { createLogger } from "@switchyard/logging";
import { devJwtSettings, ensureDevJwtKeys } from "@switchyard/token";
import { localTopology, type ServiceName } from "@switchyard/topology";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import { readyBanner } from "./banner.js";
import { devstackComponents } from "./components.js";
import {
  devstackIdentityConfig,
  ensureDevCertificates,
  tlsSettingsFor,
} from "./dev-certificates.js";
import { readDevstackSettings } from "./devstack-settings.js";
import { startDevstackTracing } from "./devstack-tracing.js";
import { startDevstackWebApp } from "./devstack-web-app.js";
import { ProcessSupervisor } from "./process-supervisor.js";
import { waitUntilReady } from "./readiness-wait.js";
import { replicasOf, replicasTarget } from "./replicas.js";
import { provisionDatabaseSecret } from "./service-database-secret.js";

// `npm start`: infrastructure first, then each component in dependency order, each one waited
// for until it reports SERVING; Ctrl-C stops them in reverse order, then the infrastructure.

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const print = (line: string) => process.stdout.write(`${line}\n`);
const settings = readDevstackSettings(process.env, repositoryRoot);
const componentGraceMs = 12_000;

const postgres = await resolvePostgres({
  adminUrl: settings.databaseAdminUrl,
  // CDC needs wal_level=logical: the embedded Postgres has it; a shared server usually does not.
  probeLocal: settings.outboxRelayMode !== "cdc",
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

const traces = await startDevstackTracing(process.env, settings.portOffset).catch(
  async (error: Error) => {
    print(`devstack: cannot keep traces locally: ${error.message}`);
    await nats.stop();
    await postgres.stop();
    process.exit(1);
  },
);

const certsDir = ensureDevCertificates(repositoryRoot);
print(`devstack: mTLS identities ready in ${certsDir}`);
const jwtKeys = await ensureDevJwtKeys(join(certsDir, "jwt"));
const identity = createWorkloadIdentity(devstackIdentityConfig(certsDir), {
  workload: "devstack",
  logger: createLogger({ service: "devstack", level: "warn" }),
});

const components = devstackComponents(settings.portOffset, settings.namePrefix).filter(
  (component) => existsSync(join(repositoryRoot, component.entry)),
);
const ports = Object.fromEntries(components.map((c) => [c.name, c.port])) as Partial<
  Record<ServiceName, number>
>;
// DEVSTACK_REPLICAS=2: every component twice, each replica on its own port; peers get targets
// naming every replica ("ipv4:a,b") and balance over them.
const replicas = new Map(components.map((c) => [c.name, replicasOf(c, settings.replicas)]));
const topology = {
  ...localTopology("127.0.0.1", ports),
  ...Object.fromEntries([...replicas].map(([name, set]) => [name, replicasTarget(set)])),
};

let stopping = false;
let webApp: Awaited<ReturnType<typeof startDevstackWebApp>>;
async function stopEverything(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    print("devstack: shutting down");
    await webApp?.close();
    await supervisor.stopAll(componentGraceMs);
    identity.close();
    await traces.close();
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
  for (const component of [...replicas.values()].flat()) {
    const env: Record<string, string> = {
      [component.portSetting]: String(component.port),
      ADMIN_PORT: String(component.adminPort),
      LOG_LEVEL: settings.logLevel,
      NATS_URL: nats.url,
      // A second stack (another name prefix) gets its own streams and subjects too.
      EVENTS_NAMESPACE: settings.namePrefix === "switchyard" ? "" : settings.namePrefix,
      OUTBOX_RELAY_MODE: settings.outboxRelayMode,
      TOPOLOGY_PROFILE: "local",
      USER_SERVICE_TARGET: topology["user-service"],
      ORDER_SERVICE_TARGET: topology["order-service"],
      WEB_BFF_TARGET: topology["web-bff"],
      ...tlsSettingsFor(certsDir, component.name),
      ...(component.verifiesAccessTokens ? devJwtSettings(jwtKeys) : {}),
      // Every OTEL_* given to `npm start`, and the local receiver unless an endpoint was given.
      ...traces.componentEnv,
      // NOT_SERVING, then 1 s still serving before the port closes (5 s in Kubernetes).
      SHUTDOWN_DRAIN_DELAY_MS: "1000",
    };
    if (component.database) {
      env.DATABASE_URL_FILE = await provisionDatabaseSecret({
        adminUrl: postgres.adminUrl,
        secretsDir: join(settings.stateDir, "secrets"),
        database: component.database.name,
        role: component.database.role,
        replication: settings.outboxRelayMode === "cdc",
      });
    }
    print(`devstack: starting ${component.label} on 127.0.0.1:${component.port}`);
    supervisor.start(component.label, component.entry, env);
    await waitUntilReady({
      target: `127.0.0.1:${component.port}`,
      port: component.port,
      readiness: component.readiness,
      timeoutMs: 30_000,
      transport: identity.clientTransport(component.name),
    });
    print(`devstack: ${component.label} is ready`);
  }
  const gateway = components.find((component) => component.name === "gateway");
  if (gateway) {
    webApp = await startDevstackWebApp({
      repositoryRoot,
      portOffset: settings.portOffset,
      gatewayPort: gateway.port,
      signingKeyFile: jwtKeys.signingKeyFile,
    });
  }
} catch (error) {
  print(`devstack: start failed: ${(error as Error).message}`);
  await stopEverything(1);
}

print(
  readyBanner({
    components: [...replicas.values()].flat(),
    postgres,
    nats,
    stateDir: settings.stateDir,
    certsDir,
    repositoryRoot,
    webAppPort: webApp?.port,
    traces: traces.bannerLine,
  }),
);
