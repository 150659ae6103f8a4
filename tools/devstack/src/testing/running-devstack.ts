import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dropServiceDatabase } from "@switchyard/database";
import {
  postgresAdminUrl,
  type RunningEntryPoint,
  spawnEntryPoint,
  uniqueName,
} from "@switchyard/testing";
import { defaultPorts } from "@switchyard/topology";
import { devstackComponents } from "../components.js";
import { webAppPort } from "../devstack-web-app.js";

/** A devstack (what `npm start` runs after building) started by a test, on its own ports and names. */
export interface RunningDevstack {
  process: RunningEntryPoint;
  portOffset: number;
  namePrefix: string;
  /** http://127.0.0.1:<port> of the gateway and of the web app. */
  gatewayUrl: string;
  webAppUrl: string;
  /** The pid of a component's process (a child of the devstack), e.g. to freeze it. */
  pidOf(component: string): number;
  /** Kills it if still running, drops its databases and its state directory. */
  cleanUp(): Promise<void>;
}

const repositoryRoot = fileURLToPath(new URL("../../../..", import.meta.url));

/**
 * Starts tools/devstack/dist/main.js (build it first) on a free, random port offset with a
 * unique name prefix and state dir, and waits for its "Switchyard is running." banner.
 */
export async function startDevstack(
  options: {
    namePrefix?: string;
    timeoutMs?: number;
    /** Added to the environment the devstack, and so every component, is started with. */
    env?: Record<string, string>;
  } = {},
): Promise<RunningDevstack> {
  const portOffset = await pickPortOffset();
  const namePrefix = options.namePrefix ?? uniqueName("ds");
  const stateDir = mkdtempSync(join(tmpdir(), "devstack-run-"));
  const cleanUpState = async () => {
    const adminUrl = await postgresAdminUrl();
    for (const component of devstackComponents(portOffset, namePrefix)) {
      if (component.database) {
        await dropServiceDatabase(adminUrl, {
          database: component.database.name,
          role: component.database.role,
        });
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  let devstack: RunningEntryPoint;
  try {
    devstack = await spawnEntryPoint({
      entry: "tools/devstack/dist/main.js",
      cwd: repositoryRoot,
      env: {
        ...process.env,
        ...options.env,
        DEVSTACK_PORT_OFFSET: String(portOffset),
        DEVSTACK_DIR: stateDir,
        DEVSTACK_NAME_PREFIX: namePrefix,
      },
      readyLine: "Switchyard is running.",
      timeoutMs: options.timeoutMs ?? 90_000,
    });
  } catch (error) {
    await cleanUpState();
    throw error;
  }
  return {
    process: devstack,
    portOffset,
    namePrefix,
    gatewayUrl: `http://127.0.0.1:${defaultPorts.gateway + portOffset}`,
    webAppUrl: `http://127.0.0.1:${webAppPort + portOffset}`,
    pidOf(component) {
      const children = execFileSync(
        "ps",
        ["-o", "pid=,args=", "--ppid", String(devstack.child.pid)],
        {
          encoding: "utf8",
        },
      );
      const line = children.split("\n").find((entry) => entry.includes(`${component}/`));
      if (!line) throw new Error(`no ${component} process under the devstack:\n${children}`);
      return Number(line.trim().split(/\s+/)[0]);
    },
    async cleanUp() {
      await devstack.stop("SIGINT", 30_000);
      await cleanUpState();
    },
  };
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function pickPortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const offset = 1000 + Math.floor(Math.random() * 8000);
    const adminPorts = devstackComponents(0).map((component) => component.adminPort);
    const ports = [
      ...Object.values(defaultPorts),
      ...adminPorts,
      webAppPort,
      54329,
      4223,
      4319,
    ].map((port) => port + offset);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return offset;
  }
  throw new Error("no free port range for the devstack");
}
