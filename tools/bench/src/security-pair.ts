import { type ChildProcess, spawn } from "node:child_process";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { callConnectJson } from "@switchyard/load";
import { createTestDatabase } from "@switchyard/testing";
import type { Scenario } from "./edge-scenarios.js";
import { keepAliveJsonPost } from "./keep-alive-json-post.js";
import type { SecurityMode } from "./security-pair-settings.js";

// From source (npm run bench:edge, via tsx) or from dist/: the sibling with our own extension.
const ownExtension = extname(fileURLToPath(import.meta.url));
const childScript = fileURLToPath(
  new URL(`./security-pair-process${ownExtension}`, import.meta.url),
);
const childArgs =
  ownExtension === ".ts"
    ? ["--conditions=switchyard-source", "--import", "tsx", childScript]
    : [childScript];

/** A user-service + gateway pair of the benchmark's own, started in `mode` on a fresh database. */
export interface SecurityPair {
  gatewayUrl: string;
  stop(): Promise<void>;
}

/** Starts the pair as two processes (`security-pair-process.ts`), user-service first. */
export async function startSecurityPair(mode: SecurityMode): Promise<SecurityPair> {
  const database = await createTestDatabase({ prefix: `bench_${mode}` });
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await database.drop();
  };
  try {
    const userService = await startChild(
      { BENCH_ROLE: "user-service", BENCH_MODE: mode, DATABASE_URL: database.url },
      children,
    );
    const gateway = await startChild(
      {
        BENCH_ROLE: "gateway",
        BENCH_MODE: mode,
        USER_SERVICE_TARGET: `127.0.0.1:${userService}`,
      },
      children,
    );
    return { gatewayUrl: `http://127.0.0.1:${gateway}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * GetUser v2 through a security pair's gateway, as the customer it registers first (signup is
 * open; the token comes from `tokenFor`, the dev issuer).
 */
export async function securityScenario(
  key: string,
  title: string,
  pair: SecurityPair,
  tokenFor: (subject: string) => Promise<string>,
  concurrency: number,
): Promise<Scenario> {
  const registered = await callConnectJson<{ user: { userId: string } }>(
    pair.gatewayUrl,
    "switchyard.edge.v2.UserService/RegisterUser",
    {
      email: `bench.${key}.${Date.now().toString(36)}@bench.example`,
      givenName: "Bench",
      familyName: "Mark",
    },
  );
  const userId = registered.body?.user.userId;
  if (userId === undefined) {
    throw new Error(`(${key}) could not register: ${registered.code} ${registered.message}`);
  }
  const poster = keepAliveJsonPost(
    `${pair.gatewayUrl}/switchyard.edge.v2.UserService/GetUser`,
    JSON.stringify({ userId }),
    concurrency,
    { authorization: `Bearer ${await tokenFor(userId)}` },
  );
  return {
    key,
    title,
    call: async () => {
      await poster.post();
    },
    close: () => poster.close(),
  };
}

function startChild(env: Record<string, string>, children: ChildProcess[]): Promise<number> {
  const child = spawn(process.execPath, childArgs, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail("did not start within 30 s"), 30_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`bench ${env.BENCH_ROLE} (${env.BENCH_MODE}) ${why}:\n${output}`));
    };
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      const line = output.split("\n").find((candidate) => candidate.startsWith('{"port":'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => fail(`exited with code ${code}`));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
