import type * as grpc from "@grpc/grpc-js";
import {
  type MeshWorkload,
  type ServiceAccessPolicy,
  serviceAccessPolicy,
} from "@switchyard/access-policy";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import { createWorkloadIdentity, type WorkloadIdentity } from "@switchyard/workload-identity";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";

/**
 * Helpers for starting declarations in tests (`@switchyard/service-host/testing`). Services'
 * own tests drive methods no production workload may call yet (back-office ones) and act as
 * "an internal caller" or as any end user; they do it as a dedicated test workload with its own
 * certificate, which only `accessPolicyWithTestCaller` admits. Everything else is THE policy.
 */

/** The workload name test clients present (certificate `spiffe://…/sa/test-client`). */
export const testCallerWorkload = "test-client";

/** The env keys of `workload`'s test certificate files (spread into `startGrpcService`'s env). */
export function tlsEnv(certs: TestCertificates, workload: string): Record<string, string> {
  return {
    MESH_MODE: "off",
    TLS_CA_FILE: certs.caFile,
    TLS_CERT_FILE: certs.certFile(workload),
    TLS_KEY_FILE: certs.keyFile(workload),
  };
}

/**
 * THE access policy, plus: the test caller may call every method `server` serves, may assert
 * end users (like the gateway) and may call without one (like an internal caller).
 */
export function accessPolicyWithTestCaller(server: MeshWorkload): ServiceAccessPolicy {
  // Not a mesh workload, so it is typed as one only here, in test support.
  const testCaller = testCallerWorkload as MeshWorkload;
  const own = serviceAccessPolicy.servers[server];
  if (own === undefined) throw new Error(`the access policy has no entry for ${server}`);
  const services = Object.fromEntries(
    Object.entries(own.services).map(([service, methods]) => [
      service,
      Object.fromEntries(
        Object.entries(methods).map(([method, callers]) => [method, [...callers, testCaller]]),
      ),
    ]),
  );
  const { endUsers } = serviceAccessPolicy;
  return {
    ...serviceAccessPolicy,
    servers: { ...serviceAccessPolicy.servers, [server]: { services } },
    endUsers: {
      ...endUsers,
      asserters: [...endUsers.asserters, testCaller],
      internalCallers: [...endUsers.internalCallers, testCaller],
    },
  };
}

/** A workload identity from test certificates (the certificate must exist in `certs`). */
export function testIdentity(certs: TestCertificates, workload: string): WorkloadIdentity {
  return createWorkloadIdentity(certs.configFor(workload), {
    workload,
    logger: createLogger({ service: workload, level: "silent" }),
  });
}

/**
 * A generated client of `server` at `target`, over mTLS as `identity` (default deadline 20 s:
 * test machines are slow). Close it (and `identity`) when done.
 */
export function testClient<C extends grpc.Client>(
  Client: new (
    address: string,
    credentials: grpc.ChannelCredentials,
    options?: Partial<grpc.ChannelOptions>,
  ) => C,
  options: { target: string; server: MeshWorkload; identity: WorkloadIdentity },
): C {
  return createGrpcClient(Client, {
    target: options.target,
    ...options.identity.clientTransport(options.server),
    defaultDeadlineMs: 20_000,
  });
}

const certificatesByWorkloads = new Map<string, TestCertificates>();

/**
 * Test certificates for `workloads`, made once per test process (the dev-cert script takes a
 * moment) and removed when the process exits.
 */
export function sharedTestCertificates(workloads: string[]): TestCertificates {
  const key = [...workloads].sort().join(",");
  let certs = certificatesByWorkloads.get(key);
  if (certs === undefined) {
    const created = createTestCertificates({ workloads });
    process.once("exit", () => created.remove());
    certificatesByWorkloads.set(key, created);
    certs = created;
  }
  return certs;
}
