import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { UserRegistered } from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { dropServiceDatabase, provisionServiceDatabase } from "@switchyard/database";
import { envelopeFromMessage, streamNameFor, userEventsStream } from "@switchyard/events";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import {
  createTestNats,
  postgresAdminUrl,
  runEntryPoint,
  spawnEntryPoint,
  type TestNats,
  uniqueName,
} from "@switchyard/testing";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectStatus } from "./support/user-service-harness.js";

const packageDirectory = fileURLToPath(new URL("..", import.meta.url));

/** Runs src/main.ts as its own process with exactly `env` (plus PATH) until it exits. */
const runMain = (env: Record<string, string>) =>
  runEntryPoint({ entry: "src/main.ts", cwd: packageDirectory, env });

describe("user-service process (src/main.ts)", () => {
  it("exits 78 naming DATABASE_URL when it is missing", async () => {
    const service = await runMain({});
    expect(service.code).toBe(78);
    expect(service.output).toContain("DATABASE_URL: required");
  });

  it("exits 78 naming GRPC_PORT when it is not a number", async () => {
    const service = await runMain({
      GRPC_PORT: "abc",
      DATABASE_URL: "postgres://user_service@127.0.0.1:5432/users",
    });
    expect(service.code).toBe(78);
    expect(service.output).toMatch(/GRPC_PORT: .*"abc"/);
    expect(service.output).not.toContain("DATABASE_URL");
  });

  it("exits 78 naming the TLS keys when it has no certificates and no MESH_MODE=linkerd", async () => {
    const service = await runMain({
      DATABASE_URL: "postgres://user_service@127.0.0.1:5432/users",
      NATS_URL: "nats://127.0.0.1:4222",
    });
    expect(service.code).toBe(78);
    for (const key of ["TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"]) {
      expect(service.output).toContain(`${key}: required`);
    }
  });

  describe("with DATABASE_URL_FILE holding a real role's URL", () => {
    const password = `pw${randomBytes(16).toString("hex")}`;
    const names = { database: uniqueName("user_service_main"), role: uniqueName("user_service") };
    let adminUrl: string;
    let url: string;
    let directory: string;
    let nats: TestNats;
    let certs: TestCertificates;

    beforeAll(async () => {
      certs = createTestCertificates({ workloads: ["user-service", "gateway"] });
      nats = await createTestNats();
      adminUrl = await postgresAdminUrl();
      ({ url } = await provisionServiceDatabase(adminUrl, { ...names, password }));
      directory = await mkdtemp(join(tmpdir(), "user-service-secret-"));
      await writeFile(join(directory, "database-url"), `${url}\n`, { mode: 0o600 });
    });
    afterAll(async () => {
      if (directory) await rm(directory, { recursive: true, force: true });
      if (adminUrl) await dropServiceDatabase(adminUrl, names);
      await nats?.close();
      certs?.remove();
    });

    it("serves requests, publishes their events and never prints the password or the URL, through a request and SIGTERM", async () => {
      const service = await spawnEntryPoint({
        entry: "src/main.ts",
        cwd: packageDirectory,
        env: {
          DATABASE_URL_FILE: join(directory, "database-url"),
          GRPC_PORT: "0",
          LOG_LEVEL: "debug",
          NATS_URL: nats.url,
          EVENTS_NAMESPACE: nats.prefix,
          TLS_CA_FILE: certs.caFile,
          TLS_CERT_FILE: certs.certFile("user-service"),
          TLS_KEY_FILE: certs.keyFile("user-service"),
        },
        readyLine: '"user-service listening"',
      });
      // The gateway's identity: RegisterUser and GetUser are its methods in the access policy.
      const gateway = createWorkloadIdentity(certs.configFor("gateway"), {
        workload: "gateway",
        logger: createLogger({ service: "test", level: "silent" }),
      });
      try {
        const { port } = JSON.parse(service.matchedLine) as { port: number };
        const client = createGrpcClient(UserServiceClient, {
          target: `127.0.0.1:${port}`,
          ...gateway.clientTransport("user-service"),
        });
        const registered = await callUnary(client.registerUser.bind(client), {
          email: "file@example.com",
          givenName: "File",
          familyName: "Secret",
        });
        // The gateway acts for an end user (here: the new user) on everything but signup.
        const userId = registered.user?.userId ?? "";
        const fetched = await callUnary(
          client.getUser.bind(client),
          { userId },
          { metadata: endUserMetadata({ subject: userId, scopes: [] }) },
        );
        expect(fetched.user?.email).toBe("file@example.com");
        // main.ts created the stream and started the relay: the registration's event arrives.
        const natsConnection = await connect({ servers: nats.url });
        try {
          const consumer = await jetstream(natsConnection).consumers.get(
            streamNameFor(userEventsStream, { prefix: nats.prefix }),
          );
          const message = await consumer.next({ expires: 10_000 });
          if (message === null) throw new Error("no UserRegistered event within 10 s");
          const envelope = envelopeFromMessage(message);
          expect(envelope.type).toBe("switchyard.user.events.v1.UserRegistered");
          expect(envelope.source).toBe("switchyard/user-service");
          expect(UserRegistered.decode(envelope.body).userId).toBe(registered.user?.userId);
        } finally {
          await natsConnection.close();
        }
        await expectStatus(
          callUnary(
            client.getUser.bind(client),
            { userId: "nope" },
            { metadata: endUserMetadata({ subject: userId, scopes: [] }) },
          ),
          grpc.status.INVALID_ARGUMENT,
        );
        client.close();

        expect(await service.stop("SIGTERM")).toBe(0);
      } finally {
        await service.stop("SIGKILL");
        gateway.close();
      }
      const output = service.output();
      expect(output).not.toContain(password);
      expect(output).not.toContain(url);
      expect(output).not.toContain("PRIVATE KEY");
      expect(output).toContain('"DATABASE_URL":"[redacted]"');
      expect(output).toContain("shutdown complete");
    });
  });
});
