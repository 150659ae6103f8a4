import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dropServiceDatabase, provisionServiceDatabase } from "@switchyard/database";
import { createTestNats, postgresAdminUrl, type TestNats, uniqueName } from "@switchyard/testing";
import { devJwtSettings, ensureDevJwtKeys } from "@switchyard/token";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";

// Secrets per service, by file: a whole run — the dev token command, user-service and the
// gateway as real processes, requests (ok and refused) and a graceful shutdown — with every
// line they print captured, then searched for the secrets they were given.

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

interface RunningProcess {
  name: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(
  name: string,
  cwd: string,
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): RunningProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=switchyard-source", script, ...args],
    { cwd, env: { PATH: process.env.PATH ?? "", ...env } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { name, child, output: () => output, exited };
}

async function portOf(running: RunningProcess, message: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const line = running
      .output()
      .split("\n")
      .find((candidate) => candidate.includes(message));
    if (line !== undefined) return (JSON.parse(line) as { port: number }).port;
    if (running.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${running.name} did not start:\n${running.output()}`);
}

/** Distinctive pieces of a PEM key: its base64 body, as a whole and in 32-character slices. */
function keyMaterial(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const slices = [body];
  for (let start = 0; start + 32 <= body.length; start += 32)
    slices.push(body.slice(start, start + 32));
  return slices;
}

describe("secrets given by file never show up in any log line", () => {
  const password = `pw${randomBytes(16).toString("hex")}`;
  const names = { database: uniqueName("secrets_run"), role: uniqueName("secrets_run") };
  let adminUrl = "";
  let databaseUrl = "";
  let directory = "";
  let nats: TestNats;
  let certs: TestCertificates;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    certs = createTestCertificates({ workloads: ["user-service", "gateway"] });
    nats = await createTestNats();
    adminUrl = await postgresAdminUrl();
    ({ url: databaseUrl } = await provisionServiceDatabase(adminUrl, { ...names, password }));
    directory = mkdtempSync(join(tmpdir(), "switchyard-secrets-run-"));
    writeFileSync(join(directory, "database-url"), `${databaseUrl}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    for (const running of processes)
      if (running.child.exitCode === null) running.child.kill("SIGKILL");
    if (adminUrl) await dropServiceDatabase(adminUrl, names);
    await nats?.close();
    certs?.remove();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("through a token, a request, a refused request and SIGTERM: no key material, no password", async () => {
    const jwtKeys = await ensureDevJwtKeys(join(directory, "jwt"));
    const tls = (workload: string) => ({
      TLS_CA_FILE: certs.caFile,
      TLS_CERT_FILE: certs.certFile(workload),
      TLS_KEY_FILE: certs.keyFile(workload),
    });
    const userService = start(
      "user-service",
      join(repositoryRoot, "services/user-service"),
      "src/main.ts",
      {
        DATABASE_URL_FILE: join(directory, "database-url"),
        GRPC_PORT: "0",
        LOG_LEVEL: "trace",
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        ...tls("user-service"),
      },
    );
    processes.push(userService);
    const userPort = await portOf(userService, '"user-service listening"');
    const gateway = start("gateway", join(repositoryRoot, "gateway"), "src/main.ts", {
      GATEWAY_PORT: "0",
      LOG_LEVEL: "trace",
      USER_SERVICE_TARGET: `127.0.0.1:${userPort}`,
      ORDER_SERVICE_TARGET: "127.0.0.1:9",
      WEB_BFF_TARGET: "127.0.0.1:9",
      ...devJwtSettings(jwtKeys),
      ...tls("gateway"),
    });
    processes.push(gateway);
    const baseUrl = `http://127.0.0.1:${await portOf(gateway, '"gateway listening"')}`;

    const registered = await postJson(baseUrl, "switchyard.edge.v2.UserService/RegisterUser", {
      email: "secret.keeper@example.com",
      givenName: "Secret",
      familyName: "Keeper",
    });
    expect(registered.status, registered.text).toBe(200);
    const userId: string = registered.body.user.userId;

    const tokenCommand = start(
      "token",
      join(repositoryRoot, "tools/token"),
      "src/token-command.ts",
      {
        JWT_SIGNING_KEY_FILE: jwtKeys.signingKeyFile,
      },
      ["--sub", userId],
    );
    processes.push(tokenCommand);
    expect(await tokenCommand.exited).toBe(0);
    const token = tokenCommand.output().trim();

    const fetched = await postJson(
      baseUrl,
      "switchyard.edge.v2.UserService/GetUser",
      { userId },
      { authorization: `Bearer ${token}` },
    );
    expect(fetched.status, fetched.text).toBe(200);
    const refused = await postJson(
      baseUrl,
      "switchyard.edge.v2.UserService/GetUser",
      { userId },
      { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    );
    expect(refused.status).toBe(401);

    gateway.child.kill("SIGTERM");
    userService.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
    expect(await userService.exited).toBe(0);

    const logs = processes.map((running) => running.output()).join("\n");
    // The run really logged: requests, the refusal, both shutdowns.
    expect(logs).toContain("access token refused");
    expect(logs).toContain("shutdown complete");
    expect(logs).toContain('"DATABASE_URL":"[redacted]"');

    const secrets = [
      password,
      databaseUrl,
      ...keyMaterial(readFileSync(certs.keyFile("user-service"), "utf8")),
      ...keyMaterial(readFileSync(certs.keyFile("gateway"), "utf8")),
      ...keyMaterial(readFileSync(jwtKeys.signingKeyFile, "utf8")),
    ];
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toContain("PRIVATE KEY");
    // The access token is a credential too: the services never log it, not even a refused one
    // (only the token command prints it: that is its job).
    const serviceLogs = userService.output() + gateway.output();
    expect(serviceLogs).not.toContain(token.split(".")[2]);
  });
});
