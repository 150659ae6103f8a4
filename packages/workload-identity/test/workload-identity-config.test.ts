import { copyFileSync } from "node:fs";
import { ConfigError, loadConfig } from "@switchyard/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkloadIdentity, workloadIdentityConfigShape } from "../src/index.js";
import { createTestCertificates, type TestCertificates } from "../src/testing.js";
import { memoryLogger } from "./support/identity-probe-server.js";

const { logger } = memoryLogger();
let certs: TestCertificates;

beforeAll(() => {
  certs = createTestCertificates({ workloads: ["user-service", "order-service"] });
});
afterAll(() => certs?.remove());

function startError(env: Record<string, string>, workload = "user-service"): ConfigError {
  const config = loadConfig(workloadIdentityConfigShape, env);
  try {
    createWorkloadIdentity(config, { workload, logger }).close();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected createWorkloadIdentity to refuse this config");
}

describe("workload identity config", () => {
  it("refuses to start without TLS files outside mesh mode, naming every missing key", () => {
    const error = startError({});
    expect(error.keys).toEqual(["TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"]);
    expect(error.message).toContain("unless MESH_MODE=linkerd");
  });

  it("names the variable and path of a file it cannot read", () => {
    const error = startError({
      TLS_CA_FILE: certs.caFile,
      TLS_CERT_FILE: certs.certFile("user-service"),
      TLS_KEY_FILE: "/nonexistent/user-service.key",
    });
    expect(error.message).toContain(
      "TLS_KEY_FILE: cannot read /nonexistent/user-service.key: ENOENT",
    );
  });

  it("refuses a certificate that names another workload", () => {
    const error = startError(
      {
        TLS_CA_FILE: certs.caFile,
        TLS_CERT_FILE: certs.certFile("order-service"),
        TLS_KEY_FILE: certs.keyFile("order-service"),
      },
      "user-service",
    );
    expect(error.message).toContain(
      "TLS_CERT_FILE: identifies spiffe://switchyard.local/ns/switchyard/sa/order-service, expected spiffe://switchyard.local/ns/switchyard/sa/user-service",
    );
  });

  it("refuses a key that does not match the certificate, without quoting either", () => {
    const error = startError({
      TLS_CA_FILE: certs.caFile,
      TLS_CERT_FILE: certs.certFile("user-service"),
      TLS_KEY_FILE: certs.keyFile("order-service"),
    });
    expect(error.message).toContain("TLS_KEY_FILE: does not match TLS_CERT_FILE");
    expect(error.message).not.toContain("PRIVATE KEY");
  });

  it("refuses a certificate not signed by the CA file", () => {
    const other = createTestCertificates({ workloads: ["user-service"] });
    try {
      const error = startError({
        TLS_CA_FILE: other.caFile,
        TLS_CERT_FILE: certs.certFile("user-service"),
        TLS_KEY_FILE: certs.keyFile("user-service"),
      });
      expect(error.message).toContain("TLS_CERT_FILE: is not signed by TLS_CA_FILE");
    } finally {
      other.remove();
    }
  });

  it("refuses TLS files in mesh mode, where the proxy does mTLS", () => {
    const error = startError({ MESH_MODE: "linkerd", TLS_CA_FILE: certs.caFile });
    expect(error.message).toContain("TLS_CA_FILE: must be unset when MESH_MODE=linkerd");
  });

  it("accepts the files through *_FILE-style paths and reads nothing secret into the config", () => {
    const copy = `${certs.dir}/mounted.key`;
    copyFileSync(certs.keyFile("user-service"), copy);
    const config = loadConfig(workloadIdentityConfigShape, {
      TLS_CA_FILE: certs.caFile,
      TLS_CERT_FILE: certs.certFile("user-service"),
      TLS_KEY_FILE: copy,
    });
    expect(config.TLS_KEY_FILE).toBe(copy);
    const identity = createWorkloadIdentity(config, { workload: "user-service", logger });
    expect(identity.mode).toBe("mtls");
    identity.close();
  });
});
