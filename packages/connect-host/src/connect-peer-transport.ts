import type { SecureClientSessionOptions } from "node:http2";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { connectClientMetricsInterceptor } from "@switchyard/metrics";
import { toHttpBaseUrls } from "@switchyard/topology";
import { connectClientSpanInterceptor } from "@switchyard/tracing";
import { type WorkloadIdentity, workloadFromPeerCertificate } from "@switchyard/workload-identity";
import { balancedTransport } from "./balanced-transport.js";

/** A Connect client transport to another Connect deployable, and how to stop it. */
export interface ConnectPeerTransport {
  transport: Transport;
  close(): void;
}

/**
 * gRPC over HTTP/2 to the Connect deployable `server` at `target`, as this workload: mtls mode →
 * TLS presenting our certificate, accepting only a server certificate of our CA whose SPIFFE ID
 * names `server` (what grpc-kit clients check too); linkerd mode → h2c to the local proxy. One
 * HTTP/2 session per address, re-dialled when lost; every dial reads the current (renewed)
 * certificate. A target listing several addresses ("ipv4:a,b": replicas on one host) gets a
 * session to each and calls balanced over them (`balancedTransport`, which also sends a call
 * again when a server that is shutting down refused its stream).
 */
export function connectPeerTransport(
  identity: WorkloadIdentity,
  server: string,
  target: string,
): ConnectPeerTransport {
  const replicas = toHttpBaseUrls(target).map((url) => replicaTransport(identity, server, url));
  // Balanced even over one address: a call refused by a draining server is sent again.
  return {
    transport: balancedTransport(replicas.map((replica) => replica.transport)),
    close: () => {
      for (const replica of replicas) replica.close();
    },
  };
}

function replicaTransport(
  identity: WorkloadIdentity,
  server: string,
  plainUrl: string,
): ConnectPeerTransport {
  // A CLIENT span per call, its context sent as `traceparent` (no-op when tracing is off).
  // …and rpc.client.call.duration of each call (on the serving host's meters).
  const interceptors = [
    connectClientSpanInterceptor(new URL(plainUrl).host),
    connectClientMetricsInterceptor(),
  ];
  if (identity.mode === "linkerd") {
    const sessionManager = new Http2SessionManager(plainUrl);
    return {
      transport: createGrpcTransport({ baseUrl: plainUrl, sessionManager, interceptors }),
      close: () => sessionManager.abort(),
    };
  }
  const baseUrl = plainUrl.replace(/^http:/, "https:");
  const tlsOptions: SecureClientSessionOptions = {
    // SNI must be a name (RFC 6066); the server certificate carries its workload as DNS SAN.
    servername: server,
    checkServerIdentity: (_host, certificate) =>
      workloadFromPeerCertificate(certificate) === server
        ? undefined
        : new Error(
            `server certificate does not identify ${server} (it names ${certificate.subjectaltname ?? "nothing"})`,
          ),
  };
  // Getters: Http2SessionManager hands these options to http2.connect on every (re)dial, so a
  // renewed certificate is used from the next connection on.
  Object.defineProperties(tlsOptions, {
    ca: { enumerable: true, get: () => identity.tlsMaterial()?.caCertificate },
    cert: { enumerable: true, get: () => identity.tlsMaterial()?.certificate },
    key: { enumerable: true, get: () => identity.tlsMaterial()?.privateKey },
  });
  const sessionManager = new Http2SessionManager(baseUrl, undefined, tlsOptions);
  return {
    transport: createGrpcTransport({ baseUrl, sessionManager, interceptors }),
    close: () => sessionManager.abort(),
  };
}
