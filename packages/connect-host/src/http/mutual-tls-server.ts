import * as http2 from "node:http2";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

/**
 * HTTP/2 and HTTP/1.1 (ALPN picks) over mutual TLS with the workload's own certificate: the
 * handshake fails for a client without a certificate of our CA, so plaintext and foreign
 * clients never reach a handler. Renewed certificates are taken into use for new connections
 * (`setSecureContext`); `close()` of the returned function stops following them.
 */
export function createMutualTlsServer(
  identity: WorkloadIdentity,
  handler: (request: NodeRequest, response: NodeResponse) => void,
): { server: http2.Http2SecureServer; stopFollowingRenewals(): void } {
  const material = identity.tlsMaterial();
  if (material === undefined) {
    throw new Error(`workload ${identity.workload} has no TLS files (MESH_MODE=linkerd?)`);
  }
  const contextOf = (current: typeof material) => ({
    ca: current.caCertificate,
    cert: current.certificate,
    key: current.privateKey,
  });
  const server = http2.createSecureServer(
    {
      ...contextOf(material),
      allowHTTP1: true,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
    },
    handler,
  );
  const stopFollowingRenewals = identity.onTlsRenewal((renewed) =>
    server.setSecureContext(contextOf(renewed)),
  );
  return { server, stopFollowingRenewals };
}
