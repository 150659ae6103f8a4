import { X509Certificate } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkloadIdentity } from "../src/index.js";
import { createTestCertificates, type TestCertificates } from "../src/testing.js";
import {
  callerSeenBy,
  memoryLogger,
  startIdentityProbeServer,
} from "./support/identity-probe-server.js";
import { tlsHandshake } from "./support/tls-handshake.js";

const reloadIntervalMs = 150;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serialOf(path: string): string {
  return new X509Certificate(readFileSync(path)).serialNumber;
}

async function startRenewingServer(certs: TestCertificates) {
  const logs = memoryLogger();
  const identity = createWorkloadIdentity(certs.configFor("user-service", reloadIntervalMs), {
    workload: "user-service",
    logger: logs.logger,
  });
  const probe = await startIdentityProbeServer(identity);
  cleanups.push(
    () => identity.close(),
    () => probe.close(),
  );
  return { identity, probe, logs };
}

const gatewayHandshake = (certs: TestCertificates, port: number) =>
  tlsHandshake(port, {
    caFile: certs.caFile,
    certFile: certs.certFile("gateway"),
    keyFile: certs.keyFile("gateway"),
  });

/** Polls until `check` passes (the watcher re-reads every reloadIntervalMs). */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, reloadIntervalMs));
  }
}

describe("certificate renewal without restart", () => {
  it("a new connection sees the renewed server certificate once the files are replaced", async () => {
    // Valid 3 days: inside the script's 7-day renewal window, so running it again re-issues.
    const certs = createTestCertificates({ validDays: 3 });
    cleanups.push(() => certs.remove());
    const { probe, logs } = await startRenewingServer(certs);
    const before = serialOf(certs.certFile("user-service"));
    expect(await gatewayHandshake(certs, probe.port)).toEqual({
      outcome: "accepted",
      serverSerial: before,
    });

    certs.regenerate();
    const after = serialOf(certs.certFile("user-service"));
    expect(after).not.toBe(before);

    const seen = await eventually(
      () => gatewayHandshake(certs, probe.port),
      (outcome) => outcome.outcome === "accepted" && outcome.serverSerial === after,
    );
    expect(seen).toEqual({ outcome: "accepted", serverSerial: after });
    expect(logs.lines.join("")).toContain("TLS certificate renewed");
    // The renewed gateway certificate is accepted too: same CA, new leaf.
    const gateway = createWorkloadIdentity(certs.configFor("gateway"), {
      workload: "gateway",
      logger: logs.logger,
    });
    cleanups.push(() => gateway.close());
    expect(await callerSeenBy(probe.port, gateway.clientTransport("user-service"))).toBe("gateway");
  });

  it("a half-replaced pair (new key, old certificate) is ignored: the previous certificate stays in use", async () => {
    const certs = createTestCertificates();
    cleanups.push(() => certs.remove());
    const { probe, logs } = await startRenewingServer(certs);
    const serial = serialOf(certs.certFile("user-service"));

    copyFileSync(certs.keyFile("order-service"), certs.keyFile("user-service"));
    await eventually(
      async () => logs.lines.join(""),
      (output) => output.includes("ignoring changed TLS files"),
    );
    expect(logs.lines.join("")).toContain("TLS_KEY_FILE does not match TLS_CERT_FILE");
    expect(await gatewayHandshake(certs, probe.port)).toEqual({
      outcome: "accepted",
      serverSerial: serial,
    });
  });
});
