import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dropServiceDatabase } from "@switchyard/database";
import { postgresAdminUrl, uniqueName } from "@switchyard/testing";
import { mintDevToken } from "@switchyard/token";
import { defaultPorts } from "@switchyard/topology";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackComponents } from "../src/components.js";

// Runs the real devstack (what `npm start` runs after building) on shifted ports, with its own
// state dir and database names, then drives it over gRPC and stops it with SIGINT (Ctrl-C).
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), "devstack-run-"));
const namePrefix = uniqueName("ds");
let portOffset = 0;
let devstack: ChildProcess;
let output = "";
let exitCode: Promise<number | null>;

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
    const ports = [...Object.values(defaultPorts), 54329, 4223].map((port) => port + offset);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return offset;
  }
  throw new Error("no free port range for the devstack");
}

function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`devstack did not print ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    devstack.stdout?.on("data", check);
    check();
  });
}

beforeAll(async () => {
  portOffset = await pickPortOffset();
  devstack = spawn(process.execPath, ["tools/devstack/dist/main.js"], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DEVSTACK_PORT_OFFSET: String(portOffset),
      DEVSTACK_DIR: stateDir,
      DEVSTACK_NAME_PREFIX: namePrefix,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  devstack.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  devstack.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  exitCode = new Promise((resolve) => devstack.on("exit", (code) => resolve(code)));
  await waitForOutput(/Switchyard is running\./, 90_000);
}, 120_000);

afterAll(async () => {
  if (devstack.exitCode === null) devstack.kill("SIGKILL");
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
});

describe("npm start (devstack)", () => {
  it("prints every endpoint and a first command to try", () => {
    for (const component of devstackComponents(portOffset)) {
      expect(output).toContain(`127.0.0.1:${component.port}`);
    }
    expect(output).toContain("grpc.health.v1.Health/Check");
  });

  it("serves the whole flow through the gateway: register, place an order, read the dashboard", async () => {
    // Without a token, nothing but signup is served.
    const anonymous = await fetch(
      `http://127.0.0.1:${defaultPorts.gateway + portOffset}/switchyard.bff.web.v1.WebService/GetDashboard`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      },
    );
    expect(anonymous.status).toBe(401);
    const base = `http://127.0.0.1:${defaultPorts.gateway + portOffset}`;
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, any>;
      expect(response.status, JSON.stringify(json)).toBe(200);
      return json;
    };
    const { user } = await post("switchyard.edge.v2.UserService/RegisterUser", {
      email: `${namePrefix}@example.com`,
      givenName: "Ada",
      familyName: "Lovelace",
    });
    expect(user.userId).toMatch(/^[0-9a-f-]{36}$/);
    // Signup is open; everything after it is done as that user, with a dev access token.
    const token = await mintDevToken({
      signingKeyFile: join(repositoryRoot, "certs", "out", "jwt", "signing-key.pem"),
      subject: user.userId,
    });
    const asUser = { authorization: `Bearer ${token}` };
    const { order } = await post(
      "switchyard.edge.v2.OrderService/PlaceOrder",
      {
        customerId: user.userId,
        lines: [
          {
            sku: "TEA-1",
            quantity: 2,
            unitPrice: { currencyCode: "EUR", units: "12", nanos: 500000000 },
          },
        ],
      },
      { ...asUser, "Idempotency-Key": `${namePrefix}-order` },
    );
    expect(order.total).toEqual({ currencyCode: "EUR", units: "25" });
    const dashboard = await post("switchyard.bff.web.v1.WebService/GetDashboard", {}, asUser);
    expect(dashboard.profile.email).toBe(`${namePrefix}@example.com`);
    expect(dashboard.recentOrders.map((row: { orderId: string }) => row.orderId)).toContain(
      order.orderId,
    );
  });

  it("on Ctrl-C (SIGINT) stops every component in reverse order and exits 0, leaving no process", async () => {
    const pids = [...output.matchAll(/starting (\S+) on/g)].map(([, name]) => name);
    expect(pids).toEqual(["user-service", "order-service", "web-bff", "gateway"]);
    devstack.kill("SIGINT");
    expect(await exitCode).toBe(0);
    const stopped = [...output.matchAll(/stopping (\S+) \(pid (\d+)\)/g)];
    expect(stopped.map(([, name]) => name)).toEqual([...pids].reverse());
    for (const [, , pid] of stopped) {
      expect(() => process.kill(Number(pid), 0)).toThrow();
    }
    expect(output).toMatch(/devstack: stopped/);
  }, 40_000);
});
