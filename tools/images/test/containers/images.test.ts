// Builds every image against a locally made Node 24 base (no container registry is reachable
// here), then starts each one as a restricted pod would run it and asks it whether it is ready:
// gRPC health SERVING over mTLS for the services (after their migration Job ran), /readyz for
// web-bff (mTLS) and the gateway. Minutes on two cores: .ci/run runs it once (npm run test:images).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@switchyard/logging";
import { createTestDatabase, type TestDatabase, uniqueName } from "@switchyard/testing";
import { devJwtSettings, ensureDevJwtKeys } from "@switchyard/token";
import { createWorkloadIdentity, type WorkloadIdentity } from "@switchyard/workload-identity";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../../src/build-image.js";
import { buildImages, describeBuiltImage } from "../../src/build-images.js";
import { podmanInstalled, sandboxPodman } from "../../src/container-engine.js";
import { type Deployable, deployables } from "../../src/deployables.js";
import { makeLocalBaseImage } from "../../src/local-base-image.js";
import { runEngine } from "../../src/run-engine.js";
import {
  containerLogs,
  execInContainer,
  removeContainers,
  runToCompletion,
  startContainer,
  stopContainer,
} from "./support/containers.js";
import { freePorts } from "./support/free-ports.js";
import { grpcHealthStatus, httpGet, pollUntil } from "./support/readiness-probes.js";
import {
  issueCertificates,
  mountedTlsSettings,
  secretsMountPath,
  workloadSecrets,
} from "./support/workload-secrets.js";

const repositoryRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const inCi = process.env.CI === "true";
const podman = podmanInstalled();
if (!podman && !inCi) {
  console.warn(
    "container image test skipped: podman is not installed (Debian/Ubuntu: sudo apt-get install -y podman runc). .ci/run installs it.",
  );
}

/** Generous: two shared cores, vfs storage, a cold Node process per container. */
const readyWithinMs = 120_000;

const deployable = (name: string): Deployable => {
  const found = deployables.find((d) => d.name === name);
  if (!found) throw new Error(`no deployable ${name}`);
  return found;
};

// In CI a missing podman is a failure (the build below says what to install), never a skip.
describe.skipIf(!podman && !inCi)("container images", () => {
  const engine = sandboxPodman();
  const workDir = mkdtempSync(join(tmpdir(), "switchyard-image-test-"));
  const run = uniqueName("img").replaceAll("_", "-");
  const containerName = (name: string) => `${run}-${name}`;
  const timings: string[] = [];
  const images = new Map<string, BuiltImage>();
  const ports = new Map<string, number>();
  const databases: TestDatabase[] = [];
  const started: string[] = [];
  let certificates: string;
  let jwtSettings: Record<string, string>;
  let jwksFile: string;
  let prober: WorkloadIdentity;

  beforeAll(async () => {
    const ciNode = join(repositoryRoot, ".ci", "node24");
    const nodeDir = existsSync(join(ciNode, "bin", "node"))
      ? ciNode
      : dirname(dirname(process.execPath));
    const base = await makeLocalBaseImage(engine, { nodeDir, workDir });
    timings.push(
      `base image ${base.tag}: ${base.created ? "made" : "reused"} in ${(base.durationMs / 1000).toFixed(0)} s`,
    );

    const build = await buildImages(engine, {
      repositoryRoot,
      deployables,
      workDir,
      repository: "localhost/switchyard",
      tag: "test",
      nodeImage: base.tag,
      onBuilt: (image) => images.set(image.deployable.name, image),
    });
    timings.push(`build context (turbo prune): ${(build.contextMs / 1000).toFixed(1)} s`);
    for (const image of build.images) timings.push(describeBuiltImage(image));

    certificates = issueCertificates(repositoryRoot, workDir, [
      ...deployables.map((d) => d.name),
      "devstack",
    ]);
    const jwtKeys = await ensureDevJwtKeys(join(workDir, "jwt"));
    jwksFile = jwtKeys.jwksFile;
    jwtSettings = { ...devJwtSettings(jwtKeys), JWKS_FILE: `${secretsMountPath}/jwks.json` };
    // The test asks as the devstack identity: the access policy lets it call health only.
    prober = createWorkloadIdentity(
      {
        MESH_MODE: "off",
        TLS_CA_FILE: join(certificates, "ca.crt"),
        TLS_CERT_FILE: join(certificates, "devstack.crt"),
        TLS_KEY_FILE: join(certificates, "devstack.key"),
        TLS_RELOAD_INTERVAL_MS: 60_000,
      },
      { workload: "devstack", logger: createLogger({ service: "image-test", level: "silent" }) },
    );
    const free = await freePorts(deployables.length);
    for (const [index, d] of deployables.entries()) ports.set(d.name, free[index] as number);
  });

  afterAll(async () => {
    await removeContainers(engine, started);
    // The sandbox storage outlives runs (its layer cache speeds the next one); what no tag uses
    // any more and is a day old goes, so a long-lived CI machine does not fill its disk.
    await runEngine(engine, ["image", "prune", "--force", "--filter", "until=24h"], {
      check: false,
    });
    await Promise.all(databases.map((database) => database.drop()));
    prober?.close();
    rmSync(workDir, { recursive: true, force: true });
    console.log(`\ncontainer images:\n  ${timings.join("\n  ")}\n`);
  });

  /** Settings every container gets: where it listens and where the others are. */
  function commonEnv(d: Deployable): Record<string, string> {
    const target = (name: string) => `127.0.0.1:${ports.get(name)}`;
    return {
      [d.readiness.hostVariable]: "127.0.0.1",
      [d.readiness.portVariable]: String(ports.get(d.name)),
      LOG_LEVEL: "info",
      USER_SERVICE_TARGET: target("user-service"),
      ORDER_SERVICE_TARGET: target("order-service"),
      WEB_BFF_TARGET: target("web-bff"),
      ...mountedTlsSettings,
    };
  }

  async function start(d: Deployable, env: Record<string, string>, secretsDir: string) {
    const name = containerName(d.name);
    started.push(name);
    const image = images.get(d.name)?.image as string;
    await startContainer(engine, { name, image, env, secretsDir });
  }

  async function expectReady(d: Deployable): Promise<void> {
    const port = ports.get(d.name) as number;
    const { readiness } = d;
    const probe =
      readiness.kind === "grpc-health"
        ? () => grpcHealthStatus(prober, d.name, port, readiness.service)
        : () => httpGet(prober, d.name, port, readiness.path, readiness.tls);
    const ready = (answer: string) =>
      readiness.kind === "grpc-health" ? answer === "SERVING" : answer.startsWith("HTTP 200 ");
    const { answer, elapsedMs } = await pollUntil(probe, ready, readyWithinMs);
    const logs = ready(answer) ? "" : await containerLogs(engine, containerName(d.name));
    timings.push(`${d.name}: ${answer} after ${(elapsedMs / 1000).toFixed(1)} s`);
    if (readiness.kind === "grpc-health") {
      expect(answer, `${d.name} health; container log:\n${logs}`).toBe("SERVING");
    } else {
      // Ready means 200 and the body says so; 503 "not ready" would be an answer, not ready.
      expect(answer, `${d.name} ${readiness.path}; container log:\n${logs}`).toMatch(/^HTTP 200 /);
      expect(JSON.parse(answer.slice("HTTP 200 ".length))).toMatchObject({ status: "ready" });
    }
  }

  it.each(["user-service", "order-service"])(
    "%s: its migration Job migrates a fresh database, then the service is SERVING over mTLS",
    async (name) => {
      const d = deployable(name);
      const database = await createTestDatabase({ prefix: `image_${name.replace("-", "_")}` });
      databases.push(database);
      const secretsDir = workloadSecrets(workDir, certificates, name, {
        "database-url": database.url,
      });
      const databaseEnv = { DATABASE_URL_FILE: `${secretsMountPath}/database-url` };

      const migration = await runToCompletion(engine, {
        name: containerName(`${name}-migrate`),
        image: images.get(name)?.image as string,
        env: databaseEnv,
        secretsDir,
        command: ["node", d.migrationEntry as string],
      });
      expect(migration.status, migration.stdout + migration.stderr).toBe(0);
      expect(migration.stdout).toContain("migrations applied");
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const table = `${name.replace("-", "_")}_migrations`;
        const [row] = await sql`select count(*)::int as applied from drizzle.${sql(table)}`;
        expect(row?.applied).toBeGreaterThan(0);
      } finally {
        await sql.end();
      }

      await start(
        d,
        {
          ...commonEnv(d),
          ...databaseEnv,
          NATS_URL: process.env.NATS_URL as string,
          EVENTS_NAMESPACE: run.replaceAll("-", "_"),
        },
        secretsDir,
      );
      await expectReady(d);
    },
  );

  it("web-bff answers /readyz 200 over mTLS", async () => {
    const d = deployable("web-bff");
    const secretsDir = workloadSecrets(workDir, certificates, d.name, {
      "jwks.json": readFileSync(jwksFile, "utf8"),
    });
    await start(d, { ...commonEnv(d), ...jwtSettings }, secretsDir);
    await expectReady(d);
  });

  it("gateway answers /readyz 200 with both services behind it", async () => {
    const d = deployable("gateway");
    const secretsDir = workloadSecrets(workDir, certificates, d.name, {
      "jwks.json": readFileSync(jwksFile, "utf8"),
    });
    await start(d, { ...commonEnv(d), ...jwtSettings }, secretsDir);
    await expectReady(d);
  });

  it("runs as uid 1000 on a root filesystem it cannot write", async () => {
    const check = await execInContainer(engine, containerName("user-service"), [
      "node",
      "-e",
      `const fs = require("node:fs");
       const writable = (path) => { try { fs.writeFileSync(path, "x"); return "writable"; } catch (e) { return e.code; } };
       console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), app: writable("/app/probe"), tmp: writable("/tmp/probe") }));`,
    ]);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ uid: 1000, gid: 1000, app: "EROFS", tmp: "EROFS" });
  });

  it("every container stops on SIGTERM with exit code 0 (the app, as PID 1, drains)", async () => {
    const exitCodes: Record<string, number> = {};
    for (const name of ["gateway", "web-bff", "order-service", "user-service"]) {
      exitCodes[name] = await stopContainer(engine, containerName(name), 40);
    }
    expect(exitCodes).toEqual({ gateway: 0, "web-bff": 0, "order-service": 0, "user-service": 0 });
  });
});
